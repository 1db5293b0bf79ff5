import BusKit
import BusTestSupport
import BusWire
import Foundation
import MarketWire
import Money
import TradeManager
import TradingWire
import Testing

@Suite("trade-manager plugin over the real bus")
struct TradeManagerBusTests {
    @Test("intents, answers, fills, expiry at the hour and settlement, end to end through the broker")
    func endToEnd() async throws {
        try await Self.onBroker(start: TM.t0, as: "tester") { h, broker, clock, tester, inbox in
            #expect(await eventually { !inbox.open.isEmpty && !inbox.stats.isEmpty })

            try tester.publish(.btcTick, BTCTick(product: "BTC-USD", price: TM.d("91250"), bestBid: TM.d("91249"), bestAsk: TM.d("91251"),
                                                time: TM.t0.description, tradeID: 1, source: "coinbase"))
            // Two trades on one ticker; B's fill arrives before its answer.
            #expect(await publishUntil(tester, .orderIntent(source: "auto-entry"), TM.entry("A")) { inbox.status("A") == .pending })
            #expect(await publishUntil(tester, .orderIntent(source: "auto-entry"), TM.entry("B", count: 5)) { inbox.status("B") == .pending })
            try tester.publish(.venueFill, TM.fill("FB", order: "OB", count: 5, price: "0.60", fee: "0.11"))
            #expect(await publishUntil(tester, .orderEvent(source: "auto-entry"),
                                       TM.answer("A", .filled, order: "OA", filled: 10, price: "0.56", fees: "0.18")) { inbox.status("A") == .open })
            #expect(await publishUntil(tester, .orderEvent(source: "auto-entry"),
                                       TM.answer("B", .filled, order: "OB", filled: 5, price: "0.61", fees: "0.12", requested: 5)) {
                inbox.status("B") == .open
            })
            // The venue's fill decides B's price and fees.
            #expect(inbox.latest("B")?.entryPrice == TM.d("0.60") && inbox.latest("B")?.entryFees == TM.d("0.11"))
            // Close A only.
            #expect(await publishUntil(tester, .orderIntent(source: "trade-supervisor"), TM.close("CA", trade: "A")) { inbox.status("A") == .closing })
            #expect(await publishUntil(tester, .orderEvent(source: "trade-supervisor"),
                                       TM.answer("CA", .filled, purpose: .close, trade: "A", order: "OA2", filled: 10, price: "0.30",
                                                 fees: "0.15", side: .no)) { inbox.status("A") == .closed })
            #expect(inbox.latest("A")?.pnl == TM.d("1.07") && inbox.status("B") == .open)
            #expect(await eventually { inbox.stats.last?.overall.trades == 1 })

            // The top of the hour: the timer expires B.
            #expect(await eventually { clock.sleeperCount > 0 })
            clock.advance(seconds: 1_800)
            #expect(await eventually { inbox.status("B") == .expired })
            #expect(inbox.latest("B")?.btcAtClose == TM.d("91250"))
            #expect(await publishUntil(tester, .venueSettlement, TM.settlement("yes")) { inbox.status("B") == .settled })
            // 5 × 1 − 3.00 − 0.11
            #expect(inbox.latest("B")?.pnl == TM.d("1.89"))
            #expect(await eventually { inbox.stats.last?.overall.pnl == TM.d("2.96") && inbox.open.last?.trades.isEmpty == true })
            #expect(inbox.stats.last?.overall.winRate == "1.0000")
            let stored = try await TradeStore(path: h.database, readOnly: true).load()
            #expect(stored.trades.map(\.record.status) == [.closed, .settled])
            #expect(stored.fills.map(\.tradeID) == ["B"])
        }
    }

    @Test("an entry and a close whose intents and answers were missed reach the database from account-sync's venue messages")
    func adoptedFromVenue() async throws {
        try await Self.onBroker(start: TM.t0, as: "account-sync") { h, broker, clock, sync, inbox in
            #expect(await eventually { !inbox.open.isEmpty })
            // Republished again and again, as account-sync does for a trade manager that missed them: applied once.
            let key = "ae-KXBTCD-26DEC0114-91249_99-yes-1"
            #expect(await publishUntil(sync, .venueOrder, Venue.order("O1", client: key, filled: 10)) { inbox.status(key) == .open })
            #expect(inbox.latest(key)?.entryPrice == TM.d("0.56") && inbox.latest(key)?.strategy == "unknown")
            #expect(await publishUntil(sync, .venueFill, TM.fill("F1", order: "O1", count: 10, price: "0.55", fee: "0.18")) {
                inbox.latest(key)?.entryPrice == TM.d("0.55")
            })
            #expect(await publishUntil(sync, .venueOrder, Venue.order("O2", client: "sv-stop-1", filled: 10, side: .no, price: "0.30")) {
                inbox.status(key) == .closing
            })
            #expect(await publishUntil(sync, .venueFill, TM.fill("F2", order: "O2", count: 10, price: "0.30", fee: "0.14", side: .no)) {
                inbox.status(key) == .closed
            })
            #expect(inbox.latest(key)?.closeFees == TM.d("0.14"))
            // The late intent merges into the adopted trade.
            #expect(await publishUntil(sync, .orderIntent(source: "auto-entry"), TM.entry(key)) { inbox.latest(key)?.strategy == "Hourly HTC" })
            let stored = try await TradeStore(path: h.database, readOnly: true).load()
            #expect(stored.trades.map(\.id) == [key] && stored.trades.first?.record.status == .closed)
            #expect(stored.trades.first?.record.pnl == TM.d("1.18"))  // 10 − 3.00 − 5.50 − 0.18 − 0.14
            #expect(Set(stored.fills.map(\.fill.fillID)) == ["F1", "F2"] && stored.fills.allSatisfy { $0.tradeID == key })
        }
    }

    @Test("recio trades expire-now's core: the request expires what is due and returns the trades in flight")
    func expireNow() async throws {
        // Past the event's close, but the hourly timer has not fired yet.
        try await Self.onBroker(start: TM.at(1_801), as: "tester") { h, broker, clock, tester, inbox in
            #expect(await eventually { !inbox.open.isEmpty })
            #expect(await publishUntil(tester, .orderIntent(source: "auto-entry"), TM.entry("A")) { inbox.status("A") == .pending })
            #expect(await publishUntil(tester, .orderEvent(source: "auto-entry"),
                                       TM.answer("A", .filled, order: "OA", filled: 10, price: "0.56", fees: "0.18")) { inbox.status("A") == .open })
            clock.advance(seconds: 1)
            let cli = try broker.connect(as: "trades-cli@test", clock: clock)
            defer { cli.close() }
            let outcome = try #require(await TradesClient.expireNow(bus: cli, clock: clock, timeoutSeconds: 20, resendSeconds: 1))
            #expect(outcome.expired.map(\.id) == ["A"] && outcome.expired.first?.status == .expired)
            #expect(outcome.open.trades.map(\.status) == [.expired])
            let listed = try #require(await TradesClient.openTrades(bus: cli, timeoutSeconds: 20))
            #expect(listed.trades.map(\.id) == ["A"])
        }
    }

    @Test("trade queries are answered from the database through the broker: Eastern days, results, pages by cursor, exact totals")
    func queries() async throws {
        // 30 trades an hour apart from 2026-03-08 00:00 EST (a 23-hour day): every third a loss.
        let day = TradeStoreQueryTests.march8
        let seed = (0..<30).map { i in Seed.record(String(format: "q%02d", i), entered: day + Int64(i) * 3_600, pnl: i % 3 == 0 ? "-0.25" : "0.40") }
            + [Seed.record("still-open", entered: day + 600, status: .open, strategy: "Other")]
        try await Self.onBroker(start: TM.t0, as: "tester", seed: seed) { h, broker, clock, tester, inbox in
            #expect(await eventually { !inbox.open.isEmpty })
            var n = 0
            func ask(_ edit: (inout TradeQuery) -> Void) async -> TradeQueryResult? {
                n += 1
                var q = TradeQuery(requester: "tester", requestID: "q\(n)")
                edit(&q)
                let id = q.requestID
                guard await publishUntil(tester, .tradeQuery, q, { inbox.reply(id) != nil }) else { return nil }
                return inbox.reply(id)
            }
            let whole = try #require(await ask { $0.fromDay = "2026-03-08"; $0.toDay = "2026-03-08"; $0.strategy = "Hourly HTC" })
            #expect(whole.trades.count == 23 && whole.trades.first?.id == "q22" && whole.trades.last?.id == "q00" && !whole.truncated)
            let s = try #require(whole.summary)
            #expect(s.trades == 23 && s.wins == 15 && s.losses == 8 && s.winRate == "0.6522")
            #expect(s.pnl == TM.d("4.00") && s.fees == TM.d("0.69"))  // 15 × 0.40 − 8 × 0.25; 23 × (0.02 + 0.01)

            var ids: [String] = []
            var cursor: String?
            for _ in 0..<4 {
                let page = try #require(await ask { $0.fromDay = "2026-03-08"; $0.toDay = "2026-03-08"; $0.results = [.win]; $0.limit = 5; $0.cursor = cursor })
                ids += page.trades.map(\.id)
                #expect(page.summary?.trades == 15 && page.summary?.pnl == TM.d("6.00") && page.summary?.losses == 0)
                cursor = page.nextCursor
                if cursor == nil { break }
            }
            #expect(ids.count == 15 && Set(ids).count == 15 && ids.allSatisfy { Int($0.dropFirst())! % 3 != 0 } && cursor == nil)
            #expect(ids == ids.sorted(by: >))

            let open = try #require(await ask { $0.statuses = [.open] })
            #expect(open.trades.map(\.id) == ["still-open"] && open.summary?.pnl == .zero)
            let bad = try #require(await ask { $0.fromDay = "2026-13-01" })
            #expect(bad.trades.isEmpty && bad.error?.contains("from_day") == true)
        }
    }

    /// A trade manager on a real broker with its own database (holding `seed`), a second connection (`source@test`)
    /// collecting every `trade.` message, both on a test clock starting at `start`; `body` runs once the plugin is up.
    static func onBroker(start: BusTime, as source: String, seed: [TradeRecord] = [],
                         _ body: (TradeManagerHarness, TestBroker, TestClock, ZMQBus, TradeInbox) async throws -> Void) async throws {
        let h = TradeManagerHarness()
        defer { h.cleanUp() }
        if !seed.isEmpty {
            try FileManager.default.createDirectory(atPath: h.folder + "/data", withIntermediateDirectories: true)
            try await Seed.write(seed, to: h.database)
        }
        let broker = try TestBroker()
        defer { broker.stop() }
        let clock = TestClock(start: start)
        let pluginBus = try broker.connect(as: "trade-manager@test", clock: clock)
        defer { pluginBus.close() }
        let other = try broker.connect(as: "\(source)@test", clock: clock)
        defer { other.close() }
        #expect(await pluginBus.waitUntilConnected(timeoutSeconds: 20))
        #expect(await other.waitUntilConnected(timeoutSeconds: 20))
        let inbox = TradeInbox()
        let collecting = inbox.collect(other.subscribe([try TopicFilter(validating: "trade.")]))
        defer { collecting.cancel() }
        let running = try h.start(bus: pluginBus, clock: clock)
        defer { running.cancel() }
        try await body(h, broker, clock, other, inbox)
    }
}
