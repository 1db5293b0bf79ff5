import Backtest
import Money
import Testing

@Suite struct MetricsTests {
    @Test func drawdownOnAHandMadeSeries() {
        let pnl = [5, -3, 1, -4, 6].map { Dollars(cents: Int64($0) * 100) }
        let equity = Metrics.cumulative(pnl)
        #expect(equity == [5, 2, 3, -1, 5].map { Dollars(cents: Int64($0) * 100) })
        #expect(Metrics.maxDrawdown(equity) == Dollars(cents: 600))  // peak 5 → trough −1
        #expect(Metrics.maxDrawdown([Dollars(cents: -200)]) == Dollars(cents: 200))  // from the starting zero
        #expect(Metrics.maxDrawdown([]) == .zero)
    }

    @Test func exposureArithmetic() {
        let e = Metrics.exposure([0, 10, 20, 0, 5].map { Dollars(cents: Int64($0) * 100) })
        #expect(e.maximum == Dollars(cents: 2_000))
        #expect(e.mean == Dollars(cents: 700))
        #expect(e.minutesHeld == 3 && e.minutes == 5)
    }
}
