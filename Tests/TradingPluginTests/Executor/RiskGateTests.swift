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

    func answer(_ intent: OrderIntent, filled: Int64, price: Int64) -> OrderEvent {
        VenueOrders.event(intent, clientOrderID: intent.key, outcome: filled > 0 ? .filled : .cancelled, orderID: "o",
                          filled: Contracts(whole: filled), averagePrice: Dollars(cents: price),
                          fees: TakerFee.of(count: Contracts(whole: filled), price: Dollars(cents: price)), mode: "sim", now: t0)
    }

    @Test("an entry within every limit passes and reserves count × cap + fee in its market and event")
    func passes() {
        var gate = RiskGate(limits: limits())
        let i = ExecFixture.intent("a", count: 5, cap: 50)
        #expect(gate.check(i, trading: active, now: t0) == nil)
        #expect(gate.contracts(market: i.ticker) == Contracts(whole: 5))
        #expect(gate.cost(event: i.eventTicker) == Dollars(cents: 250) + TakerFee.of(count: Contracts(whole: 5), price: Dollars(cents: 50)))
        #expect(RiskGate.cost(count: Contracts(whole: 5), price: Dollars(cents: 50)) == Dollars(cents: 250 + 9))
    }

    @Test("stale intents, prices outside 0.01…0.99 and empty counts are refused, for closes too")
    func sanity() {
        var gate = RiskGate(limits: limits())
        let now = t0.microseconds / 1_000_000
        #expect(gate.check(ExecFixture.intent("s", expires: now), trading: active, now: t0)?.rule == .stale)
        #expect(gate.check(ExecFixture.intent("s2", purpose: .close, expires: now - 5), trading: active, now: t0)?.rule == .stale)
        #expect(gate.check(ExecFixture.intent("f", expires: now + 1), trading: active, now: t0) == nil)
        #expect(gate.check(ExecFixture.intent("p0", cap: 0), trading: active, now: t0)?.rule == .price)
        #expect(gate.check(ExecFixture.intent("p1", purpose: .close, cap: 100), trading: active, now: t0)?.rule == .price)
        #expect(gate.check(ExecFixture.intent("c", count: 0), trading: active, now: t0)?.rule == .count)
        #expect(gate.rejections[.stale] == 2 && gate.rejections[.price] == 2 && gate.rejections[.count] == 1)
    }

    @Test("the order rate: N entries a minute, the next refused, allowed again once the minute has passed")
    func rate() {
        var gate = RiskGate(limits: limits(rate: 3))
        for n in 0..<3 { #expect(gate.check(ExecFixture.intent("r\(n)", count: 1, cap: 10), trading: active, now: t0.adding(seconds: Double(n))) == nil) }
        let refused = gate.check(ExecFixture.intent("r3", count: 1, cap: 10), trading: active, now: t0.adding(seconds: 59))
        #expect(refused?.rule == .rate)
        #expect(refused?.reason.contains("limit is 3") == true)
        // A close is never held back by the entry rate.
        #expect(gate.check(ExecFixture.intent("rc", purpose: .close, count: 1, cap: 10), trading: active, now: t0.adding(seconds: 59)) == nil)
        #expect(gate.check(ExecFixture.intent("r4", count: 1, cap: 10), trading: active, now: t0.adding(seconds: 60.5)) == nil)
    }

    @Test("max contracts and cost per order, per market and per event; closes are exempt")
    func sizes() {
        var gate = RiskGate(limits: limits())
        #expect(gate.check(ExecFixture.intent("big", count: 11, cap: 10), trading: active, now: t0)?.rule == .orderContracts)
        #expect(gate.check(ExecFixture.intent("dear", count: 10, cap: 60), trading: active, now: t0)?.rule == .orderCost)
        #expect(gate.check(ExecFixture.intent("m1", count: 10, cap: 20), trading: active, now: t0) == nil)
        #expect(gate.check(ExecFixture.intent("m2", count: 6, cap: 20), trading: active, now: t0)?.rule == .marketContracts)
        let other = "KXBTCD-26SEP0920-T100249.99"
        #expect(gate.check(ExecFixture.intent("e1", count: 10, cap: 50, ticker: other), trading: active, now: t0) == nil)
        let refused = gate.check(ExecFixture.intent("e2", count: 10, cap: 50, ticker: "KXBTCD-26SEP0920-T100499.99"), trading: active, now: t0)
        #expect(refused?.rule == .eventCost)
        #expect(gate.check(ExecFixture.intent("next-hour", count: 5, cap: 40, ticker: "KXBTCD-26SEP0921-T1", event: "KXBTCD-26SEP0921"),
                           trading: active, now: t0) == nil)
        #expect(gate.check(ExecFixture.intent("close", purpose: .close, count: 40, cap: 90), trading: active, now: t0) == nil)
    }

    @Test("an answer trues the reservation up to what filled; a close's fills release contracts and their cost")
    func record() {
        var gate = RiskGate(limits: limits())
        let entry = ExecFixture.intent("a", count: 10, cap: 50)
        #expect(gate.check(entry, trading: active, now: t0) == nil)
        gate.record(entry, answer: answer(entry, filled: 4, price: 45), reserved: true)
        #expect(gate.contracts(market: entry.ticker) == Contracts(whole: 4))
        let fee = TakerFee.of(count: Contracts(whole: 4), price: Dollars(cents: 45))
        #expect(gate.cost(event: entry.eventTicker) == Dollars(cents: 180) + fee)
        let close = ExecFixture.intent("c", purpose: .close, side: .no, count: 2, cap: 60)
        gate.record(close, answer: answer(close, filled: 2, price: 55), reserved: false)
        #expect(gate.contracts(market: entry.ticker) == Contracts(whole: 2))
        #expect(gate.cost(event: entry.eventTicker) == Dollars(micros: (Dollars(cents: 180) + fee).micros / 2))
        gate.record(close, answer: answer(close, filled: 5, price: 55), reserved: false)
        #expect(gate.contracts(market: entry.ticker) == .zero && gate.cost(event: entry.eventTicker) == .zero)
    }

    @Test("trading state: REDUCING and HALTED refuse entries and allow closes; a hard halt refuses closes too")
    func tradingState() {
        var gate = RiskGate(limits: limits())
        var holds = TradingHolds(requireReconciliation: true, now: t0)
        let entry = ExecFixture.intent("e", count: 1, cap: 10), close = ExecFixture.intent("c", purpose: .close, count: 1, cap: 10)
        let reducing = gate.check(entry, trading: holds, now: t0)
        #expect(reducing?.rule == .tradingState && reducing?.reason.contains("REDUCING") == true)
        #expect(reducing?.reason.contains("reconciliation") == true)
        #expect(gate.check(close, trading: holds, now: t0) == nil)
        holds.apply(TradingCommand(action: .halt, holder: "user", reason: "lunch", time: ""), now: t0)
        #expect(gate.check(entry, trading: holds, now: t0)?.reason.contains("HALTED") == true)
        #expect(gate.check(close, trading: holds, now: t0) == nil)
        holds.apply(TradingCommand(action: .haltHard, holder: "failure-detector", reason: "venue down", time: ""), now: t0)
        #expect(gate.check(close, trading: holds, now: t0)?.rule == .tradingState)
        #expect(gate.rejections[.tradingState] == 3)
        holds.apply(TradingCommand(action: .resume, holder: "*", reason: "", time: ""), now: t0)
        #expect(gate.check(entry, trading: holds, now: t0) == nil)
    }
}
