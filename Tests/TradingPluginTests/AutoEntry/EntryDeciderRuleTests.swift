@testable import AutoEntry
import BusWire
import Money
import Testing
import TradingWire

@Suite("auto-entry: the original's rules")
struct EntryDeciderRuleTests {
    @Test("an entry: active side at the ask (+ slippage), size × multiplier, IOC, a fresh sanitised key, expires in 10 s")
    func entry() throws {
        var d = AE.ready { $0.positionSize = Contracts(whole: 2); $0.multiplier = 3; $0.maxSlippage = Dollars(cents: 1); $0.strategy = "Momentum Scalp" }
        let pass = d.watchlist(AE.watchlist([AE.row(side: .no, p: 0.9, ask: "0.80")]), now: AE.t0)
        let intent = try #require(pass.intents.first)
        #expect(pass.intents.count == 1 && pass.blocked == nil)
        #expect(intent.source == "auto-entry" && intent.purpose == .entry && intent.method == "auto" && intent.strategy == "Momentum Scalp")
        #expect(intent.side == .no && intent.count == Contracts(whole: 6) && intent.limitPrice == Dollars("0.81")!)
        #expect(intent.timeInForce == .immediateOrCancel && intent.ticker == "KXBTCD-25JUN1510-T104999.99" && intent.eventTicker == AE.event)
        #expect(intent.expiresTs == 1_750_000_010 && intent.probability == 0.9 && intent.edge == Dollars("0.10"))
        #expect(intent.key == "ae-KXBTCD-25JUN1510-104999_99-no-1750000000000")
        #expect(intent.key.count <= 64 && intent.key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
    }

    @Test("a very long event ticker still gives a key of at most 64 characters ending in side and time")
    func longKey() {
        let key = EntryKey.make(event: String(repeating: "X.", count: 60), strike: Dollars("1")!, side: .yes, now: AE.t0)
        #expect(key.count == 64 && key.hasSuffix("-yes-1750000000000") && !key.contains("."))
    }

    @Test("auto_entry is off by default; the kill switch stops everything")
    func switches() {
        var off = EntryDecider(settings: AutoEntrySettings())
        off.tradingStatus(AE.status(.active)); off.openTrades(AE.open([])); off.balance(AE.balance("1000"))
        #expect(off.watchlist(AE.watchlist([AE.row()]), now: AE.t0).blocked == .disabled)
        var killed = AE.ready { $0.killSwitch = true }
        #expect(killed.watchlist(AE.watchlist([AE.row()]), now: AE.t0).blocked == .killSwitch)
        #expect(killed.status(now: AE.t0).reason == "kill switch on" && !killed.status(now: AE.t0).enabled)
    }

    @Test("no entries unless the trading state is ACTIVE")
    func tradingState() {
        var d = EntryDecider(settings: AE.settings())
        d.openTrades(AE.open([])); d.balance(AE.balance("1000"))
        #expect(d.watchlist(AE.watchlist([AE.row()]), now: AE.t0).blocked == .tradingNotActive)
        d.tradingStatus(AE.status(.reducing))
        #expect(d.watchlist(AE.watchlist([AE.row()]), now: AE.at(11)).blocked == .tradingNotActive)
        d.tradingStatus(AE.status(.halted))
        #expect(d.watchlist(AE.watchlist([AE.row()]), now: AE.at(22)).blocked == .tradingNotActive)
        d.tradingStatus(AE.status(.active))
        #expect(d.watchlist(AE.watchlist([AE.row()]), now: AE.at(33)).intents.count == 1)
    }

    @Test("fails closed: nothing is entered before trade.state.open was seen once")
    func failClosed() {
        var d = EntryDecider(settings: AE.settings())
        d.tradingStatus(AE.status(.active)); d.balance(AE.balance("1000"))
        #expect(d.watchlist(AE.watchlist([AE.row()]), now: AE.t0).blocked == .openTradesUnknown)
        d.openTrades(AE.open([]))
        #expect(d.watchlist(AE.watchlist([AE.row()]), now: AE.at(1)).intents.count == 1)
    }

    @Test("the TTC window is min_time…max_time inclusive")
    func window() {
        var d = AE.ready { $0.minTime = 120; $0.maxTime = 905 }
        #expect(d.watchlist(AE.watchlist([AE.row()], ttc: 119), now: AE.t0).blocked == .outsideWindow)
        #expect(d.watchlist(AE.watchlist([AE.row()], ttc: 906), now: AE.t0).blocked == .outsideWindow)
        #expect(d.status(now: AE.t0).reason == "TTC outside the window")
        #expect(d.watchlist(AE.watchlist([AE.row()], ttc: 120), now: AE.t0).intents.count == 1)
        #expect(d.status(now: AE.t0).scanning)
        var e = AE.ready { $0.minTime = 120; $0.maxTime = 905 }
        #expect(e.watchlist(AE.watchlist([AE.row()], ttc: 905), now: AE.t0).intents.count == 1)
    }

    @Test("min_probability: the active side's P(win) in percent, equal passes")
    func probability() {
        var d = AE.ready { $0.minProbabilityPercent = 29 }
        #expect(d.watchlist(AE.watchlist([AE.row(p: 0.2899)]), now: AE.t0).skipped.values.first == .probability)
        var e = AE.ready { $0.minProbabilityPercent = 29 }
        #expect(e.watchlist(AE.watchlist([AE.row(p: 0.29)]), now: AE.t0).intents.count == 1)
        var f = AE.ready { $0.minProbabilityPercent = 60 }
        #expect(f.watchlist(AE.watchlist([AE.row(side: .no, p: 0.61)]), now: AE.t0).intents.count == 1)
    }

    @Test("min_edge: compared exactly in cents (no hidden 0.5¢ slack); a missing edge fails; negative minimums work")
    func edge() {
        var d = AE.ready { $0.minEdge = Dollars(cents: 2) }
        #expect(d.watchlist(AE.watchlist([AE.row(edge: "0.0199")]), now: AE.t0).skipped.values.first == .edge)
        var e = AE.ready { $0.minEdge = Dollars(cents: 2) }
        #expect(e.watchlist(AE.watchlist([AE.row(edge: "0.02")]), now: AE.t0).intents.count == 1)
        var f = AE.ready()
        #expect(f.watchlist(AE.watchlist([AE.row(edge: nil)]), now: AE.t0).skipped.values.first == .edge)
        var g = AE.ready { $0.minEdge = Dollars(micros: -5_000) }  // −0.5¢: the original's comparison
        #expect(g.watchlist(AE.watchlist([AE.row(edge: "-0.005")]), now: AE.t0).intents.count == 1)
    }

    @Test("no ask, or an ask of $1, is never bought; the limit is capped at 99¢")
    func asks() {
        var d = AE.ready()
        #expect(d.watchlist(AE.watchlist([AE.row(ask: nil)]), now: AE.t0).skipped.values.first == .noAsk)
        var e = AE.ready()
        #expect(e.watchlist(AE.watchlist([AE.row(ask: "1.00")]), now: AE.t0).skipped.values.first == .noAsk)
        var f = AE.ready { $0.maxSlippage = Dollars(cents: 3) }
        #expect(f.watchlist(AE.watchlist([AE.row(ask: "0.98")]), now: AE.t0).intents.first?.limitPrice == Dollars("0.99"))
    }

    @Test("cooldown: a ticker+side is evaluated at most once per 10 s, recorded even when a later rule refuses it")
    func cooldown() {
        var d = AE.ready()
        #expect(d.watchlist(AE.watchlist([AE.row(p: 0.1)]), now: AE.t0).skipped.values.first == .probability)
        #expect(d.watchlist(AE.watchlist([AE.row(p: 0.9)]), now: AE.at(9.9)).skipped.values.first == .cooldown)
        #expect(d.watchlist(AE.watchlist([AE.row(p: 0.9)]), now: AE.at(10)).intents.count == 1)
    }

    @Test("several rows: highest probability first, each entry counts against the caps of the next")
    func severalRows() {
        var d = AE.ready { $0.maxOpenPositions = 1 }
        let rows = [AE.row("A", p: 0.7), AE.row("B", p: 0.95)]
        let pass = d.watchlist(AE.watchlist(rows), now: AE.t0)
        #expect(pass.intents.map(\.ticker) == ["B"] && pass.skipped["A"] == .maxOpenPositions)
    }
}
