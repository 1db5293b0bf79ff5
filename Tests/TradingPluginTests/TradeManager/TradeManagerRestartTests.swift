import BusKit
import BusTestSupport
import BusWire
import Foundation
import GRDB
import Money
import TradeManager
import TradingWire
import Testing

@Suite("trade-manager database and restart")
struct TradeManagerRestartTests {
    @Test("the store round-trips every field, in WAL mode, and re-writing a fill keeps its trade")
    func roundTrip() async throws {
        let h = TradeManagerHarness()
        defer { h.cleanUp() }
        try FileManager.default.createDirectory(atPath: h.folder, withIntermediateDirectories: true)
        var book = TradeBook()
        var all = BookChanges()
        all.merge(book.apply(intent: TM.entry("T1"), now: TM.t0))
        all.merge(book.apply(fill: TM.fill("F1", order: "O1", count: 6, price: "0.50", fee: "0.11"), now: TM.at(1)))
        all.merge(book.apply(event: TM.answer("T1", .partiallyFilled, order: "O1", filled: 6, price: "0.50", fees: "0.11"), now: TM.at(1)))
        all.merge(book.apply(intent: TM.close("K1", trade: "T1", count: 6), now: TM.at(60)))
        all.merge(book.apply(event: TM.answer("K1", .partiallyFilled, purpose: .close, trade: "T1", order: "OC1", filled: 2,
                                              price: "0.45", fees: "0.04", side: .no, requested: 6), now: TM.at(61)))
        let store = try TradeStore(path: h.folder + "/trades.sqlite")
        try await store.write(all)
        #expect(try await store.journalMode() == "wal")
        let loaded = try await store.load()
        #expect(Set(loaded.trades) == Set(book.trades.values))
        #expect(loaded.fills == [StoredFill(fill: TM.fill("F1", order: "O1", count: 6, price: "0.50", fee: "0.11"), tradeID: "T1")])
        let rebuilt = TradeBook(trades: loaded.trades, fills: loaded.fills)
        #expect(rebuilt.trades == book.trades)
        // Money is stored as integer micros, counts as centis.
        let queue = try DatabaseQueue(path: h.folder + "/trades.sqlite")
        let row = try queue.read { db in try Row.fetchOne(db, sql: "SELECT * FROM trades WHERE id = 'T1#K1'") }
        #expect(row?["pnl_micros"] == 23_334 as Int64 && row?["count_centis"] == 200 as Int64 && row?["status"] == "closed")
        let readOnly = try TradeStore(path: h.folder + "/trades.sqlite", readOnly: true)
        #expect(try await readOnly.load().trades.count == 2)
    }

    @Test("kill the plugin mid-trade, start a new one on the same file: in-flight state is rebuilt and replays are idempotent")
    func restart() async throws {
        let h = TradeManagerHarness()
        defer { h.cleanUp() }
        let clock = TestClock(start: TM.t0)
        let bus1 = InMemoryBus(source: "trade-manager@test")
        let inbox1 = TradeInbox()
        let collecting1 = inbox1.collect(bus1.subscribe([try TopicFilter(validating: "trade.")]))
        let first = try h.start(bus: bus1, clock: clock)
        #expect(await eventually { !inbox1.open.isEmpty })
        let intent = TM.entry("T1")
        try bus1.publish(.orderIntent(source: "auto-entry"), intent)
        let filled = TM.answer("T1", .filled, order: "O1", filled: 10, price: "0.56", fees: "0.18")
        try bus1.publish(.orderEvent(source: "auto-entry"), filled)
        try bus1.publish(.orderIntent(source: "trade-supervisor"), TM.close("C1", trade: "T1"))
        #expect(await eventually { inbox1.status("T1") == .closing })
        first.cancel()
        clock.advance(seconds: 1)
        collecting1.cancel()
        bus1.close()

        let bus2 = InMemoryBus(source: "trade-manager@test")
        let inbox2 = TradeInbox()
        let collecting2 = inbox2.collect(bus2.subscribe([try TopicFilter(validating: "trade.")]))
        defer { collecting2.cancel() }
        let second = try h.start(bus: bus2, clock: clock)
        defer { second.cancel() }
        #expect(await eventually { inbox2.open.contains { $0.trades.first?.status == .closing } })
        let rebuilt = try #require(inbox2.open.last?.trades.first)
        #expect(rebuilt.id == "T1" && rebuilt.count == TM.n(10) && rebuilt.entryPrice == TM.d("0.56") && rebuilt.entryOrderID == "O1")
        #expect(inbox2.stats.first?.overall.trades == 0)
        // The executor re-answers repeated keys; the replays change nothing.
        try bus2.publish(.orderIntent(source: "auto-entry"), intent)
        try bus2.publish(.orderEvent(source: "auto-entry"), filled)
        try bus2.publish(.orderIntent(source: "trade-supervisor"), TM.close("C1", trade: "T1"))
        let closeAnswer = TM.answer("C1", .filled, purpose: .close, trade: "T1", order: "O2", filled: 10, price: "0.30",
                                    fees: "0.15", side: .no)
        try bus2.publish(.orderEvent(source: "trade-supervisor"), closeAnswer)
        #expect(await eventually { inbox2.status("T1") == .closed })
        #expect(inbox2.updates.count == 1 && inbox2.latest("T1")?.pnl == TM.d("1.07"))
        #expect(await eventually { inbox2.stats.last?.overall.pnl == TM.d("1.07") })
        let stored = try await TradeStore(path: h.database, readOnly: true).load()
        #expect(stored.trades.first?.record.status == .closed && stored.trades.first?.record.pnl == TM.d("1.07"))
    }
}
