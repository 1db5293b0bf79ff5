import BusKit
import BusWire
@testable import Executor
import Money
import Testing
import TradingWire

@Suite("executor: RiskGate, with an injected clock")
struct RiskGateTests {
    let t0 = BusTime(seconds: 1_788_998_100)
    let active = TradingHolds(requireReconciliation: false, now: BusTime(seconds: 1_788_998_100))

    func limits(rate: Int = 30) -> RiskLimits {
        var l = RiskLimits()
        l.maxOrderContracts = Contracts(whole: 10)
        l.maxOrderCost = Dollars(cents: 600)
        l.maxMarketContracts = Contracts(whole: 15)
        l.maxEventCost = Dollars(cents: 1_200)
        l.ordersPerMinute = rate
        return l
    }

    /// A close of `trade` buying `side` (the other side of what the trade holds).
    func close(_ key: String, trade: String, side: TradeSide = .no, count: Int64 = 2, cap: Int64 = 60, ticker: String = ExecFixture.atm) -> OrderIntent {
        var i = ExecFixture.intent(key, purpose: .close, side: side, count: count, cap: cap, ticker: ticker)
        i.tradeID = trade
        return i
    }

    /// An entry checked and answered with `filled` contracts at `price` cents.
    func enter(_ gate: inout RiskGate, _ key: String, side: TradeSide = .yes, count: Int64 = 5, filled: Int64 = 5, price: Int64 = 50,
               ticker: String = ExecFixture.atm, event: String = ExecFixture.event) {
        let i = ExecFixture.intent(key, side: side, count: count, cap: price, ticker: ticker, event: event)
        #expect(gate.check(i, trading: active, now: t0).refused == nil)
        gate.record(i, answer: answer(i, filled: filled, price: price), reserved: true, now: t0)
    }

    /// A trade as the trade manager lists it.
    func listed(_ id: String, ticker: String = ExecFixture.atm, side: TradeSide = .yes, count: Int64) -> TradeRecord {
        TradeRecord(id: id, status: .open, ticker: ticker, eventTicker: ExecFixture.event, strike: nil, side: side, requestedCount: Contracts(whole: count),
                    count: Contracts(whole: count), entryPrice: nil, entryFees: .zero, entryOrderID: nil, closeOrderID: nil, closePrice: nil,
                    closeFees: .zero, exitValue: nil, pnl: nil, result: nil, strategy: "", entryMethod: "adopted", closeMethod: nil,
                    probability: nil, edge: nil, btcAtEntry: nil, btcAtClose: nil, momentum: nil, closeTs: nil, enteredTs: 0, finishedTs: nil,
                    note: nil, updatedTime: "")
    }

    func answer(_ intent: OrderIntent, filled: Int64, price: Int64) -> OrderEvent {
        VenueOrders.event(intent, clientOrderID: intent.key, outcome: filled > 0 ? .filled : .cancelled, orderID: "o",
                          filled: Contracts(whole: filled), averagePrice: Dollars(cents: price),
                          fees: TakerFee.of(count: Contracts(whole: filled), price: Dollars(cents: price)), mode: "sim", now: t0)
    }

    @Test("an entry within every limit passes and reserves count × cap + fee in its market and event")
    func passes() {
        var gate = RiskGate(limits: limits())
        let i = ExecFixture.intent("a", count: 5, cap: 50)
        #expect(gate.check(i, trading: active, now: t0) == .success(Contracts(whole: 5)))
        #expect(gate.contracts(market: i.ticker) == Contracts(whole: 5))
        #expect(gate.cost(event: i.eventTicker) == Dollars(cents: 250) + TakerFee.of(count: Contracts(whole: 5), price: Dollars(cents: 50)))
        #expect(RiskGate.cost(count: Contracts(whole: 5), price: Dollars(cents: 50)) == Dollars(cents: 250 + 9))
    }

    @Test("stale intents, prices outside 0.01…0.99 and empty counts are refused, for closes too")
    func sanity() {
        var gate = RiskGate(limits: limits())
        let now = t0.unixSeconds
        #expect(gate.check(ExecFixture.intent("s", expires: now), trading: active, now: t0).refused?.rule == .stale)
        #expect(gate.check(ExecFixture.intent("s2", purpose: .close, expires: now - 5), trading: active, now: t0).refused?.rule == .stale)
        #expect(gate.check(ExecFixture.intent("f", expires: now + 1), trading: active, now: t0).refused == nil)
        #expect(gate.check(ExecFixture.intent("p0", cap: 0), trading: active, now: t0).refused?.rule == .price)
        #expect(gate.check(ExecFixture.intent("p1", purpose: .close, cap: 100), trading: active, now: t0).refused?.rule == .price)
        #expect(gate.check(ExecFixture.intent("c", count: 0), trading: active, now: t0).refused?.rule == .count)
        #expect(gate.rejections[.stale] == 2 && gate.rejections[.price] == 2 && gate.rejections[.count] == 1)
    }

    @Test("the event and series are facts of the ticker: another event's ticker, a bad ticker or another series is refused")
    func tickerFacts() {
        var gate = RiskGate(limits: limits())
        let forged = ExecFixture.intent("x", ticker: "KXBTCD-26SEP0921-T99999.99")  // says event KXBTCD-26SEP0920
        #expect(gate.check(forged, trading: active, now: t0).refused?.rule == .ticker)
        #expect(gate.check(ExecFixture.intent("y", ticker: "KXBTCD-26SEP0920"), trading: active, now: t0).refused?.rule == .ticker)
        #expect(gate.check(ExecFixture.intent("z", ticker: "KXBTCD-26SEP3220-T1", event: "KXBTCD-26SEP3220"), trading: active, now: t0).refused?.rule == .ticker)
        let eth = ExecFixture.intent("e", ticker: "KXETHD-26SEP0920-T3999.99", event: "KXETHD-26SEP0920")
        #expect(gate.check(eth, trading: active, now: t0).refused?.rule == .series)
        gate.limits.series = ["KXBTCD", "KXETHD"]
        #expect(gate.check(eth, trading: active, now: t0).refused == nil)
        #expect(gate.contracts(market: forged.ticker) == .zero)
    }

    @Test("the order rate: N entries a minute, the next refused, allowed again once the minute has passed")
    func rate() {
        var gate = RiskGate(limits: limits(rate: 3))
        for n in 0..<3 {
            let i = ExecFixture.intent("r\(n)", count: 1, cap: 10)
            #expect(gate.check(i, trading: active, now: t0.adding(seconds: Double(n))).refused == nil)
            gate.record(i, answer: answer(i, filled: 1, price: 10), reserved: true, now: t0)
        }
        let refused = gate.check(ExecFixture.intent("r3", count: 1, cap: 10), trading: active, now: t0.adding(seconds: 59)).refused
        #expect(refused?.rule == .rate)
        #expect(refused?.reason.contains("limit is 3") == true)
        // A close is never held back by the entry rate.
        #expect(gate.check(close("rc", trade: "r0", count: 1), trading: active, now: t0.adding(seconds: 59)) == .success(Contracts(whole: 1)))
        #expect(gate.check(ExecFixture.intent("r4", count: 1, cap: 10), trading: active, now: t0.adding(seconds: 60.5)).refused == nil)
    }

    @Test("max contracts and cost per order, per market and per event")
    func sizes() {
        var gate = RiskGate(limits: limits())
        #expect(gate.check(ExecFixture.intent("big", count: 11, cap: 10), trading: active, now: t0).refused?.rule == .orderContracts)
        #expect(gate.check(ExecFixture.intent("dear", count: 10, cap: 60), trading: active, now: t0).refused?.rule == .orderCost)
        #expect(gate.check(ExecFixture.intent("m1", count: 10, cap: 20), trading: active, now: t0).refused == nil)
        #expect(gate.check(ExecFixture.intent("m2", count: 6, cap: 20), trading: active, now: t0).refused?.rule == .marketContracts)
        let other = "KXBTCD-26SEP0920-T100249.99"
        #expect(gate.check(ExecFixture.intent("e1", count: 10, cap: 50, ticker: other), trading: active, now: t0).refused == nil)
        let refused = gate.check(ExecFixture.intent("e2", count: 10, cap: 50, ticker: "KXBTCD-26SEP0920-T100499.99"), trading: active, now: t0)
        #expect(refused.refused?.rule == .eventCost)
        #expect(gate.check(ExecFixture.intent("next-hour", count: 5, cap: 40, ticker: "KXBTCD-26SEP0921-T1", event: "KXBTCD-26SEP0921"),
                           trading: active, now: t0).refused == nil)
    }

    @Test("account-wide caps: cost at risk over open events, entries in any hour, and the day's worst case")
    func accountCaps() {
        var l = limits()
        l.maxEventCost = Dollars(cents: 100_000)
        l.maxMarketContracts = Contracts(whole: 1_000)
        l.maxTotalCost = Dollars(cents: 1_500)
        var gate = RiskGate(limits: l)
        for n in 0..<2 { enter(&gate, "t\(n)", count: 10, filled: 10, price: 50) }  // $10.34 at risk
        let third = ExecFixture.intent("t2", count: 10, cap: 50)
        #expect(gate.check(third, trading: active, now: t0).refused?.rule == .totalCost)
        // Once the event has closed its cost is no longer at risk.
        let later = BusTime(seconds: 1_788_998_400 + 60)
        let nextHour = ExecFixture.intent("n1", count: 10, cap: 50, ticker: "KXBTCD-26SEP0921-T1", event: "KXBTCD-26SEP0921")
        #expect(gate.book.costAtRisk(now: later) == .zero)
        #expect(gate.check(nextHour, trading: active, now: later).refused == nil)

        var h = limits()
        h.maxHourlyCost = Dollars(cents: 800)
        gate = RiskGate(limits: h)
        enter(&gate, "h0", count: 10, filled: 10, price: 50)
        let up = "KXBTCD-26SEP0920-T100249.99"
        #expect(gate.check(ExecFixture.intent("h1", count: 6, cap: 50, ticker: up), trading: active, now: t0.adding(seconds: 600)).refused?.rule == .hourlyCost)
        #expect(gate.check(ExecFixture.intent("h2", count: 6, cap: 50, ticker: up), trading: active, now: t0.adding(seconds: 3_601)).refused == nil)

        var d = limits()
        d.maxDailyLoss = Dollars(cents: 800)
        gate = RiskGate(limits: d)
        enter(&gate, "d0", count: 10, filled: 10, price: 50)  // $5.18 out
        #expect(!gate.dailyLossReached(now: t0))
        #expect(gate.check(ExecFixture.intent("d1", count: 6, cap: 50, ticker: up), trading: active, now: t0).refused?.rule == .dailyLoss)
        let c = close("dc", trade: "d0", count: 10, cap: 40)
        #expect(gate.check(c, trading: active, now: t0).refused == nil)
        gate.record(c, answer: answer(c, filled: 10, price: 40), reserved: true, now: t0)  // $10 back, $4.17 paid
        let ten = Contracts(whole: 10)
        #expect(gate.day.cash(on: t0) == Dollars(cents: 1_000) - RiskGate.cost(count: ten, price: Dollars(cents: 50)) - RiskGate.cost(count: ten, price: Dollars(cents: 40)))
        #expect(gate.check(ExecFixture.intent("d2", count: 6, cap: 50, ticker: up), trading: active, now: t0).refused == nil)
        let s = VenueSettlement(ticker: ExecFixture.atm, eventTicker: ExecFixture.event, result: "no", yesCount: .zero, noCount: .zero,
                                yesTotalCost: nil, noTotalCost: nil, revenue: .zero, fee: nil, settledTs: t0.unixSeconds - 86_400 * 3)
        gate.record(settlement: s)  // an earlier day's settlement does not count today
        #expect(gate.day.cash(on: t0) == Dollars(cents: 65))
    }

    @Test("a close is capped at what its trade and market hold, refused with nothing held, and one at a time per trade")
    func closes() {
        var gate = RiskGate(limits: limits())
        #expect(gate.check(close("c0", trade: "a"), trading: active, now: t0).refused?.rule == .closeTrade)
        enter(&gate, "a", count: 5, filled: 3)
        enter(&gate, "b", count: 2, filled: 2)
        // Trade a holds 3: a close of 10 is sent as 3.
        #expect(gate.check(close("c1", trade: "a", count: 10), trading: active, now: t0) == .success(Contracts(whole: 3)))
        // The same trade again, whatever the key: already closing.
        let again = gate.check(close("c2", trade: "a", count: 3), trading: active, now: t0).refused
        #expect(again?.rule == .alreadyClosing && again?.reason.contains("c1") == true)
        // Another trade on the market may take what is left (2), not the contracts promised to c1.
        #expect(gate.check(close("c3", trade: "b", count: 5), trading: active, now: t0) == .success(Contracts(whole: 2)))
        // A close must buy the other side of what the trade holds, and name its trade.
        #expect(gate.check(close("c4", trade: "b", side: .yes), trading: active, now: t0).refused?.rule == .alreadyClosing)
        var unnamed = close("c5", trade: "")
        unnamed.tradeID = nil
        #expect(gate.check(unnamed, trading: active, now: t0).refused?.rule == .closeTrade)
        // c1 fills 2 of 3: trade a still holds 1, and a new close may take exactly that.
        let c1 = VenueOrders.order(close("c1", trade: "a", count: 10), count: Contracts(whole: 3))
        gate.record(c1, answer: answer(c1, filled: 2, price: 55), reserved: true, now: t0)
        #expect(gate.book.trades["a"]?.held == Contracts(whole: 1) && gate.book.closing["a"] == nil)
        #expect(gate.check(close("c6", trade: "a", count: 3), trading: active, now: t0) == .success(Contracts(whole: 1)))
        #expect(gate.check(close("c7", trade: "x", side: .yes), trading: active, now: t0).refused?.rule == .closeTrade)
        // A trade the trade manager lists (adopted from the venue) is known, but every contract here is promised.
        gate.apply(OpenTrades(trades: [listed("adopted", count: 9)], time: ""))
        #expect(gate.check(close("c8", trade: "adopted", count: 9), trading: active, now: t0).refused?.rule == .nothingHeld)
    }

    @Test("positions net per market: an entry on the side opposite a held position is refused")
    func opposite() {
        var gate = RiskGate(limits: limits())
        enter(&gate, "y", side: .yes, count: 2, filled: 2)
        let no = gate.check(ExecFixture.intent("n", side: .no, count: 1, cap: 40), trading: active, now: t0).refused
        #expect(no?.rule == .oppositeSide)
        #expect(gate.check(ExecFixture.intent("y2", side: .yes, count: 1, cap: 40), trading: active, now: t0).refused == nil)
    }

    @Test("an answer trues the reservation up to what filled; a close's fills release contracts and their cost")
    func record() {
        var gate = RiskGate(limits: limits())
        let entry = ExecFixture.intent("a", count: 10, cap: 50)
        #expect(gate.check(entry, trading: active, now: t0).refused == nil)
        gate.record(entry, answer: answer(entry, filled: 4, price: 45), reserved: true, now: t0)
        #expect(gate.contracts(market: entry.ticker) == Contracts(whole: 4))
        let fee = TakerFee.of(count: Contracts(whole: 4), price: Dollars(cents: 45))
        #expect(gate.cost(event: entry.eventTicker) == Dollars(cents: 180) + fee)
        let close = ExecFixture.intent("c", purpose: .close, side: .no, count: 2, cap: 60)
        gate.record(close, answer: answer(close, filled: 2, price: 55), reserved: false, now: t0)
        #expect(gate.contracts(market: entry.ticker) == Contracts(whole: 2))
        #expect(gate.cost(event: entry.eventTicker) == Dollars(micros: (Dollars(cents: 180) + fee).micros / 2))
        gate.record(close, answer: answer(close, filled: 2, price: 55), reserved: false, now: t0)
        #expect(gate.contracts(market: entry.ticker) == .zero && gate.cost(event: entry.eventTicker) == .zero)
    }

    @Test("the venue's positions replace what the book has not changed since; a market the venue no longer lists is flat")
    func venuePositions() {
        var gate = RiskGate(limits: limits())
        enter(&gate, "a", count: 4, filled: 4)
        let other = "KXBTCD-26SEP0920-T100249.99"
        let venue = AccountPositions(positions: [VenuePosition(ticker: other, position: Contracts(whole: -3), marketExposure: Dollars(cents: 150),
                                                               realizedPnl: nil, feesPaid: nil)], time: "")
        gate.apply(venue, at: t0.adding(seconds: 1))  // too soon after the book's own change in ATM: ATM kept
        #expect(gate.book.markets[ExecFixture.atm]?.position == Contracts(whole: 4))
        #expect(gate.book.markets[other]?.position == Contracts(whole: -3) && gate.cost(event: ExecFixture.event) > Dollars(cents: 150))
        gate.apply(venue, at: t0.adding(seconds: 30))
        #expect(gate.book.markets[ExecFixture.atm]?.position == .zero)
        #expect(gate.check(close("c", trade: "a"), trading: active, now: t0.adding(seconds: 30)).refused?.rule == .nothingHeld)
        gate.apply(OpenTrades(trades: [listed("z", ticker: other, side: .no, count: 2)], time: ""))
        #expect(gate.check(close("d", trade: "z", side: .yes, count: 5, ticker: other), trading: active, now: t0.adding(seconds: 30)) == .success(Contracts(whole: 2)))
    }

    @Test("trading state: REDUCING and HALTED refuse entries and allow closes; a hard halt refuses closes too")
    func tradingState() {
        var gate = RiskGate(limits: limits())
        enter(&gate, "t", count: 5, filled: 5)
        var holds = TradingHolds(requireReconciliation: true, now: t0)
        let entry = ExecFixture.intent("e", count: 1, cap: 10)
        let reducing = gate.check(entry, trading: holds, now: t0).refused
        #expect(reducing?.rule == .tradingState && reducing?.reason.contains("REDUCING") == true)
        #expect(reducing?.reason.contains("reconciliation") == true)
        var c = close("c1", trade: "t", count: 1)
        #expect(gate.check(c, trading: holds, now: t0).refused == nil)
        gate.record(c, answer: answer(c, filled: 1, price: 60), reserved: true, now: t0)
        holds.apply(TradingCommand(action: .halt, holder: "user", reason: "lunch", time: ""), now: t0)
        #expect(gate.check(entry, trading: holds, now: t0).refused?.reason.contains("HALTED") == true)
        c = close("c2", trade: "t", count: 1)
        #expect(gate.check(c, trading: holds, now: t0).refused == nil)
        gate.record(c, answer: answer(c, filled: 1, price: 60), reserved: true, now: t0)
        holds.apply(TradingCommand(action: .haltHard, holder: "failure-detector", reason: "venue down", time: ""), now: t0)
        #expect(gate.check(close("c3", trade: "t", count: 1), trading: holds, now: t0).refused?.rule == .tradingState)
        #expect(gate.rejections[.tradingState] == 3)
        holds.apply(ReconciliationReport(status: .passed, startup: true, mismatches: [], checkedTime: ""), now: t0)
        holds.apply(TradingCommand(action: .resume, holder: "user", reason: "", time: ""), now: t0)
        holds.apply(TradingCommand(action: .resume, holder: "failure-detector", reason: "", time: ""), now: t0)
        #expect(gate.check(entry, trading: holds, now: t0).refused == nil)
    }
}

extension Result<Contracts, RiskGate.Rejection> {
    /// The refusal, or nil when the intent passed.
    var refused: RiskGate.Rejection? {
        if case .failure(let r) = self { return r }
        return nil
    }
}
