import BusTestSupport
import Foundation
import HTTPServing
import Hummingbird
import HummingbirdWebSocket
import KalshiSim
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization
import Testing

/// HTTP clients open connections before they need them; one that never sends a byte must not hold a server.
@Suite("Connections that never send a byte")
struct SilentConnectionTests {
    @Test("the simulator's shutdown closes a connection that sent nothing instead of waiting for it")
    func shutdownClosesIt() async throws {
        let silent = Mutex<(any Channel)?>(nil)
        let guardTripped = Tripped()
        try await withSim { sim in
            let channel = try await Self.connect(port: sim.port)
            silent.withLock { $0 = channel }
            // Without the guard the shutdown below would wait for this connection for as long as it stays open:
            // close it from this side after a while so a regression fails instead of hanging the run.
            Self.closeLater(channel, tripped: guardTripped)
            #expect(try await sim.call(.GET, "/trade-api/v2/exchange/status", signed: false).status == 200)
        }
        let channel = try #require(silent.withLock { $0 })
        try await channel.closeFuture.get()
        #expect(!guardTripped.value, "the shutdown waited for the silent connection until the test closed it")
    }

    @Test("a connection silent for longer than the limit is closed; one that talked stays open while idle")
    func silenceLimit() async throws {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.get("ping") { _, _ in "pong" }
        let (ports, sink) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, server: .guardedWebSocketUpgrade(webSocketRouter: router, silenceLimit: .seconds(2)),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { sink.yield($0.localAddress?.port ?? 0) }, logger: Logger(label: "silence-test"))
        let services = KalshiSimServer.serviceGroup(app, logger: Logger(label: "silence-test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var it = ports.makeAsyncIterator()
            let port = try #require(await it.next())
            // The talking connection asks as soon as it is connected (on its event loop), then idles.
            let collector = Collect()
            let talking = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
                }
                .connect(host: "127.0.0.1", port: port).get()
            #expect(await eventually { collector.text.withLock { $0 }.hasSuffix("pong") })
            // A silent connection opened after it is closed at its limit: by then the talking one's would have passed.
            let tripped = Tripped()
            let silent = try await Self.connect(port: port)
            Self.closeLater(silent, tripped: tripped)
            try await silent.closeFuture.get()
            #expect(!tripped.value, "the silent connection was not closed by the server")
            #expect(talking.isActive, "the server closed a connection that had talked and was idle")
            try await talking.writeAndFlush(ByteBuffer(string: Self.ping(close: true)))
            try await talking.closeFuture.get()
            #expect(collector.text.withLock { $0 }.components(separatedBy: "HTTP/1.1 200").count == 3)
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }

    static func ping(close: Bool) -> String { "GET /ping HTTP/1.1\r\nHost: x\r\n\(close ? "Connection: close\r\n" : "")\r\n" }

    /// A plain TCP connection to the loopback `port` that sends nothing.
    static func connect(port: Int) async throws -> any Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
    }

    /// Closes `channel` from the client's side after 120 s (a bound against hanging, not a timing check), noting it.
    /// 30 s was once not enough for a 2 s server timer, at the busiest moment of a full test run.
    static func closeLater(_ channel: any Channel, tripped: Tripped) {
        channel.eventLoop.scheduleTask(in: .seconds(120)) {
            if channel.isActive { tripped.set() }
            channel.close(promise: nil)
        }
    }

    /// Whether the test had to close a connection itself.
    final class Tripped: Sendable {
        private let flag = Mutex(false)
        var value: Bool { flag.withLock { $0 } }
        func set() { flag.withLock { $0 = true } }
    }

    /// Sends the first ping when connected; keeps everything the server answers.
    final class Collect: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let text = Mutex("")
        func channelActive(context: ChannelHandlerContext) {
            context.writeAndFlush(NIOAny(ByteBuffer(string: SilentConnectionTests.ping(close: false))), promise: nil)
            context.fireChannelActive()
        }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = unwrapInboundIn(data)
            text.withLock { $0 += String(buffer: bytes) }
        }
    }
}
