import Backtest
import BusWire
import Money
import Testing
import TradingWire

@Suite struct FillTests {
    let tape = MarketTape(markets: [
        ("KXBTCD-25JUN1512-T100000", Dollars(cents: 10_000_000), "yes", 1_750_003_200, [
            MarketTape.Row(end: 1_750_000_060, bid: 40, ask: 45, volume: 3),
            MarketTape.Row(end: 1_750_000_180, bid: 50, ask: 55, volume: 0),
            MarketTape.Row(end: 1_750_000_240, bid: 20, ask: 100, volume: 0),
        ]),
    ])

    func intent(_ key: String, _ side: TradeSide, count: Int64 = 5, limit: Int64 = 99) -> OrderIntent {
        OrderIntent(key: key, source: "auto-entry", purpose: .entry, ticker: "KXBTCD-25JUN1512-T100000", eventTicker: "KXBTCD-25JUN1512",
                    side: side, count: Contracts(whole: count), limitPrice: Dollars(cents: limit), method: "auto", createdTime: "")
    }

    @Test func yesPaysTheRecordedAskNeverTheLimit() {
        var f = CandleFiller(tape: tape)
        let e = f.answer(intent("a", .yes), now: BusTime(seconds: 1_750_000_100))
        #expect(e.averagePrice == Dollars(cents: 45))
        #expect(e.filledCount == Contracts(whole: 3))  // the candle shows 3 traded
        #expect(e.outcome == .partiallyFilled)
        let again = f.answer(intent("b", .yes), now: BusTime(seconds: 1_750_000_100))
        #expect(again.filledCount == .zero && again.outcome == .cancelled)  // the row's volume is used up
    }

    @Test func noPaysOneMinusTheBidAndUsesNoFutureRow() {
        var f = CandleFiller(tape: tape)
        let e = f.answer(intent("a", .no), now: BusTime(seconds: 1_750_000_179))
        #expect(e.averagePrice == Dollars(cents: 60))  // 1 − 40, not the later row's 1 − 50
        let later = f.answer(intent("b", .no), now: BusTime(seconds: 1_750_000_180))
        #expect(later.averagePrice == Dollars(cents: 50) && later.filledCount == Contracts(whole: 5))  // no trades shown: whole
    }

    @Test func nothingAboveTheLimitOrWithoutAnAsk() {
        var f = CandleFiller(tape: tape)
        #expect(f.answer(intent("a", .yes, limit: 44), now: BusTime(seconds: 1_750_000_100)).outcome == .cancelled)
        #expect(f.answer(intent("b", .yes), now: BusTime(seconds: 1_750_000_300)).outcome == .cancelled)  // ask 100 = none
        #expect(f.answer(intent("c", .yes), now: BusTime(seconds: 1_750_000_000)).outcome == .cancelled)  // before any row
    }

    @Test func feeIsKalshisTakerFeeExactly() {
        var f = CandleFiller(tape: tape)
        let e = f.answer(intent("a", .no, count: 10), now: BusTime(seconds: 1_750_000_200))
        // 0.07 × 10 × 0.50 × 0.50 = 0.175 → rounded up to the cent.
        #expect(e.fees == Dollars(cents: 18))
        #expect(e.fees == TakerFee.of(count: Contracts(whole: 10), price: Dollars(cents: 50)))
    }

    @Test func aRepeatedKeyGetsTheSameAnswer() {
        var f = CandleFiller(tape: tape)
        let first = f.answer(intent("a", .yes), now: BusTime(seconds: 1_750_000_100))
        let again = f.answer(intent("a", .yes), now: BusTime(seconds: 1_750_000_200))
        #expect(again.replayed && again.averagePrice == first.averagePrice && again.filledCount == first.filledCount)
    }
}
