import BusTestSupport
import BusWire
import Coinbase
import Money
import PriceSim
import Synchronization
import Testing

/// Collects what the client delivers.
final class Recorder: Sendable {
    private let events = Mutex<[CoinbaseFeedEvent]>([])
    func append(_ e: CoinbaseFeedEvent) { events.withLock { $0.append(e) } }
    var all: [CoinbaseFeedEvent] { events.withLock { $0 } }
    var ticks: [CoinbaseTick] { all.compactMap { if case .tick(let t) = $0 { t } else { nil } } }
    var heartbeats: [CoinbaseHeartbeat] { all.compactMap { if case .heartbeat(let h) = $0 { h } else { nil } } }
    var subscribed: Int { all.filter { if case .subscribed = $0 { true } else { false } }.count }
    var disconnects: Int { all.filter { if case .disconnected = $0 { true } else { false } }.count }
    var gaps: [Int64] { all.compactMap { if case .gap(let n) = $0 { n } else { nil } } }
}

/// A simulated feed on a real loopback WebSocket, and a client connected to it.
struct FeedHarness: Sendable {
    static let start: Int64 = 1_750_000_000
    let process = SyntheticProcess(seed: 5, start: start - 86_400, initialPrice: Dollars("104000")!)
    let clock = ManualClock(startMicros: start * 1_000_000)
    let feed: CoinbaseFeed
    let recorder = Recorder()

    init() { feed = CoinbaseFeed(process: process, clock: clock) }

    func run(silenceTimeout: Double = 120, _ body: @escaping @Sendable (CoinbaseFeedClient) async throws -> Void) async throws {
        let feed = self.feed, recorder = self.recorder
        try await PriceSimServer(feed: feed).withRunning { port in
            let client = CoinbaseFeedClient(configuration: .init(
                url: "ws://127.0.0.1:\(port)/coinbase", backoff: ReconnectBackoff(initial: 0.02, maximum: 0.2),
                silenceTimeout: silenceTimeout))
            let running = Task { await client.run { recorder.append($0) } }
            defer { running.cancel() }
            try await body(client)
            running.cancel()
            await running.value
        }
    }

    /// Advances simulated time one second and waits for that second's tick.
    func step() async throws {
        let before = recorder.ticks.count
        clock.advance(seconds: 1)
        #expect(await eventually { recorder.ticks.count > before })
    }
}

@Suite("Coinbase WebSocket client against the simulated feed over loopback")
struct FeedClientTests {
    @Test("subscribes, and decodes each second's ticker and heartbeat exactly")
    func subscribeAndDecode() async throws {
        let h = FeedHarness()
        try await h.run { client in
            #expect(await eventually { h.recorder.subscribed == 1 && h.recorder.ticks.count == 1 })
            for _ in 0..<3 { try await h.step() }
            #expect(await eventually { h.recorder.heartbeats.count >= 4 })
            let ticks = h.recorder.ticks
            #expect(ticks.count == 4)
            for (i, t) in ticks.enumerated() {
                let second = FeedHarness.start + Int64(i)
                #expect(t.time.microseconds / 1_000_000 == second)
                #expect(t.price == h.process.value(atSecond: second))
                #expect(t.productID == "BTC-USD")
                #expect(t.bestBid <= t.price && t.price <= t.bestAsk)
                #expect(t.low24h <= t.price && t.price <= t.high24h)
                if i > 0 { #expect(t.tradeID == ticks[i - 1].tradeID + 1) }
            }
            #expect(h.recorder.heartbeats.last?.lastTradeID == ticks.last?.tradeID)
            #expect(h.feed.faults.subscriptions == 1)
            #expect(client.statistics.gaps == 0 && client.statistics.malformed == 0)
        }
    }

    @Test("a connection dropped by the server is made again and resubscribed")
    func reconnects() async throws {
        let h = FeedHarness()
        try await h.run { client in
            #expect(await eventually { h.recorder.ticks.count == 1 })
            h.feed.faults.dropConnections()
            #expect(await eventually { h.recorder.disconnects == 1 && h.recorder.subscribed == 2 })
            #expect(h.feed.faults.subscriptions == 2)
            #expect(h.feed.faults.connectionsAccepted == 2)
            try await h.step()
            #expect(client.statistics.connections == 2)
            #expect(client.statistics.gaps == 0, "the downtime is not a gap")
        }
    }

    @Test("a skip in trade ids is counted as a gap and the tick still delivered")
    func gapCounted() async throws {
        let h = FeedHarness()
        try await h.run { client in
            #expect(await eventually { h.recorder.ticks.count == 1 })
            h.feed.faults.skipTrades(3)
            try await h.step()
            try await h.step()
            #expect(client.statistics.gaps == 1)
            #expect(client.statistics.missedTrades == 3)
            #expect(h.recorder.gaps == [3])
            #expect(h.recorder.ticks.count == 3)
        }
    }

    @Test("malformed messages are counted and skipped; the feed goes on")
    func malformedCounted() async throws {
        let h = FeedHarness()
        try await h.run { client in
            #expect(await eventually { h.recorder.ticks.count == 1 })
            h.feed.faults.sendRaw("{not json")
            h.feed.faults.sendRaw(#"{"type":"ticker","price":104000.5}"#)
            h.feed.faults.sendRaw(#"{"type":"status","products":[]}"#)   // unknown types are ignored, not malformed
            try await h.step()
            #expect(client.statistics.malformed == 2)
            #expect(h.recorder.ticks.count == 2)
            #expect(h.recorder.disconnects == 0)
        }
    }

    @Test("silence is a dead connection: the client reconnects")
    func silenceReconnects() async throws {
        let h = FeedHarness()
        try await h.run(silenceTimeout: 0.3) { client in
            // Simulated time stands still, so the feed says nothing after the first tick.
            #expect(await eventually { client.statistics.silences >= 1 && h.recorder.subscribed >= 2 })
            #expect(h.feed.faults.connectionsAccepted >= 2)
        }
    }
}
