import Hummingbird
import HTTPServing
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A standalone server for the simulated Coinbase feed: HTTP with WebSocket upgrade at `/coinbase` on loopback.
///
/// ```swift
/// try await PriceSimServer(feed: feed).withRunning { port in
///     // connect to ws://127.0.0.1:\(port)/coinbase
/// }
/// ```
public struct PriceSimServer: Sendable {
    /// The feed served.
    public let feed: CoinbaseFeed
    /// The address to bind.
    public let host: String
    /// The port to bind; 0 picks a free one.
    public let port: Int
    /// The WebSocket path.
    public let path: String

    public init(feed: CoinbaseFeed, host: String = "127.0.0.1", port: Int = 0, path: String = "/coinbase") {
        self.feed = feed; self.host = host; self.port = port; self.path = path
    }

    /// The Hummingbird application, for embedding in a larger service group.
    public func application(onReady: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router(context: BasicWebSocketRequestContext.self)
        feed.addRoute(to: router, path: path)
        var logger = Logger(label: "recio.price-sim")
        logger.logLevel = .warning
        return Application(
            router: router, server: .guardedWebSocketUpgrade(webSocketRouter: router),
            configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in await onReady(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Runs until the task is cancelled or the process is told to stop.
    public func run() async throws {
        try await application().runService()
    }

    /// Starts the server, runs `body` with the bound port, then shuts the server down gracefully (open feed
    /// connections are closed first).
    @discardableResult
    public func withRunning<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        let ready = AsyncStream<Int>.makeStream()
        let app = application { port in ready.continuation.yield(port) }
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "recio.price-sim")))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var ports = ready.stream.makeAsyncIterator()
            guard let port = await ports.next() else { throw PriceSimError("the server did not start") }
            let result: Result<T, any Error>
            do { result = .success(try await body(port)) } catch { result = .failure(error) }
            feed.faults.dropConnections()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return try result.get()
        }
    }
}
