import BusKit
import BusWire
import Foundation
import MarketWire
import Money
import Testing
import TradingWire
@testable import Web

/// The pure parts: the dashboard state, push coalescing, order planning, history totals, settings.
@Suite("Web pure parts")
struct PureTests {
    static func envelope<M: BusMessage>(_ topic: Topic, _ m: M, seq: UInt64 = 1) throws -> Envelope {
        Envelope(topic: topic.rawValue, type: M.typeName, src: "t@h", seq: seq, ts: BusTime(seconds: 1_780_000_000),
                 data: Array(try JSONEncoder().encode(m)))
    }

    @Test("the state keeps latest values, counts order outcomes and fills, and refuses malformed messages")
    func dashboardState() throws {
        var s = DashboardState(recentLimit: 2)
        let now = BusTime(seconds: 1_780_000_000)
        #expect(s.apply(try Self.envelope(.btcTick, Fixture.tick(104_000)), now: now) == .state("price.btc.tick"))
        #expect(s.apply(try Self.envelope(.strikeTable(event: Fixture.event), Fixture.table(price: 104_000)), now: now) == .state("model.strikes.\(Fixture.event)"))
        #expect(s.row(ticker: Fixture.ticker(103_750))?.1.yesAsk == Dollars(cents: 60))
        var bad = try Self.envelope(.openTrades, Fixture.tick(1))
        bad.type = "trade.state.open"
        #expect(s.apply(bad, now: now) == .none && s.malformed == 1)
        let untyped = try Self.envelope(Topic(validating: "price.eth.tick"), Fixture.tick(1))
        #expect(s.apply(untyped, now: now) == .none && s.latest["price.eth.tick"] == nil, "a state topic without a known type never reaches the page")
        #expect(s.apply(try Self.envelope(.alert(source: "x"), Fixture.tick(1)), now: now) == .none && s.events("alert").isEmpty,
                "an event that is not its topic's type is dropped too")
        let intent = OrderIntent(key: "k", source: "web", purpose: .entry, ticker: "T", eventTicker: "E", side: .yes,
                                 count: Contracts(whole: 1), limitPrice: Dollars(cents: 50), method: "manual", createdTime: "t")
        for i in 0..<3 { _ = s.apply(try Self.envelope(.orderEvent(source: "web"), Fixture.filled(intent), seq: UInt64(i)), now: now) }
        #expect(s.orderOutcomes["filled"] == 3 && s.events("order").count == 2)
        #expect(s.prices.points.count == 1)
        #expect(s.apply(try Self.envelope(.tradeQueryReply(requester: "web"), TradeQueryResult(requestID: "r", trades: [], truncated: false)), now: now) == .none)
    }

    @Test("a row the next table dropped is still found for a click, for 30 s after that table")
    func earlierRows() throws {
        var s = DashboardState()
        let now = BusTime(seconds: 1_780_000_000), topic = Topic.strikeTable(event: Fixture.event)
        let shown = Fixture.ticker(104_000 - 500)
        _ = s.apply(try Self.envelope(topic, Fixture.table(price: 104_000)), now: now)
        // The price moved by a strike: the table's lowest row is gone from the latest table.
        _ = s.apply(try Self.envelope(topic, Fixture.table(price: 104_250), seq: 2), now: now.adding(seconds: 1))
        #expect(s.strikeTables.last?.rows.contains { $0.ticker == shown } == false)
        let (table, row) = try #require(s.row(ticker: shown))
        #expect(table.btcPrice == Dollars(cents: 10_400_000) && row.ticker == shown)
        let planned = OrderPlanner.entry(BuyRequest(ticker: shown, side: .yes), state: s, key: "k", slippage: Dollars(cents: 2),
                                         strategy: "manual", now: now, ttl: 15)
        #expect((try? planned.get())?.ticker == shown)
        // Later tables age it out.
        _ = s.apply(try Self.envelope(topic, Fixture.table(price: 104_250), seq: 3), now: now.adding(seconds: 40))
        #expect(s.row(ticker: shown) == nil)
        #expect(s.row(ticker: Fixture.ticker(104_250 - 500)) != nil)
    }

    @Test("venue fills, orders and settlements account-sync publishes again are neither counted nor listed twice")
    func venueRepublished() throws {
        var s = DashboardState()
        let now = BusTime(seconds: 1_780_000_000)
        let fill = VenueFill(fillID: "F1", orderID: "O1", ticker: "T", side: .yes, action: "buy", count: Contracts(whole: 3),
                             price: Dollars(cents: 40), fee: nil, isTaker: true, ts: 1)
        let order = VenueOrderUpdate(orderID: "O1", clientOrderID: "k", ticker: "T", side: .yes, action: "buy", status: "executed",
                                     filledCount: Contracts(whole: 3), remainingCount: .zero, price: Dollars(cents: 40), ts: 1)
        for seq in 1...3 {
            _ = s.apply(try Self.envelope(.venueFill, fill, seq: UInt64(seq)), now: now)
            _ = s.apply(try Self.envelope(.venueOrder, order, seq: UInt64(seq)), now: now)
        }
        #expect(s.fills == 1 && s.filledContracts == Contracts(whole: 3))
        #expect(s.events("fill").count == 1 && s.events("venue-order").count == 1)
        var resting = order
        resting.status = "resting"
        #expect(s.apply(try Self.envelope(.venueOrder, resting, seq: 4), now: now) == .event("venue.order"))  // a change is news
        #expect(s.events("venue-order").count == 2)
    }

    @Test("a topic is pushed at most once per interval; the changes in between become one push when it is due")
    func coalescing() {
        var c = PushCoalescer(interval: 0.1)
        let t0 = BusTime(seconds: 100)
        func offer(_ topic: String, _ dt: Double) -> Bool { c.offer(topic, now: t0.adding(seconds: dt)) }
        func due(_ dt: Double) -> [String] { c.due(now: t0.adding(seconds: dt)) }
        #expect(offer("a", 0))
        #expect(!offer("a", 0.01))
        #expect(!offer("a", 0.02))
        #expect(offer("b", 0.02))
        #expect(c.nextDue == t0.adding(seconds: 0.1))
        #expect(due(0.05).isEmpty)
        #expect(due(0.1) == ["a"])
        #expect(!c.hasPending && c.nextDue == nil)
        #expect(!offer("a", 0.15))
        #expect(!offer("a", 0.2), "still pending until flushed")
        #expect(due(0.2) == ["a"])
    }

    @Test("a buy is capped at the ask plus slippage, never above 99¢; a close buys the opposite side")
    func planning() throws {
        var s = DashboardState()
        let now = BusTime(seconds: 1_780_000_000)
        var table = Fixture.table(price: 104_000)
        table.rows[0].yesAsk = Dollars(cents: 98)
        _ = s.apply(try Self.envelope(.strikeTable(event: Fixture.event), table), now: now)
        let buy = BuyRequest(ticker: table.rows[0].ticker, side: .yes)
        let intent = try OrderPlanner.entry(buy, state: s, key: "k1", slippage: Dollars(cents: 2), strategy: "S", now: now, ttl: 15).get()
        #expect(intent.limitPrice == Dollars(cents: 99) && intent.count == Contracts(whole: 1) && intent.strategy == "S")
        #expect(intent.expiresTs == 1_780_000_015 && intent.probability == 0.97)
        let bad = BuyRequest(ticker: table.rows[0].ticker, side: .yes, count: "0")
        #expect(throws: WebError.self) { try OrderPlanner.entry(bad, state: s, key: "k", slippage: .zero, strategy: "S", now: now, ttl: 1).get() }
        _ = s.apply(try Self.envelope(.openTrades, OpenTrades(trades: [Fixture.trade(id: "t", ticker: table.rows[1].ticker, side: .no)], time: "t")), now: now)
        let close = try OrderPlanner.close(CloseRequest(tradeID: "t"), state: s, key: "c1", slippage: Dollars(cents: 5), now: now, ttl: 15).get()
        #expect(close.side == .yes && close.limitPrice == Dollars(cents: 65) && close.purpose == .close && close.tradeID == "t")
    }

    @Test("in prod, a buy costing more than confirm_above needs the user's confirmation; other modes never ask")
    func confirmation() throws {
        var s = DashboardState()
        let now = BusTime(seconds: 1_780_000_000)
        let table = Fixture.table(price: 104_000)
        _ = s.apply(try Self.envelope(.strikeTable(event: Fixture.event), table), now: now)
        func check(_ count: String, limit: String = "0.50", mode: RunMode, confirmed: Bool? = nil) throws -> WebError? {
            let r = BuyRequest(ticker: table.rows[0].ticker, side: .yes, count: count, limitPrice: limit, confirmed: confirmed)
            let intent = try OrderPlanner.entry(r, state: s, key: "k", slippage: .zero, strategy: "S", now: now, ttl: 1).get()
            return OrderPlanner.confirmation(r, intent: intent, mode: mode, above: Dollars(cents: 2_500))
        }
        #expect(try check("50", mode: .prod) == nil, "$25.00 is not above $25")
        let refusal = try #require(try check("51", mode: .prod))
        #expect(refusal.description.contains("25.5") && refusal.description.contains("confirm"))
        #expect(try check("51", mode: .prod, confirmed: true) == nil)
        #expect(try check("51", mode: .prod, confirmed: false) != nil)
        for mode in [RunMode.sim, .paper, .demo] { #expect(try check("10000", limit: "0.99", mode: mode) == nil) }
    }

    @Test("history: the store's totals with the win rate in percent; filters become a trade query; CSV cells are safe")
    func history() throws {
        let totals = TradeStatistics.Bucket(key: "query", trades: 4, wins: 2, losses: 1, draws: 1, winRate: "0.6667",
                                            pnl: Dollars(cents: 35), fees: Dollars(cents: 6))
        let s = HistorySummary(totals)
        #expect(s.trades == 4 && s.wins == 2 && s.losses == 1 && s.draws == 1 && s.winRate == "66.67")
        #expect(s.pnl == Dollars(cents: 35) && s.fees == Dollars(cents: 6))
        let f = try HistoryFilter.parse(["from": "2026-05-28", "to": "2026-05-29", "result": "win,loss", "status": "closed",
                                         "strategy": "S", "limit": "50", "cursor": "1780000000:a"]).get()
        let q = f.query(requester: "web", requestID: "r")
        #expect(q.fromDay == "2026-05-28" && q.toDay == "2026-05-29" && q.results == [.win, .loss] && q.statuses == [.closed])
        #expect(q.strategy == "S" && q.limit == 50 && q.cursor == "1780000000:a" && q.fromTs == nil)
        #expect(try HistoryFilter.parse(["from": "1780000000"]).get().fromTs == 1_780_000_000)
        for bad in [["from": "2026-02-30"], ["to": "yesterday"], ["result": "maybe"], ["limit": "0"]] {
            guard case .failure = HistoryFilter.parse(bad) else { Issue.record("accepted \(bad)"); continue }
        }

        var t = Fixture.trade(id: "a,b", ticker: "=HYPERLINK(\"x\")", status: .closed, result: .win, pnl: Dollars(cents: 40))
        t.exitValue = Dollars(cents: 75); t.note = "line\nbreak"
        let lines = HistoryCSV.render([t]).components(separatedBy: "\r\n")
        #expect(lines[0] == HistoryCSV.columns.joined(separator: ","))
        #expect(lines[1].hasPrefix("\"a,b\",2026-05-28T20:26:40.000000Z,closed,Hourly HTC,\"'=HYPERLINK(\"\"x\"\")\","))
        #expect(lines[1].contains(",0.6000,0.7500,0.0200,0.4000,win,,2026-05-28T20:36:40.000000Z,\"line\nbreak\""))
    }

    @Test("defaults: loopback port 3000; unknown keys and bad values name the key")
    func settings() throws {
        let ok = try BusConfiguration(file: ConfigFile(path: "bus.conf", text: "[plugin.web]\n"), pluginKeys: ["web": Web.configKeys])
        let s = try WebSettings(configuration: ok, home: "/h")
        #expect(s.address == "127.0.0.1" && s.port == 3000 && !s.requiresLogin && s.passwordFile == "/h/web/password")
        #expect(s.confirmAbove == Dollars(cents: 2_500) && s.staleAfter == 5)
        let set = try BusConfiguration(file: ConfigFile(path: "bus.conf", text: "[plugin.web]\nconfirm_above = 10.50\nstale_after = 3s\n"),
                                       pluginKeys: ["web": Web.configKeys])
        let custom = try WebSettings(configuration: set, home: "/h")
        #expect(custom.confirmAbove == Dollars(cents: 1_050) && custom.staleAfter == 3)
        let text = "[plugin.web]\nentry_slippage = 2\npush_interval = soon\nconfirm_above = lots\n"
        let bad = try BusConfiguration(file: ConfigFile(path: "bus.conf", text: text), pluginKeys: ["web": Web.configKeys])
        do { _ = try WebSettings(configuration: bad, home: "/h"); Issue.record("expected errors") } catch {
            #expect(Set(error.configuration.compactMap(\.key)) == ["plugin.web.entry_slippage", "plugin.web.push_interval", "plugin.web.confirm_above"])
        }
    }
}
