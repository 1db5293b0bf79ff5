import CivilTime
import BusWire
import MarketWire
import Money
import TradeManager
import TradingWire
import Testing

@Suite("trade-manager TradeBook: expiry, settlement, statistics")
struct TradeBookEndingTests {
    @Test("expiry at the hour: only open trades whose event closed; BTC at close from the latest tick")
    func expiry() throws {
        var book = TradeBook()
        TM.openBook("T1", into: &book)
        _ = book.apply(intent: TM.entry("T2"), now: TM.t0)
        book.observe(btc: TM.d("91300.5"))
        #expect(book.expire(now: TM.at(1_799)).isEmpty)
        let c = book.expire(now: TM.at(1_800))
        #expect(c.transitions.map(\.trade.id) == ["T1"] && c.transitions[0].previous == .open)
        let t = try #require(book["T1"])
        #expect(t.status == .expired && t.closeMethod == "expired" && t.btcAtClose == TM.d("91300.5"))
        #expect(book["T2"]?.status == .pending)
        #expect(book.expire(now: TM.at(1_900)).isEmpty)
        #expect(book.openTrades.count == 2)
    }

    @Test("settlement from the lifecycle: a NO result loses a YES trade; a pending entry turns error")
    func lifecycleSettlement() throws {
        var book = TradeBook()
        TM.openBook("T1", into: &book)
        _ = book.apply(intent: TM.entry("T2"), now: TM.t0)
        _ = book.expire(now: TM.at(1_800))
        let e = MarketLifecycleEvent(marketTicker: TM.ticker, eventType: "determined", result: "no", time: TM.at(1_900).description)
        let c = book.apply(lifecycle: e, now: TM.at(1_900))
        #expect(c.hasFinal)
        let t = try #require(book["T1"])
        // 0 − 5.60 − 0.18
        #expect(t.status == .settled && t.exitValue == .zero && t.pnl == TM.d("-5.78") && t.result == .loss)
        #expect(book["T2"]?.status == .error)
        #expect(book.apply(lifecycle: e, now: TM.at(1_901)).isEmpty)
    }

    @Test("a settlement for another ticker leaves the trade alone; a trade opened after settlement settles at once")
    func settlementScope() throws {
        var book = TradeBook()
        TM.openBook("T1", into: &book)
        #expect(book.apply(settlement: TM.settlement("yes", ticker: TM.otherTicker), now: TM.at(2_000)).isEmpty)
        _ = book.apply(intent: TM.close("C1", trade: "T1"), now: TM.at(1_700))
        _ = book.apply(settlement: TM.settlement("yes"), now: TM.at(2_000))
        #expect(book["T1"]?.status == .closing)
        _ = book.apply(event: TM.answer("C1", .cancelled, purpose: .close, trade: "T1", order: "O2", side: .no), now: TM.at(2_001))
        // 10 × 1 − 5.60 − 0.18
        #expect(book["T1"]?.status == .settled && book["T1"]?.pnl == TM.d("4.22"))
    }

    @Test("the event ticker names the close in US Eastern time; statistics group by Eastern day, hour, strategy")
    func statistics() throws {
        #expect(EasternTime.closeTs(eventTicker: TM.event) == TM.closeTs)
        #expect(EasternTime.closeTs(eventTicker: "KXBTCD-25MAY1522") == 1_747_360_800)  // 2025-05-16 02:00 UTC (EDT)
        var book = TradeBook()
        TM.openBook("A", into: &book)
        TM.openBook("B", count: 5, price: "0.60", fees: "0.11", order: "OB", into: &book)
        TM.openBook("C", count: 4, price: "0.40", fees: "0.07", order: "OC", side: .no, into: &book)
        _ = book.apply(intent: TM.entry("R"), now: TM.t0)
        _ = book.apply(event: TM.answer("R", .rejected, order: nil), now: TM.at(1))
        _ = book.apply(settlement: TM.settlement("yes"), now: TM.at(2_400))
        let s = TradeStatisticsBuilder.build(book.trades.values.map(\.record), time: "t")
        // A 4.22, B 1.89, C −1.67; the rejected trade does not count.
        #expect(s.overall.trades == 3 && s.overall.wins == 2 && s.overall.losses == 1 && s.overall.winRate == "0.6667")
        #expect(s.overall.pnl == TM.d("4.44") && s.overall.fees == TM.d("0.36"))
        #expect(s.byDay.map(\.key) == ["2026-12-01"] && s.byHour.map(\.key) == ["13"] && s.byStrategy.map(\.key) == ["Hourly HTC"])
        #expect(TradeMath.winRate(wins: 158, losses: 16) == "0.9080" && TradeMath.winRate(wins: 0, losses: 0) == nil)
        #expect(TradeMath.winRate(wins: 3, losses: 0) == "1.0000")
    }
}
