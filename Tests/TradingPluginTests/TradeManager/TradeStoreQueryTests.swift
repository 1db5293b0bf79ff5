import CivilTime
import Foundation
import Money
import TradeManager
import TradingWire
import Testing

/// The trade store's query SQL on a real SQLite file: filters, US Eastern days across daylight saving, keyset paging,
/// the size bound of a page, and totals over the whole filter in exact money.
@Suite("trade store queries")
struct TradeStoreQueryTests {
    /// 2026-03-08 00:00 EST: the day daylight saving starts (23 hours long); the next day starts at 04:00 UTC.
    static let march8: Int64 = 1_772_946_000, march9: Int64 = 1_773_028_800

    static let seeded = [
        Seed.record("a", entered: march8 - 1, pnl: "0.50"),  // 2026-03-07 23:59:59 EST
        Seed.record("b", entered: march8, pnl: "0.40", fees: "0.02"),
        Seed.record("c", entered: march9 - 1, status: .settled, pnl: "-0.25", fees: "0.03"),  // 23:59:59 EDT
        Seed.record("d", entered: march9, status: .settled, pnl: "1.10", strategy: "Other"),
        Seed.record("e", entered: march8 + 25_200, status: .open),
        Seed.record("f", entered: march8 + 30_000, pnl: "0"),
    ]

    func withStore(_ records: [TradeRecord], _ body: (TradeStore) async throws -> Void) async throws {
        let folder = NSTemporaryDirectory() + "trade-store-query-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await Seed.write(records, to: folder + "/trades.sqlite")
        try await body(try TradeStore(path: folder + "/trades.sqlite"))
    }

    func ask(_ store: TradeStore, budget: Int = 1 << 19, _ edit: (inout TradeQuery) -> Void = { _ in }) async throws -> TradeQueryResult {
        var q = TradeQuery(requester: "test", requestID: "r")
        edit(&q)
        return try await store.query(q, byteBudget: budget)
    }

    @Test("US Eastern day bounds: 23- and 25-hour days; bad dates refused")
    func dayBounds() {
        #expect(EasternTime.startOfDay("2026-03-08") == Self.march8 && EasternTime.endOfDay("2026-03-08") == Self.march9)
        #expect(EasternTime.startOfDay("2026-11-01") == 1_793_505_600 && EasternTime.endOfDay("2026-11-01") == 1_793_595_600)
        #expect(EasternTime.endOfDay("2026-12-31") == EasternTime.startOfDay("2027-01-01") && EasternTime.startOfDay("2028-02-29") != nil)
        for bad in ["2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01", "2026-+1-01", "2026-01-01T00", ""] {
            #expect(EasternTime.startOfDay(bad) == nil, "\(bad)")
        }
    }

    @Test("US Eastern days, both ends inclusive, across the start of daylight saving; totals over the filter")
    func easternDays() async throws {
        try await withStore(Self.seeded) { store in
            let day = try await ask(store) { $0.fromDay = "2026-03-08"; $0.toDay = "2026-03-08" }
            #expect(day.trades.map(\.id) == ["c", "f", "e", "b"] && !day.truncated && day.nextCursor == nil)
            let s = try #require(day.summary)
            #expect(s.trades == 4 && s.wins == 1 && s.losses == 1 && s.draws == 1 && s.winRate == "0.5000")
            #expect(s.pnl == Dollars("0.15")! && s.fees == Dollars("0.12")!)  // 0.02+0.01, 0.03+0.01, 0.02 (open), 0.02+0.01
            #expect(try await ask(store) { $0.fromDay = "2026-03-09" }.trades.map(\.id) == ["d"])
            #expect(try await ask(store) { $0.toDay = "2026-03-07" }.trades.map(\.id) == ["a"])
            let all = try await ask(store)
            #expect(all.trades.count == 6 && all.summary?.pnl == Dollars("1.75")! && all.summary?.trades == 6)
            await #expect(throws: TradeManagerError.self) { _ = try await ask(store) { $0.fromDay = "2026-02-30" } }
        }
    }

    @Test("status, result, strategy and time filters narrow the page and the totals alike")
    func filters() async throws {
        try await withStore(Self.seeded) { store in
            let settled = try await ask(store) { $0.statuses = [.settled] }
            #expect(settled.trades.map(\.id) == ["d", "c"] && settled.summary?.pnl == Dollars("0.85")!)
            let losses = try await ask(store) { $0.results = [.loss] }
            #expect(losses.trades.map(\.id) == ["c"] && losses.summary?.losses == 1 && losses.summary?.wins == 0)
            let wins = try await ask(store) { $0.results = [.win]; $0.strategy = "Hourly HTC" }
            #expect(wins.trades.map(\.id) == ["b", "a"] && wins.summary?.winRate == "1.0000" && wins.summary?.pnl == Dollars("0.90")!)
            let window = try await ask(store) { $0.fromTs = Self.march8; $0.toTs = Self.march9 - 1 }
            #expect(window.trades.map(\.id) == ["f", "e", "b"])
            let none = try await ask(store) { $0.statuses = [] }
            #expect(none.trades.isEmpty && none.summary?.trades == 0 && none.summary?.pnl == .zero && none.summary?.winRate == nil)
        }
    }

    @Test("pages follow one another by cursor, newest first, ties by id, none lost or repeated; the totals cover every page")
    func paging() async throws {
        // 25 trades, five to an entry second, so pages split inside a tie.
        let records = (0..<25).map { i in Seed.record(String(format: "t%02d", i), entered: Self.march8 + Int64(i / 5) * 60, pnl: "0.01") }
        try await withStore(records) { store in
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await ask(store) { $0.limit = 10; $0.cursor = cursor }
                pages += 1
                seen += page.trades.map(\.id)
                #expect(page.summary?.trades == 25 && page.summary?.pnl == Dollars("0.25")!)
                #expect(page.truncated == (page.nextCursor != nil))
                cursor = page.nextCursor
            } while cursor != nil && pages < 10
            #expect(pages == 3 && seen == records.sorted { ($0.enteredTs, $0.id) > ($1.enteredTs, $1.id) }.map(\.id))
            await #expect(throws: TradeManagerError.self) { _ = try await ask(store) { $0.cursor = "not-a-cursor" } }
        }
    }

    @Test("a page is cut to fit the byte budget and says where the next starts")
    func sizeBound() async throws {
        let records = (0..<40).map { i in Seed.record("s\(i)", entered: Self.march8 + Int64(i), pnl: "0.10") }
        try await withStore(records) { store in
            // The budget of exactly the first seven trades as the store reads them (each with a separator).
            let whole = try await ask(store) { $0.limit = 1_000 }
            let seven = try whole.trades.prefix(7).reduce(0) { $0 + (try JSONEncoder().encode($1).count) + 1 }
            let page = try await ask(store, budget: seven) { $0.limit = 1_000 }
            #expect(page.trades.count == 7 && page.truncated && page.nextCursor != nil)
            let next = try await ask(store, budget: 1 << 19) { $0.cursor = page.nextCursor }
            #expect(next.trades.count == 33 && !next.truncated && Set(page.trades.map(\.id)).isDisjoint(with: next.trades.map(\.id)))
            // A page never asks for more than the most allowed, and never for less than one.
            #expect(try await ask(store) { $0.limit = 0 }.trades.count == 1)
        }
    }
}
