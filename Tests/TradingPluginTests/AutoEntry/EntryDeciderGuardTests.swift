@testable import AutoEntry
import BusWire
import Money
import Testing
import TradingWire

@Suite("auto-entry: the guards the original lacked, repeats and the spike pause")
struct EntryDeciderGuardTests {
    @Test("duplicate guard: a trade not final on the same ticker+side blocks, so does one on its other side; other tickers do not")
    func duplicate() {
        for status in [TradeStatus.pending, .open, .closing, .expired] {
            var d = AE.ready { $0.allowReEntry = true }
            d.openTrades(AE.open([AE.trade("t1", status: status)]))
            #expect(d.watchlist(AE.watchlist([AE.row()]), now: AE.t0).skipped.values.first == .duplicate)
        }
        var d = AE.ready { $0.allowReEntry = true }
        d.openTrades(AE.open([AE.trade("t2", side: .no)]))
        #expect(d.watchlist(AE.watchlist([AE.row()]), now: AE.t0).skipped.values.first == .oppositeSide)
        d = AE.ready { $0.allowReEntry = true }
        d.openTrades(AE.open([AE.trade("t1", ticker: "other"), AE.trade("t2", ticker: "other", side: .no)]))
        #expect(d.watchlist(AE.watchlist([AE.row()]), now: AE.t0).intents.count == 1)
    }

    @Test("our own unanswered intent blocks a second entry on the same ticker+side")
    func ownPending() {
        var d = AE.ready { $0.allowReEntry = true }
        #expect(d.watchlist(AE.watchlist([AE.row()]), now: AE.t0).intents.count == 1)
        #expect(d.watchlist(AE.watchlist([AE.row()]), now: AE.at(10)).skipped.values.first == .duplicate)
    }

    @Test("re-entry: with allow_re_entry off a ticker+side that had a trade this event is never entered again")
    func reEntry() {
        var d = AE.ready()
        d.openTrades(AE.open([AE.trade("t1")]))
        d.openTrades(AE.open([]))  // the trade was closed
        #expect(d.watchlist(AE.watchlist([AE.row()]), now: AE.t0).skipped.values.first == .reEntry)
        // A trade of another event does not count.
        var other = AE.ready()
        other.openTrades(AE.open([AE.trade("t1", event: "KXBTCD-25JUN1509")]))
        other.openTrades(AE.open([]))
        #expect(other.watchlist(AE.watchlist([AE.row()]), now: AE.t0).intents.count == 1)
        // Allowed: entered again once the first trade is gone.
        var allowed = AE.ready { $0.allowReEntry = true }
        allowed.openTrades(AE.open([AE.trade("t1")]))
        allowed.openTrades(AE.open([]))
        #expect(allowed.watchlist(AE.watchlist([AE.row()]), now: AE.t0).intents.count == 1)
    }

    @Test("re-entry after our own entries: bought blocks, nothing bought does not")
    func reEntryOwn() throws {
        var d = AE.ready()
        let first = try #require(d.watchlist(AE.watchlist([AE.row()]), now: AE.t0).intents.first)
        d.answer(AE.answer(first, .cancelled))
        let second = try #require(d.watchlist(AE.watchlist([AE.row()]), now: AE.at(10)).intents.first)
        #expect(second.key != first.key)
        d.answer(AE.answer(second, .filled, filled: 1, price: "0.80"))
        d.openTrades(AE.open([AE.trade(second.key)]))
        d.openTrades(AE.open([]))
        #expect(d.watchlist(AE.watchlist([AE.row()]), now: AE.at(20)).skipped.values.first == .reEntry)
    }

    @Test("max_open_positions counts listed trades and our entries not yet listed")
    func maxOpen() {
        var d = AE.ready { $0.maxOpenPositions = 2 }
        d.openTrades(AE.open([AE.trade("t1", ticker: "X")]))
        #expect(d.watchlist(AE.watchlist([AE.row("A")]), now: AE.t0).intents.count == 1)
        #expect(d.watchlist(AE.watchlist([AE.row("B")]), now: AE.t0).skipped["B"] == .maxOpenPositions)
    }

    @Test("max_risk_per_event: count × price of entries made in the event; a zero fill gives it back")
    func eventRisk() throws {
        var d = AE.ready { $0.maxRiskPerEvent = Dollars("1.00")!; $0.positionSize = Contracts(whole: 1) }
        let a = try #require(d.watchlist(AE.watchlist([AE.row("A", ask: "0.60")]), now: AE.t0).intents.first)
        #expect(d.watchlist(AE.watchlist([AE.row("B", ask: "0.50")]), now: AE.t0).skipped["B"] == .eventRisk)
        #expect(d.watchlist(AE.watchlist([AE.row("C", ask: "0.40")]), now: AE.t0).intents.count == 1)  // 0.60 + 0.40 = 1.00
        #expect(d.watchlist(AE.watchlist([AE.row("D", ask: "0.30")], event: "KXBTCD-25JUN1511"), now: AE.t0).intents.count == 1)
        d.answer(AE.answer(a, .cancelled))
        #expect(d.watchlist(AE.watchlist([AE.row("E", ask: "0.60")]), now: AE.t0).intents.count == 1)
        // A partial fill counts what was bought.
        var p = AE.ready { $0.maxRiskPerEvent = Dollars("1.00")!; $0.positionSize = Contracts(whole: 2) }
        let big = try #require(p.watchlist(AE.watchlist([AE.row("A", ask: "0.50")]), now: AE.t0).intents.first)
        p.answer(AE.answer(big, .partiallyFilled, filled: 1, price: "0.50"))
        #expect(p.riskInEvent(AE.event) == Dollars("0.50"))
    }

    @Test("the caps count every trade the trade manager lists: manual ones, and ours from before a restart")
    func listedRisk() throws {
        var d = AE.ready { $0.maxRiskPerEvent = Dollars("1.00")!; $0.maxRiskPerHour = Dollars("5.00")!; $0.positionSize = Contracts(whole: 1) }
        var manual = AE.trade("web-1", ticker: "KXBTCD-25JUN1510-T104749.99")
        manual.entryMethod = "manual"
        d.openTrades(AE.open([manual]))  // $0.80 at risk in the event already
        #expect(d.riskInEvent(AE.event) == Dollars("0.80") && d.riskInLastHour(now: AE.t0) == Dollars("0.80"))
        #expect(d.watchlist(AE.watchlist([AE.row("B", ask: "0.30")]), now: AE.t0).skipped["B"] == .eventRisk)
        let c = try #require(d.watchlist(AE.watchlist([AE.row("C", ask: "0.20")]), now: AE.t0).intents.first)
        // Once listed, our own entry is counted once.
        var ours = AE.trade(c.key, ticker: "C")
        ours.entryPrice = Dollars("0.20")
        d.openTrades(AE.open([manual, ours]))
        #expect(d.riskInEvent(AE.event) == Dollars("1.00"))
    }

    @Test("after a restart the caps count the last hour's trades from the trade store, finished ones too, once each")
    func recentFromStore() {
        var d = AE.ready { $0.maxRiskPerEvent = Dollars("1.00")!; $0.maxRiskPerHour = Dollars("1.50")!; $0.positionSize = Contracts(whole: 1) }
        var closed = AE.trade("web-2", ticker: "KXBTCD-25JUN1510-T104749.99", status: .closed)
        closed.entryMethod = "manual"
        let open = AE.trade("ae-x", ticker: "KXBTCD-25JUN1510-T104499.99")
        #expect(!d.recentLoaded)
        d.recent([closed, open, AE.trade("r", status: .rejected)])
        d.openTrades(AE.open([open]))
        #expect(d.recentLoaded && d.riskInEvent(AE.event) == Dollars("1.60") && d.riskInLastHour(now: AE.t0) == Dollars("1.60"))
        #expect(d.watchlist(AE.watchlist([AE.row("B", ask: "0.10")]), now: AE.t0).skipped["B"] == .eventRisk)
    }

    @Test("max_risk_per_hour: over any 60 minutes, across events")
    func hourRisk() {
        var d = AE.ready { $0.maxRiskPerHour = Dollars("1.00")! }
        #expect(d.watchlist(AE.watchlist([AE.row("A", ask: "0.70")]), now: AE.t0).intents.count == 1)
        #expect(d.watchlist(AE.watchlist([AE.row("B", ask: "0.70")], event: "E2"), now: AE.at(3_599)).skipped["B"] == .hourRisk)
        #expect(d.watchlist(AE.watchlist([AE.row("C", ask: "0.70")], event: "E3"), now: AE.at(3_600)).intents.count == 1)
    }

    @Test("balance: cost + taker fee must fit in balance − reserve − what unanswered intents may spend")
    func balance() {
        var none = EntryDecider(settings: AE.settings())
        none.tradingStatus(AE.status(.active)); none.openTrades(AE.open([]))
        #expect(none.watchlist(AE.watchlist([AE.row()]), now: AE.t0).skipped.values.first == .balance)
        // 1 at 0.60: fee ceil(0.07 × 0.6 × 0.4) = 0.02.
        var short = AE.ready(); short.balance(AE.balance("0.61"))
        #expect(short.watchlist(AE.watchlist([AE.row(ask: "0.60")]), now: AE.t0).skipped.values.first == .balance)
        var exact = AE.ready(); exact.balance(AE.balance("0.62"))
        #expect(exact.watchlist(AE.watchlist([AE.row(ask: "0.60")]), now: AE.t0).intents.count == 1)
        var reserve = AE.ready { $0.balanceReserve = Dollars("1")! }; reserve.balance(AE.balance("1.61"))
        #expect(reserve.watchlist(AE.watchlist([AE.row(ask: "0.60")]), now: AE.t0).skipped.values.first == .balance)
        var pending = AE.ready(); pending.balance(AE.balance("1.00"))
        #expect(pending.watchlist(AE.watchlist([AE.row("A", ask: "0.60")]), now: AE.t0).intents.count == 1)
        #expect(pending.watchlist(AE.watchlist([AE.row("B", ask: "0.60")]), now: AE.t0).skipped["B"] == .balance)
    }

    @Test("an unanswered intent is repeated with the same key every second, until answered or expired")
    func repeats() throws {
        var d = AE.ready()
        let intent = try #require(d.watchlist(AE.watchlist([AE.row()]), now: AE.t0).intents.first)
        #expect(d.tick(now: AE.at(0.5)).isEmpty)
        #expect(d.tick(now: AE.at(1)) == [intent])
        #expect(d.tick(now: AE.at(2)) == [intent])
        d.answer(AE.answer(intent, .accepted))
        #expect(d.tick(now: AE.at(3)).isEmpty)
        var e = AE.ready()
        let lost = try #require(e.watchlist(AE.watchlist([AE.row()]), now: AE.t0).intents.first)
        for s in 1...9 { #expect(e.tick(now: AE.at(Double(s))) == [lost]) }
        #expect(e.tick(now: AE.at(10)).isEmpty && e.status(now: AE.at(10)).pending == 0)
        #expect(e.tick(now: AE.at(11)).isEmpty)
    }

    @Test("spike pause: |momentum| ≥ 40 pauses; ≥ 30 restarts the calm timer; 15 minutes below 30 clears it")
    func spike() {
        var d = AE.ready()
        d.momentum(-40, now: AE.t0)
        #expect(d.watchlist(AE.watchlist([AE.row()]), now: AE.t0).blocked == .spike && d.status(now: AE.t0).pausedBySpike)
        d.momentum(29, now: AE.at(60))
        d.momentum(30, now: AE.at(600))  // restarts the timer
        d.momentum(10, now: AE.at(660))
        _ = d.tick(now: AE.at(660 + 899))
        #expect(d.spike.active)
        _ = d.tick(now: AE.at(660 + 900))
        #expect(!d.spike.active)
        #expect(d.watchlist(AE.watchlist([AE.row()]), now: AE.at(1_600)).intents.count == 1)
        var off = AE.ready { $0.spikeAlertEnabled = false }
        off.momentum(90, now: AE.t0)
        #expect(off.watchlist(AE.watchlist([AE.row()]), now: AE.t0).intents.count == 1)
        var calm = AE.ready()
        calm.momentum(39, now: AE.t0)
        #expect(!calm.spike.active)
    }

    @Test("status: enabled, scanning, paused and the first reason")
    func status() {
        var d = AE.ready()
        #expect(d.status(now: AE.t0).reason == "TTC outside the window")  // no watchlist yet
        _ = d.watchlist(AE.watchlist([]), now: AE.t0)
        #expect(d.status(now: AE.t0) == EntryStatus(enabled: true, scanning: true, pausedBySpike: false, reason: "scanning", pending: 0))
        d.tradingStatus(AE.status(.halted))
        #expect(d.status(now: AE.t0).values["status.reason"] == "trading state not ACTIVE")
    }
}
