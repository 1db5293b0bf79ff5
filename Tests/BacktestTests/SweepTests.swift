import AutoEntry
@testable import Backtest
import BusKit
import Foundation
import Money
import Testing
import TradeSupervisor

@Suite("research sweep: space file, folds, day bootstrap, deflated Sharpe")
struct SweepTests {
    @Test("a space file: ranges with steps, choices, single values; the last key varies fastest")
    func space() throws {
        let s = try SearchSpace(path: "space.conf", text: """
            [plugin.auto-entry]
            min_probability = 60..80 step 10   # three
            min_edge = 0 | 2
            [plugin.trade-supervisor]
            auto_stop = false
            """)
        #expect(s.count == 6)
        #expect(s.dimensions[0].values == ["60", "70", "80"])
        #expect(s.configuration(1).map(\.value) == ["60", "2", "false"])
        #expect(s.configuration(5).map(\.value) == ["80", "2", "false"])
        #expect(SearchSpace.fragment(s.configuration(0)) == "[plugin.auto-entry]\nmin_edge = 0\nmin_probability = 60\n[plugin.trade-supervisor]\nauto_stop = false\n")
        let half = try SearchSpace(path: "s", text: "[plugin.auto-entry]\nmax_slippage = 0..1 step 0.5\n")
        #expect(half.dimensions[0].values == ["0", "0.5", "1"])
    }

    @Test("space file errors name the file, line and key")
    func spaceErrors() {
        func errors(_ text: String) -> [ConfigError] {
            do { _ = try SearchSpace(path: "space.conf", text: text); return [] } catch { return error.problems }
        }
        let e = errors("[plugin.auto-entry]\nmin_probability = 80..60 step 5\nno_such_key = 1\nmin_edge = 1..2 stride 1\ncooldown = 1 | | 2\n[bus]\nx = 1\n")
        #expect(e.map(\.line) == [2, 3, 4, 5, 6])
        #expect(e.map(\.key) == ["min_probability", "no_such_key", "min_edge", "cooldown", nil])
        #expect(e.allSatisfy { $0.file == "space.conf" })
        #expect(e[0].description == "space.conf:2: key 'min_probability': range 80..60 runs backwards")
        #expect(errors("[plugin.auto-entry]\nauto_entry = false | true\n").first?.key == "auto_entry")
        #expect(errors("[plugin.auto-entry]\nmin_edge = 0..1 step 0\n").first?.message == "step must be positive, got '0'")
    }

    @Test("a configuration's settings go over the base's sections, read by the plugins' own readers")
    func apply() throws {
        let base = try ConfigFile(path: "bus.conf", text: "[bus]\nfrontend = tcp://127.0.0.1:1\n[plugin.auto-entry]\nmin_probability = 40\ncooldown = 5\n")
        let c = try SearchSpace.apply([.init(section: "plugin.auto-entry", key: "min_probability", value: "70")], to: base, label: "x")
        let s = try Strategy.from(configuration: c)
        #expect(s.entry.minProbabilityPercent == 70 && s.entry.cooldown == 5 && s.entry.enabled)
    }

    @Test("folds: anchored training windows, each scored on the next block, never overlapping; the hold-out is after them all")
    func folds() throws {
        let day: Int64 = 86_400, start: Int64 = 20_000 * day
        let plan = try FoldPlan(from: start + 3_600, to: start + 30 * day - 100, folds: 3, holdoutDays: 7)
        #expect(plan.holdout == TimeWindow(from: start + 23 * day, to: start + 30 * day))
        #expect(plan.selection == TimeWindow(from: start, to: start + 23 * day))
        #expect(plan.folds.count == 3)
        for (k, f) in plan.folds.enumerated() {
            #expect(!f.train.overlaps(f.score) && f.train.to == f.score.from && f.train.from == start)
            #expect(!f.score.overlaps(plan.holdout) && !f.train.overlaps(plan.holdout) && f.score.to <= plan.selection.to)
            if k > 0 { #expect(f.score.from == plan.folds[k - 1].score.to) }
        }
        #expect(plan.folds.last?.score.to == plan.selection.to)
        // 23 days in 4 blocks: 8 + 5 + 5 + 5 (the first block, which only trains, takes the remainder).
        #expect(plan.folds.map { ($0.score.to - $0.score.from) / day } == [5, 5, 5])
        #expect(throws: BacktestError.self) { try FoldPlan(from: start, to: start + 9 * day, folds: 3, holdoutDays: 7) }
    }

    @Test("selection never sees the hold-out: the best configuration is chosen from trades closing in the window only")
    func selectionWindow() {
        let w = TimeWindow(from: 0, to: 100)
        let a = [SweepTrade(eventClose: 50, finished: 50, pnl: Dollars(cents: 10), fees: .zero)]
        let b = [SweepTrade(eventClose: 50, finished: 50, pnl: Dollars(cents: 5), fees: .zero),
                 SweepTrade(eventClose: 150, finished: 150, pnl: Dollars(cents: 1_000), fees: .zero)]
        #expect(Sweep.best([a, b], in: w) == 0)
        #expect(Sweep.best([a, b], in: TimeWindow(from: 0, to: 200)) == 1)
    }

    @Test("day bootstrap with a known answer: identical days give a point; days of 0 and 2 over two days span 0…4")
    func bootstrap() {
        let flat = (1...5).map { DayResult(day: "d\($0)", pnl: Dollars(cents: 100), trades: 2) }
        let one = DayBootstrap.interval(flat, resamples: 500, seed: 7)
        #expect(one.total.low == Dollars(cents: 500) && one.total.high == Dollars(cents: 500))
        #expect(one.perTrade?.low == Dollars(cents: 50) && one.perTrade?.high == Dollars(cents: 50))
        let two = [DayResult(day: "a", pnl: .zero, trades: 1), DayResult(day: "b", pnl: Dollars(cents: 200), trades: 1)]
        let r = DayBootstrap.interval(two, resamples: 4_000, seed: 3)
        #expect(r.total.low == .zero && r.total.high == Dollars(cents: 400))
        #expect(DayBootstrap.interval(two, resamples: 4_000, seed: 3) == r)
    }

    @Test("deflated Sharpe ratio on hand-computed inputs")
    func deflated() {
        // E[max SR] of 100 trials with Sharpe variance 0.01: 0.1 × ((1 − γ) Φ⁻¹(0.99) + γ Φ⁻¹(1 − 1/(100e))) = 0.25306.
        #expect(abs(DeflatedSharpe.expectedMaximum(trials: 100, variance: 0.01) - 0.253_060) < 1e-5)
        #expect(DeflatedSharpe.expectedMaximum(trials: 1, variance: 0.01) == 0)
        // SR 0.1 over 101 normal observations against 0: Φ(1 / √1.005) = 0.840741.
        #expect(abs(DeflatedSharpe.probability(sharpe: 0.1, benchmark: 0, observations: 101, skew: 0, kurtosis: 3) - 0.840_741) < 1e-5)
        #expect(abs(Normal.quantile(0.975) - 1.959_964) < 1e-6)
        let m = DeflatedSharpe.moments([1, 2, 3, 4])
        #expect(abs(m.sharpe - 2.5 / 1.25.squareRoot()) < 1e-12 && abs(m.skew) < 1e-12)
        // Deflating for many trials lowers the probability below the one-trial value.
        let returns = (0..<60).map { Double($0 % 5) - 1.5 }
        let alone = DeflatedSharpe.deflated(returns: returns, trialSharpes: [0.3])
        let many = DeflatedSharpe.deflated(returns: returns, trialSharpes: (0..<50).map { Double($0) / 100 })
        #expect(alone.benchmark == 0 && many.benchmark > 0 && many.probability < alone.probability)
    }

    @Test("configurations sharing a model ride one replay and trade exactly as each would alone")
    func lanes() throws {
        var strict = try Strategy.from(configuration: Scenario.configuration())
        strict.entry.minProbabilityPercent = 85
        var noStop = try Strategy.from(configuration: Scenario.configuration())
        noStop.supervisor.autoStop = false
        let loose = try Strategy.from(configuration: Scenario.configuration())
        let shared = BacktestRun.run(tape: Scenario.tape, prices: Scenario.prices, strategies: [loose, strict, noStop], from: Scenario.from,
                                     to: Scenario.to, warmUpMinutes: 60)
        for (s, run) in zip([loose, strict, noStop], shared) {
            let alone = BacktestRun.run(tape: Scenario.tape, prices: Scenario.prices, strategy: s, from: Scenario.from, to: Scenario.to, warmUpMinutes: 60)
            #expect(run.trades == alone.trades)
            #expect(run.exposure.map(\.cost) == alone.exposure.map(\.cost))
        }
        #expect(!shared[0].trades.isEmpty)
    }
}
