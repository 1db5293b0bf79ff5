import Backtest
import Foundation
import Money
import ProbabilityModel
import Testing
import TradingWire

@Suite struct EngineTests {
    func run() throws -> BacktestRun {
        let strategy = try Strategy.from(configuration: Scenario.configuration())
        return BacktestRun.run(tape: Scenario.tape, prices: Scenario.prices, strategy: strategy, from: Scenario.from, to: Scenario.to, warmUpMinutes: 60)
    }

    @Test func tradesSettleFromTheRecordedOutcome() throws {
        let r = try run()
        let done = BacktestReport.finished(r)
        #expect(!done.isEmpty)
        for t in done where t.status == .settled {
            // Every market settled NO in the record.
            #expect(t.exitValue == (t.side == .no ? Dollars(cents: 100) : .zero))
            let cost = (t.entryPrice ?? .zero) * t.count
            #expect(t.pnl == (t.exitValue ?? .zero) * t.count - cost - t.entryFees - t.closeFees)
        }
        #expect(r.trades.allSatisfy { $0.status.isFinal })  // nothing left open after the close
    }

    @Test func entriesAndClosesNeverBeatTheRecordedAsk() throws {
        let r = try run()
        let tape = Scenario.tape
        let filler = CandleFiller(tape: tape)
        for t in BacktestReport.finished(r) {
            guard let row = filler.latestRow(t.ticker, atOrBefore: t.enteredTs), let ask = CandleFiller.ask(tape.rows[row], side: t.side) else {
                Issue.record("no recorded ask for \(t.id)"); continue
            }
            #expect(t.entryPrice == ask)
            #expect(t.entryFees == TakerFee.of(count: t.count, price: ask))
        }
    }

    @Test func reportFiguresAddUp() throws {
        let r = try run()
        let report = BacktestReport(run: r, comparison: nil, from: Scenario.from, to: Scenario.to, calibration: nil, notes: [])
        let sum = report.trades.reduce(Dollars.zero) { $0 + ($1.pnl ?? .zero) }
        #expect(report.summary.pnl == sum)
        #expect(report.byHour.reduce(Dollars.zero) { $0 + $1.pnl } == sum)
        #expect(report.byDistance.reduce(Dollars.zero) { $0 + $1.pnl } == sum)
        #expect(report.equity.last?.pnl == sum)
        #expect(report.html().contains("<svg"))
    }
}

@Suite struct WalkForwardTests {
    @Test func theFitSeesNothingAfterTheCutoff() throws {
        let cutoff: Int64 = 1_750_000_000 - 1_750_000_000 % 60
        let bars = stride(from: cutoff - 5 * 86_400, to: cutoff + 86_400, by: 60).map { ($0, 100_000 + sin(Double($0) / 900) * 300) }
        let changed = bars.map { $0.0 + 60 > cutoff ? ($0.0, $0.1 * 3) : $0 }  // every bar ending after the cutoff, wildly different
        let a = try WalkForward.fit(MinuteSeries(bars: bars), endingBy: cutoff)
        let b = try WalkForward.fit(MinuteSeries(bars: changed), endingBy: cutoff)
        let c = try WalkForward.fit(MinuteSeries(bars: bars.filter { $0.0 + 60 <= cutoff }), endingBy: cutoff)
        #expect(a.baseline == b.baseline && a.buckets == b.buckets)
        let s = WalkForward.series(MinuteSeries(bars: bars), endingBy: cutoff)
        #expect(s.start + Int64(s.count) * 60 <= cutoff)  // nothing ends after the cutoff
        #expect(a.baseline == c.baseline && a.buckets == c.buckets)
    }

    @Test func aCutoffAfterTheWindowStartIsRefused() throws {
        var o = BacktestOptions(prices: [], candles: "", outcomes: "", from: Scenario.from, to: Scenario.to, fitUntil: Scenario.from + 60)
        o.compare = false
        #expect(throws: BacktestError.self) {
            _ = try Backtester.report(tape: Scenario.tape, prices: Scenario.prices, configuration: nil, options: o)
        }
    }
}
