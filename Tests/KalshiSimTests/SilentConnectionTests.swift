import BusTestSupport
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

    @Test("a connection silent for longer than the limit is closed; one that talks is served")
    func silenceLimit() async throws {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.get("ping") { _, _ in "pong" }
        let (ports, sink) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, server: .guardedWebSocketUpgrade(webSocketRouter: router, silenceLimit: .milliseconds(200)),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { sink.yield($0.localAddress?.port ?? 0) }, logger: Logger(label: "silence-test"))
        let services = KalshiSimServer.serviceGroup(app, logger: Logger(label: "silence-test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var it = ports.makeAsyncIterator()
            let port = try #require(await it.next())
            let tripped = Tripped()
            let silent = try await Self.connect(port: port)
            Self.closeLater(silent, tripped: tripped)
            let talking = try await Self.connect(port: port)
            let answer = try await Self.exchange(talking, "GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 200") && answer.hasSuffix("pong"))
            try await silent.closeFuture.get()
            #expect(!tripped.value, "the silent connection was not closed by the server")
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }

    /// A plain TCP connection to the loopback `port` that sends nothing.
    static func connect(port: Int) async throws -> any Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
    }

    /// Closes `channel` from the client's side after 30 s (a bound against hanging, not a timing check), noting it.
    static func closeLater(_ channel: any Channel, tripped: Tripped) {
        channel.eventLoop.scheduleTask(in: .seconds(30)) {
            if channel.isActive { tripped.set() }
            channel.close(promise: nil)
        }
    }

    /// Writes `request` on a fresh channel with a collector, returns everything read until the server closes.
    static func exchange(_ channel: any Channel, _ request: String) async throws -> String {
        let collector = Collect()
        try await channel.pipeline.addHandler(collector)
        try await channel.writeAndFlush(ByteBuffer(string: request))
        try await channel.closeFuture.get()
        return collector.text.withLock { $0 }
    }

    /// Whether the test had to close a connection itself.
    final class Tripped: Sendable {
        private let flag = Mutex(false)
        var value: Bool { flag.withLock { $0 } }
        func set() { flag.withLock { $0 = true } }
    }

    final class Collect: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let text = Mutex("")
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = unwrapInboundIn(data)
            text.withLock { $0 += String(buffer: bytes) }
        }
    }
}
