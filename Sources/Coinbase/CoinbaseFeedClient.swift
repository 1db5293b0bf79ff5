import HummingbirdWSClient
import Logging
import Synchronization

/// A Coinbase Exchange WebSocket client for `ticker` and `heartbeat` on one product.
///
/// It subscribes on every connection, decodes messages into typed ticks, drops stale ones and counts gaps
/// (``FeedSequencer``), counts and skips malformed messages, treats `silenceTimeout` seconds without a message
/// as a dead connection, and reconnects with exponential backoff and jitter until cancelled.
///
/// ```swift
/// let client = CoinbaseFeedClient(configuration: .init(url: "ws://127.0.0.1:7200/coinbase"))
/// await client.run { event in if case .tick(let t) = event { print(t.price) } }
/// ```
public final class CoinbaseFeedClient: Sendable {
    /// Where and what to subscribe.
    public struct Configuration: Sendable {
        /// The real feed is `wss://ws-feed.exchange.coinbase.com`; the simulator's is `ws://host:port/coinbase`.
        public var url: String
        public var productID: String
        public var channels: [String]
        /// Reconnect delays.
        public var backoff: ReconnectBackoff
        /// Seconds without any message after which the connection is dropped and made again.
        public var silenceTimeout: Double

        public init(url: String = "wss://ws-feed.exchange.coinbase.com", productID: String = "BTC-USD",
                    channels: [String] = ["ticker", "heartbeat"], backoff: ReconnectBackoff = ReconnectBackoff(),
                    silenceTimeout: Double = 10) {
            self.url = url; self.productID = productID; self.channels = channels; self.backoff = backoff
            self.silenceTimeout = silenceTimeout
        }
    }

    /// What the client has seen since it started.
    public struct Statistics: Sendable, Hashable {
        public var connections = 0
        public var subscriptions = 0
        public var ticks = 0
        public var heartbeats = 0
        public var malformed = 0
        public var stale = 0
        public var gaps = 0
        public var missedTrades: Int64 = 0
        public var serverErrors = 0
        public var silences = 0
    }

    public let configuration: Configuration
    private let logger: Logger
    private let stats = Mutex(Statistics())

    public init(configuration: Configuration, logger: Logger = Logger(label: "recio.coinbase")) {
        self.configuration = configuration
        self.logger = logger
    }

    /// A snapshot of the counters.
    public var statistics: Statistics { stats.withLock { $0 } }

    /// The subscribe request sent on each connection.
    public var subscribeMessage: String {
        let channels = configuration.channels.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"type":"subscribe","product_ids":["\#(configuration.productID)"],"channels":[\#(channels)]}"#
    }

    /// Connects, delivers events in order to `onEvent`, and reconnects, until the task is cancelled.
    public func run(_ onEvent: @escaping @Sendable (CoinbaseFeedEvent) async -> Void) async {
        var backoff = configuration.backoff
        var attempt = 0
        while !Task.isCancelled {
            attempt += 1
            let healthy = Mutex(false)
            let reason: String
            do {
                try await connection(attempt: attempt, onEvent: onEvent) { healthy.withLock { $0 = true } }
                reason = "closed by the server"
            } catch {
                reason = "\(error)"
            }
            if Task.isCancelled { return }
            if healthy.withLock({ $0 }) { backoff.reset() }
            let delay = backoff.nextDelay(random: Double.random(in: 0..<1))
            logger.debug("coinbase feed disconnected", metadata: ["reason": "\(reason)", "retry_in": "\(delay)"])
            await onEvent(.disconnected(reason: reason, retryIn: delay))
            try? await Task.sleep(for: .microseconds(Int64(delay * 1e6)))
        }
    }

    /// The events as a stream; the client runs while the stream is consumed.
    public func events() -> AsyncStream<CoinbaseFeedEvent> {
        AsyncStream { continuation in
            let task = Task { await self.run { continuation.yield($0) }; continuation.finish() }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func connection(attempt: Int, onEvent: @escaping @Sendable (CoinbaseFeedEvent) async -> Void,
                            markHealthy: @escaping @Sendable () -> Void) async throws {
        let subscribe = subscribeMessage
        let silence = configuration.silenceTimeout
        try await WebSocketClient.connect(url: configuration.url, configuration: .init(maxFrameSize: 1 << 20), logger: logger) {
            inbound, outbound, _ in
            try await outbound.write(.text(subscribe))
            self.stats.withLock { $0.connections += 1 }
            await onEvent(.connected(attempt: attempt))
            let lastHeard = Stamp()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    var sequencer = FeedSequencer()
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        lastHeard.touch()
                        guard case .text(let text) = message else { continue }
                        for event in self.handle(text, &sequencer) {
                            if case .subscribed = event { markHealthy() }
                            await onEvent(event)
                        }
                    }
                }
                group.addTask {
                    while true {
                        try await Task.sleep(for: .milliseconds(250))
                        if ContinuousClock.now - lastHeard.value > .microseconds(Int64(silence * 1e6)) {
                            self.stats.withLock { $0.silences += 1 }
                            throw CoinbaseError(.connection, "no message for \(silence) s")
                        }
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// Decodes one message and updates the counters; returns the events to deliver.
    func handle(_ text: String, _ sequencer: inout FeedSequencer) -> [CoinbaseFeedEvent] {
        let message: CoinbaseFeedDecoder.Message?
        do { message = try CoinbaseFeedDecoder().decode(text) } catch {
            stats.withLock { $0.malformed += 1 }
            logger.debug("malformed coinbase message", metadata: ["error": "\(error)"])
            return []
        }
        switch message {
        case nil:
            return []
        case .subscriptions(let channels):
            stats.withLock { $0.subscriptions += 1 }
            sequencer.restart()
            return [.subscribed(channels: channels)]
        case .error(let message, let reason):
            stats.withLock { $0.serverErrors += 1 }
            return [.serverError(message: message, reason: reason)]
        case .heartbeat(let hb):
            let missing = sequencer.accept(hb)
            stats.withLock { $0.heartbeats += 1; if missing > 0 { $0.gaps += 1; $0.missedTrades += missing } }
            return missing > 0 ? [.gap(missing: missing), .heartbeat(hb)] : [.heartbeat(hb)]
        case .ticker(let tick):
            switch sequencer.accept(tick) {
            case .stale:
                stats.withLock { $0.stale += 1 }
                return []
            case .fresh(let missing):
                stats.withLock { $0.ticks += 1; if missing > 0 { $0.gaps += 1; $0.missedTrades += missing } }
                return missing > 0 ? [.gap(missing: missing), .tick(tick)] : [.tick(tick)]
            }
        }
    }
}

/// The last time something was heard, shared by the reader and the silence watchdog.
private final class Stamp: Sendable {
    private let instant = Mutex(ContinuousClock.now)
    var value: ContinuousClock.Instant { instant.withLock { $0 } }
    func touch() { instant.withLock { $0 = ContinuousClock.now } }
}
