import Kalshi
import Money
import Synchronization

/// Every event a WebSocket client reported, collected while the test runs.
final class StreamRecorder: Sendable {
    private let events = Mutex<[KalshiWebSocketClient.Event]>([])

    func add(_ event: KalshiWebSocketClient.Event) { events.withLock { $0.append(event) } }

    var all: [KalshiWebSocketClient.Event] { events.withLock { $0 } }

    /// The highest connection number seen.
    var connections: Int {
        all.reduce(0) { n, e in if case .connected(let c) = e { return max(n, c) } else { return n } }
    }

    var messages: [StreamMessage] { all.compactMap { if case .message(let m) = $0 { m } else { nil } } }

    /// Snapshots received for `ticker` (the first one and every re-snapshot).
    func snapshots(_ ticker: String) -> Int {
        messages.filter { if case .orderbookSnapshot(_, _, let s) = $0 { s.marketTicker == ticker } else { false } }.count
    }

    /// True once a valid book of `ticker` with a YES level at `price` was reported.
    func sawBook(_ ticker: String, yesAt price: Dollars) -> Bool {
        all.contains { if case .book(let t, let book) = $0 { t == ticker && book.yes[price] != nil } else { false } }
    }

    var lifecycle: [MarketLifecycleUpdate] {
        messages.compactMap { if case .marketLifecycle(_, let u) = $0 { u } else { nil } }
    }

    var tickers: [TickerUpdate] { messages.compactMap { if case .ticker(_, let u) = $0 { u } else { nil } } }

    /// Channels the simulator confirmed, per connection in order.
    var subscribed: [String] {
        messages.compactMap { if case .subscribed(_, let channel, _) = $0 { channel } else { nil } }
    }
}

/// Runs a WebSocket client of `venue` subscribed to `channels` for `markets` while `body` runs, recording its events;
/// the client is cancelled and drained afterwards, whatever `body` did.
func withStream(_ venue: Venue, _ channels: [StreamChannel], markets: [String]? = nil, useYesPrice: Bool = true,
                _ body: @Sendable (KalshiWebSocketClient, StreamRecorder) async throws -> Void) async throws {
    let ws = venue.webSocket(useYesPrice: useYesPrice)
    await ws.subscribe(channels, marketTickers: markets)
    let recorder = StreamRecorder()
    let runner = Task { await ws.run() }
    let collector = Task { for await event in ws.events { recorder.add(event) } }
    let result: Result<Void, any Error>
    do {
        try await body(ws, recorder)
        result = .success(())
    } catch { result = .failure(error) }
    runner.cancel()
    await runner.value
    await collector.value
    try result.get()
}
