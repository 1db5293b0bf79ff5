import Money
import SimExchange
import Testing

@Suite struct LifecycleTests {
    @Test func eventTickersUseUSEasternTime() {
        #expect(SimCalendar.eventSuffix(closeSecond: 1_788_998_400) == "26SEP0920")  // EDT
        #expect(SimCalendar.eventSuffix(closeSecond: 1_796_112_000) == "26DEC0103")  // EST
        #expect(SimCalendar.rfc3339(millis: 1_788_998_400_123) == "2026-09-10T00:00:00.123Z")
    }

    @Test func quadraticTakerFeeRoundsUpToTheCent() {
        #expect(TakerFee.of(count: c(1), price: d("0.50")) == d("0.02"))
        #expect(TakerFee.of(count: c(100), price: d("0.50")) == d("1.75"))
        #expect(TakerFee.of(count: c(10), price: d("0.10")) == d("0.07"))  // 0.063
        #expect(TakerFee.of(count: c(100), price: d("0.01")) == d("0.07"))  // 0.0693
    }

    @Test func takerPaysTheFeeMakerDoesNot() throws {
        var ex = makeExchange()
        try ex.limit("bob", .ask, 10, "0.50")
        let r = try ex.limit("alice", .bid, 10, "0.50")
        #expect(r.order.takerFees == d("0.18"))  // 0.175
        #expect(ex.balance("alice") == d("994.82"))
        #expect(ex.balance("bob") == d("995"))
        #expect(ex.fills("bob").first?.fee == .zero)
    }

    @Test func nettingClosesTheOppositeLegFirst() throws {
        var ex = makeExchange()
        try ex.limit("bob", .ask, 10, "0.40")
        try ex.limit("alice", .bid, 10, "0.40")  // alice YES 10 at 0.40, fee 0.17
        try ex.limit("bob", .bid, 4, "0.55")
        try ex.limit("alice", .ask, 4, "0.55")  // alice sells 4 YES at 0.55, fee 0.07
        let p = try #require(ex.positions("alice").first)
        #expect(p.position == c(6))
        #expect(p.cost == d("2.40"))
        #expect(p.realizedPnL == d("0.60") - d("0.24"))
        #expect(ex.balance("alice") == d("1000") - d("4.00") - d("0.17") + d("2.20") - d("0.07"))
    }

    @Test func settlesOnTheSixtySecondAverageOfTheIndex() throws {
        var ex = makeExchange(index: SettlementMinuteIndex())
        #expect(ex.settlementAverage(closeMs: closeMs) == Dollars(micros: 100_001_833_333))
        try ex.limit("bob", .ask, 10, "0.50")
        try ex.limit("alice", .bid, 10, "0.50")
        let resting = try ex.limit("carol", .bid, 1, "0.30")
        ex.advance(to: closeMs - 1)
        #expect(ex.market(atm)?.status == .active)
        ex.advance(to: closeMs)
        #expect(ex.order(resting.order.orderID)?.status == .canceled)
        #expect(ex.balance("carol") == d("1000"))
        #expect(ex.market(atm)?.status == .determined)
        #expect(ex.market(atm)?.result == .yes)
        #expect(ex.market(atm)?.expirationValue == Dollars(micros: 100_001_833_333))
        // A strike just above the average resolves NO.
        #expect(ex.market("KXBTCD-26SEP0920-T100249.99")?.result == OutcomeSide.no)
        ex.advance(to: closeMs + 59_999)
        #expect(ex.market(atm)?.status == .determined)
        #expect(ex.balance("alice") == d("994.82"))
        ex.advance(to: closeMs + 60_000)
        #expect(ex.market(atm)?.status == .finalized)
        #expect(ex.balance("alice") == d("1004.82"))
        #expect(ex.balance("bob") == d("995"))
        #expect(ex.positions("alice").isEmpty)
        let s = try #require(ex.settlements("alice").first)
        #expect(s.result == .yes)
        #expect(s.revenue == d("10"))
        #expect(s.yesCount == c(10))
        #expect(s.fees == d("0.18"))
        #expect(ex.settlements("bob").first?.noCount == c(10))
        #expect(ex.settlements("bob").first?.revenue == .zero)
    }

    @Test func waitsForTheWholeSettlementMinute() {
        struct Gappy: IndexSource {
            func index(atSecond s: Int64) -> Dollars? { s == closeMs / 1000 - 5 ? nil : Dollars(cents: 10_000_000) }
        }
        var ex = makeExchange(index: Gappy())
        ex.advance(to: closeMs + 5000)
        #expect(ex.market(atm)?.status == .closed)
    }

    @Test func listsTheNextEventAheadAndOpensItAtTheHour() {
        var ex = makeExchange()
        ex.advance(to: closeMs - 300_000)
        let next = "KXBTCD-26SEP0921"
        #expect(ex.event(next) != nil)
        #expect(ex.market(next + "-T99999.99")?.status == .initialized)
        ex.advance(to: closeMs)
        #expect(ex.market(next + "-T99999.99")?.status == .active)
        let created = ex.drainEvents().compactMap { if case .lifecycle(let l) = $0, l.kind == .created { l.eventTicker } else { nil } }
        #expect(created.contains(next))
    }

    @Test func makersQuoteAroundFairValueAndRequoteWhenTheIndexMoves() throws {
        var ex = makeExchange(makers: true)
        let top = ex.topOfBook(atm)
        #expect(top.bid?.price == d("0.48"))  // fair 0.50, half spread 2¢
        #expect(top.ask?.price == d("0.52"))
        #expect(ex.book(atm)?.yes.count == 3)
        let r = try ex.limit("alice", .bid, 150, "0.99", tif: .immediateOrCancel)
        #expect(r.order.fillCount == c(150))
        #expect(ex.fills("alice").map(\.price) == [d("0.52"), d("0.53")])
        ex.advance(to: ex.now + 1)
        #expect(ex.topOfBook(atm).ask?.count == c(100))  // replenished
        // Deep in the money: the bid sits near the top of the grid.
        #expect((ex.topOfBook("KXBTCD-26SEP0920-T97999.99").bid?.price ?? .zero) > d("0.90"))
    }

    @Test func theDefaultIndexIsDeterministic() {
        let a = WaveIndexSource(seed: 7), b = WaveIndexSource(seed: 7)
        for s in Int64(1_788_990_000)..<1_788_990_100 { #expect(a.index(atSecond: s) == b.index(atSecond: s)) }
        #expect(a.index(atSecond: 1) != WaveIndexSource(seed: 8).index(atSecond: 1))
    }
}
