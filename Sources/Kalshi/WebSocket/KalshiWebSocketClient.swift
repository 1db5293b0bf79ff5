public import Foundation
import HTTPTypes
public import Logging
import HummingbirdWSClient
import NIOWebSocket

/// Kalshi's WebSocket (`/trade-api/ws/v2`): a signed session that keeps its subscriptions across reconnects and
/// keeps every `orderbook_delta` book valid.
///
/// ```swift
/// let ws = KalshiWebSocketClient(url: URL(string: "wss://external-api-ws.kalshi.com/trade-api/ws/v2")!, credentials: creds)
/// await ws.subscribe([.orderbookDelta, .ticker], marketTickers: ["KXBTCD-25MAY1522-T106249.99"])
/// Task { try await ws.run() }
/// for await event in ws.events { ... }
/// ```
///
/// ``run()`` connects, signs the handshake with a fresh timestamp each time, sends every subscription, and on a
/// drop waits with backoff (``RetryPolicy``) and does it all again. Books are rebuilt from new snapshots; a
/// sequence gap asks Kalshi for fresh snapshots (`update_subscription` / `get_snapshot`). Server pings are
/// answered with pongs; the client pings too when ``Configuration/pingInterval`` is set.
public actor KalshiWebSocketClient {
    /// How the session connects and reconnects.
    public struct Configuration: Sendable {
        /// `ws://` or `wss://` URL ending in `/trade-api/ws/v2`.
        public var url: URL
        /// Backoff between reconnects (attempts are unbounded; the policy shapes the delays).
        public var reconnect: RetryPolicy
        /// Client ping period; nil to only answer Kalshi's pings.
        public var pingInterval: Duration?
        /// Largest WebSocket frame accepted.
        public var maxFrameSize: Int
        /// `use_yes_price` on `orderbook_delta` subscriptions, always sent explicitly (default true: Kalshi has said
        /// the `false` form will go). Either way the books keep NO bids at NO prices; the ``Event/message(_:)``
        /// events carry Kalshi's frames as sent.
        public var useYesPrice = true

        /// A configuration for `url`; reconnects back off from 0.5 s to 30 s; client pings every 15 s.
        public init(url: URL, reconnect: RetryPolicy = RetryPolicy(baseDelay: .milliseconds(500), maxDelay: .seconds(30)),
                    pingInterval: Duration? = .seconds(15), maxFrameSize: Int = 1 << 20) {
            self.url = url
            self.reconnect = reconnect
            self.pingInterval = pingInterval
            self.maxFrameSize = maxFrameSize
        }

        /// Real money: `wss://external-api-ws.kalshi.com/trade-api/ws/v2`.
        public static let production = Configuration(url: URL(string: "wss://external-api-ws.kalshi.com/trade-api/ws/v2")!)
        /// Kalshi's demo environment.
        public static let demo = Configuration(url: URL(string: "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2")!)
        /// The local simulator on `host:port`.
        public static func simulator(host: String = "127.0.0.1", port: Int) -> Configuration {
            Configuration(url: URL(string: "ws://\(host):\(port)/trade-api/ws/v2")!)
        }
    }

    /// Text frames that were not Kalshi messages (malformed, truncated or of the wrong shape): logged and skipped.
    public private(set) var undecodableFrames = 0

    /// What the session reports, in order.
    public enum Event: Sendable {
        /// A connection was made (1 for the first, counting reconnects).
        case connected(connection: Int)
        /// A decoded message.
        case message(StreamMessage)
        /// A market's book changed and is valid.
        case book(marketTicker: String, OrderBook)
        /// The connection ended; the client reconnects unless cancelled.
        case disconnected(KalshiError?)
    }

    /// How the session connects and reconnects.
    public nonisolated let configuration: Configuration
    /// Every event of the session; finishes when ``run()`` returns.
    public nonisolated let events: AsyncStream<Event>
    let eventSink: AsyncStream<Event>.Continuation
    let credentials: Credentials?
    let logger: Logger
    let sleeper: KalshiRESTClient.Sleeper
    let epochMilliseconds: @Sendable () -> Int64
    let jitter: @Sendable () -> Double

    var wanted: [Subscription] = []
    var session = Session()
    var connections = 0
    var started = false

    /// A client for `configuration`; nothing happens until ``run()``.
    public init(configuration: Configuration, credentials: Credentials?, logger: Logger = Logger(label: "kalshi.ws"),
                sleeper: @escaping KalshiRESTClient.Sleeper = { try await Task.sleep(for: $0) },
                epochMilliseconds: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) },
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.configuration = configuration
        self.credentials = credentials
        self.logger = logger
        self.sleeper = sleeper
        self.epochMilliseconds = epochMilliseconds
        self.jitter = jitter
        (events, eventSink) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        session.useYesPrice = configuration.useYesPrice
    }

    /// Subscribes to `channels` (one subscription each), for `marketTickers` when given (`orderbook_delta` needs
    /// them). Kept across reconnects; sent at once when connected. A channel already subscribed gets the markets
    /// added instead (`update_subscription` / `add_markets`, sent once Kalshi has answered the channel's `subscribe`).
    public func subscribe(_ channels: [StreamChannel], marketTickers: [String]? = nil) {
        for channel in channels {
            if let i = wanted.firstIndex(where: { $0.channel == channel }) {
                addMarkets(marketTickers ?? [], to: channel, at: i)
                continue
            }
            let s = Subscription(channel: channel, marketTickers: marketTickers)
            wanted.append(s)
            session.send(s, logger: logger)
        }
    }

    private func addMarkets(_ tickers: [String], to channel: StreamChannel, at i: Int) {
        let new = tickers.filter { !(wanted[i].marketTickers ?? []).contains($0) }
        guard !new.isEmpty else { return }
        wanted[i].marketTickers = (wanted[i].marketTickers ?? []) + new
        _ = session.update(channel, action: "add_markets", marketTickers: new, logger: logger)
    }

    /// Removes markets from a channel's subscription (`update_subscription` / `delete_markets` when connected).
    public func removeMarkets(_ tickers: [String], from channel: StreamChannel) {
        guard let i = wanted.firstIndex(where: { $0.channel == channel }) else { return }
        wanted[i].marketTickers = wanted[i].marketTickers?.filter { !tickers.contains($0) }
        if channel == .orderbookDelta { for t in tickers { session.books.forget(t) } }
        _ = session.update(channel, action: "delete_markets", marketTickers: tickers, logger: logger)
    }

    /// Ends a channel's subscription (`unsubscribe` when connected); it is not renewed on reconnect.
    public func unsubscribe(_ channel: StreamChannel) {
        wanted.removeAll { $0.channel == channel }
        session.unsubscribe(channel, logger: logger)
    }

    /// The valid book of a market, nil when unknown or waiting for a snapshot.
    public func book(_ marketTicker: String) -> OrderBook? { session.books.book(marketTicker) }

    /// Connects and stays connected until the task is cancelled, then finishes ``events``. Runs once per client:
    /// a second call returns at once.
    public func run() async {
        guard !started else { return }
        started = true
        var failures = 0
        while !Task.isCancelled {
            var received = false
            let error = await connectOnce(received: &received)
            eventSink.yield(.disconnected(error))
            session.close()
            if Task.isCancelled { break }
            failures = received ? 1 : failures + 1
            let delay = configuration.reconnect.delay(afterAttempt: failures, jitter: jitter())
            logger.info("Kalshi WebSocket reconnecting", metadata: ["delay": "\(delay)", "error": "\(error.map { "\($0)" } ?? "closed")"])
            do { try await sleeper(delay) } catch { break }
        }
        eventSink.finish()
    }

    /// One connection: handshake, subscriptions, then messages until it ends.
    private func connectOnce(received: inout Bool) async -> KalshiError? {
        var config = WebSocketClientConfiguration(maxFrameSize: configuration.maxFrameSize)
        if let ping = configuration.pingInterval { config.autoPing = .enabled(timePeriod: ping) }
        do {
            if let credentials {
                for h in try credentials.signer.headers(method: "GET", path: configuration.url.path, timestampMs: epochMilliseconds()) {
                    if let name = HTTPField.Name(h.name) { config.additionalHeaders[name] = h.value }
                }
            }
        } catch { return error as? KalshiError }
        let (outgoing, writer) = AsyncStream<String>.makeStream(bufferingPolicy: .unbounded)
        let gotMessage = ReceivedFlag()
        do {
            // Cancellation ends the outgoing stream, whatever task the WebSocket handler runs on; the writer then says
            // goodbye, the server answers the close, and the inbound side ends: the session never outlives its task.
            _ = try await withTaskCancellationHandler {
                try await WebSocketClient.connect(url: configuration.url.absoluteString, configuration: config, logger: logger) {
                    inbound, outbound, _ in
                    await self.opened(writer)
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await text in outgoing { try await outbound.write(.text(text)) }
                            try? await outbound.close(.goingAway, reason: "client stopping")
                        }
                        for try await message in inbound.messages(maxSize: self.configuration.maxFrameSize) {
                            guard case .text(let text) = message else { continue }
                            gotMessage.set()
                            await self.handle(text)
                        }
                        group.cancelAll()
                    }
                }
            } onCancel: { writer.finish() }
            received = gotMessage.value
            return nil
        } catch {
            received = gotMessage.value
            return error as? KalshiError ?? KalshiError(.webSocket, message: "WebSocket session failed: \(error)")
        }
    }

    private func opened(_ writer: AsyncStream<String>.Continuation) {
        connections += 1
        session.open(writer)
        session.books.resetAll()
        eventSink.yield(.connected(connection: connections))
        for s in wanted { session.send(s, logger: logger) }
    }

    private func handle(_ text: String) {
        let message: StreamMessage
        do { message = try StreamMessage.decode(Data(text.utf8)) } catch {
            undecodableFrames += 1
            logger.warning("undecodable Kalshi WebSocket message", metadata: ["error": "\(error)", "undecodable": "\(undecodableFrames)"])
            return
        }
        eventSink.yield(.message(message))
        var seq: Int?
        if case .ok = message { seq = StreamMessage.sequence(of: Data(text.utf8)) }
        for action in session.apply(message, seq: seq, logger: logger) {
            if case .updated(let ticker) = action, let book = session.books.book(ticker) {
                eventSink.yield(.book(marketTicker: ticker, book))
            }
        }
    }
}
