import BusWire
import Money
import Testing
@testable import TradeSupervisor
import TradingWire

@Suite("trade supervisor: the live view of each trade")
struct SupervisorViewTests {
    @Test("live PnL for the whole position: (1 − close − entry) × count − entry fees − the close's taker fee, exact")
    func pnl() {
        // YES trade of 10 at 0.60 with 0.17 fees; closing buys NO at 0.30: fee ceil(0.07 × 10 × 0.3 × 0.7 = 0.147) = 0.15.
        let trade = TS.trade(count: 10, entry: "0.60", fees: "0.17")
        #expect(Supervisor.livePnL(trade, closePrice: Dollars("0.30")) == Dollars("0.68"))
        // −0.15 × 10 − 0.17 − ceil(0.07 × 10 × 0.55 × 0.45 = 0.17325) = −1.85.
        #expect(Supervisor.livePnL(trade, closePrice: Dollars("0.55")) == Dollars("-1.85"))
        #expect(Supervisor.livePnL(trade, closePrice: nil) == nil)
    }

    @Test("P(win) of the trade's side, the opposite ask as close price, distance signed for the side, time since entry, TTC")
    func view() throws {
        var s = TS.supervisor()
        _ = s.openTrades(TS.open([TS.trade("y", side: .yes), TS.trade("n", side: .no, enteredAgo: 30)]), now: TS.t0)
        _ = s.strikeTable(TS.table([TS.row(pYes: 0.8, yesAsk: "0.82", noAsk: "0.20", distance: "250")]), now: TS.t0)
        let snap = s.snapshot(now: TS.at(5))
        let yes = try #require(snap.trades.first { $0.tradeID == "y" }), no = try #require(snap.trades.first { $0.tradeID == "n" })
        #expect(yes.winProbability == 0.8 && yes.closePrice == Dollars("0.20") && yes.distance == Dollars("250"))
        #expect(yes.secondsSinceEntry == 605 && yes.ttcSeconds == 895)
        #expect(no.closePrice == Dollars("0.82") && no.distance == Dollars("-250") && no.secondsSinceEntry == 35)
        #expect(abs((no.winProbability ?? 0) - 0.2) < 1e-12)
        #expect(snap.autoStop && snap.ripcord && snap.trades.count == 2)
    }

    @Test("without a row for the market the view has no probability or PnL, but keeps time and distance from the BTC price")
    func noRow() throws {
        var s = TS.supervisor()
        _ = s.openTrades(TS.open([TS.trade()]), now: TS.t0)
        _ = s.strikeTable(TS.table([], btc: "105000.99"), now: TS.t0)
        let v = try #require(s.snapshot(now: TS.t0).trades.first)
        #expect(v.winProbability == nil && v.pnl == nil && v.closePrice == nil && v.distance == Dollars("1.00"))
    }
}
