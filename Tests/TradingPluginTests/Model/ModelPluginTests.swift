import BusKit
import BusTestSupport
import BusWire
import Foundation
import Logging
import MarketWire
import Model
import Money
import ProbabilityModel
import Synchronization
import Testing
import TradingWire

/// Collects strike tables and watchlists.
final class ModelInbox: Sendable {
    private let messages = Mutex<[Envelope]>([])
    func collect(_ s: Subscription) -> Task<Void, Never> { Task { for await e in s { messages.withLock { $0.append(e) } } } }
    var tables: [StrikeTable] { messages.withLock { $0 }.filter { $0.topic.hasPrefix("model.strikes.") }.compactMap { try? $0.decode(StrikeTable.self) } }
    var watchlists: [Watchlist] { messages.withLock { $0 }.filter { $0.topic.hasPrefix("model.watchlist.") }.compactMap { try? $0.decode(Watchlist.self) } }
}

@Suite("model plugin over the real bus")
struct ModelPluginTests {
    typealias F = ModelFixtures

    func run(section: String, _ body: @escaping @Sendable (ZMQBus, ModelInbox, Health) async throws -> Void) async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let pluginBus = try broker.connect(as: "model@test"), feed = try broker.connect(as: "feed@test"), tap = try broker.connect(as: "tap@test")
        defer { pluginBus.close(); feed.close(); tap.close() }
        for b in [pluginBus, feed, tap] { #expect(await b.waitUntilConnected(timeoutSeconds: 20)) }
        let inbox = ModelInbox()
        let collecting = inbox.collect(tap.subscribe([.strikeTables, .watchlists]))
        defer { collecting.cancel() }
        let health = Health()
        let context = PluginContext(name: ModelPlugin.name, host: "test", configuration: try F.configuration(section), bus: pluginBus,
                                    clock: SystemClock(), health: health, logger: Logger(label: "test"))
        let plugin = try ModelPlugin(context: context)
        let running = Task { try await plugin.run() }
        defer { running.cancel() }
        try await body(feed, inbox, health)
    }

    @Test("series, event, book and ticks in; strike table and watchlist out on model.*.<event>")
    func endToEnd() async throws {
        try await run(section: "strikes = 5\n") { feed, inbox, health in
            let close = Int64(Date().timeIntervalSince1970) + 1_800
            let ok = await eventually {
                try? feed.publish(.marketSeries(F.series), MarketSeriesIndex(series: F.series, events: ["KXBTCD-25MAY1522"]))
                try? feed.publish(.marketEvent("KXBTCD-25MAY1522"), F.event(close: close))
                try? feed.publish(.marketBook("KXBTCD-25MAY1522-T99999.99"), F.book("KXBTCD-25MAY1522-T99999.99"))
                try? feed.publish(.btcMomentum, F.momentum(3))
                try? feed.publish(.btcTick, F.tick("100010"))
                return inbox.tables.contains { $0.momentum == 3 && $0.rows.contains { $0.yesAsk != nil } } && !inbox.watchlists.isEmpty
            }
            #expect(ok)
            let table = try #require(inbox.tables.last)
            #expect(table.eventTicker == "KXBTCD-25MAY1522" && table.model == "vol" && table.rows.count == 5 && table.closeTs == close)
            #expect(table.btcPrice == F.d("100010") && table.ttcSeconds > 1_700 && table.ttcSeconds <= 1_800)
            let row = try #require(table.rows.first { $0.ticker == "KXBTCD-25MAY1522-T99999.99" })
            #expect(row.activeSide == .yes && row.edgeYes == row.fairYes - F.d("0.55") && row.volume == Contracts(whole: 5_000))
            let watch = try #require(inbox.watchlists.last)
            #expect(watch.rows.map(\.ticker) == ["KXBTCD-25MAY1522-T99999.99"])
            #expect(health.current == .running)
        }
    }

    @Test("a malformed message is skipped; the next tick still produces a table")
    func malformed() async throws {
        try await run(section: "") { feed, inbox, _ in
            let close = Int64(Date().timeIntervalSince1970) + 900
            let ok = await eventually {
                try? feed.publish(.btcTick, MarketSeriesIndex(series: "not a tick", events: []))
                try? feed.publish(.marketSeries(F.series), MarketSeriesIndex(series: F.series, events: ["KXBTCD-25MAY1522"]))
                try? feed.publish(.marketEvent("KXBTCD-25MAY1522"), F.event(close: close))
                try? feed.publish(.btcTick, F.tick("99000"))
                return inbox.tables.contains { $0.btcPrice == F.d("99000") }
            }
            #expect(ok)
            #expect(inbox.tables.last?.rows.count == 7)
        }
    }
}
