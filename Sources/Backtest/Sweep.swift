import BusKit
import Foundation
import Money
import ProbabilityModel

/// What `recio research sweep` is asked to do.
public struct SweepOptions: Sendable {
    /// The strategy's base settings (`bus.conf`), and the space varied over them.
    public var base: ConfigFile, space: SearchSpace
    /// Walk-forward folds, days held out at the end, parallel jobs.
    public var folds: Int, holdoutDays = 7, jobs: Int
    /// Bootstrap resamples and seed.
    public var resamples = 10_000, seed: UInt64 = 1
    /// The balance auto-entry sees, and minutes of prices before each run (volatility warm-up).
    public var balance = Dollars(cents: 1_000_000), warmUpMinutes = 1_440

    /// Options.
    public init(base: ConfigFile, space: SearchSpace, folds: Int, jobs: Int) {
        self.base = base; self.space = space; self.folds = folds; self.jobs = max(1, jobs)
    }
}

/// A walk-forward sweep: every configuration of a space run once over the selection days (configurations sharing a
/// model setting share one replay of the model), folds choosing on their training days and scored on the next
/// days, then the final choice — made on all the selection days — run once on the held-out days.
public enum Sweep {
    /// A configuration built: its settings and its strategy.
    struct Candidate: Sendable { var settings: [SearchSpace.Setting]; var strategy: Strategy; var modelKey: String }

    /// Runs the sweep. `progress` gets the share done and a label now and then, from any thread.
    /// - Throws: ``BacktestError`` naming the configuration whose settings the plugins refuse, or a plan too short.
    public static func run(tape: MarketTape, prices: MinuteSeries, options o: SweepOptions,
                           progress: @escaping @Sendable (Double, String) -> Void = { _, _ in }) throws(BacktestError) -> SweepReport {
        let first = (tape.rows.map(\.end).min() ?? 0) - 60, last = tape.events.map(\.closeTs).max() ?? 0
        let plan = try FoldPlan(from: first, to: last, folds: o.folds, holdoutDays: o.holdoutDays)
        var notes: [String] = []
        let candidates = try Self.candidates(o, prices: prices, plan: plan, notes: &notes)
        let closes = Dictionary(tape.events.map { ($0.ticker, $0.closeTs) }, uniquingKeysWith: { a, _ in a })

        // Selection: every configuration over the selection days, never the hold-out.
        let started = Date()
        let results = Self.runAll(candidates, tape: tape, prices: prices, window: plan.selection, options: o, progress: progress)
            .map { run in run.map { SweepTrade.of($0, closes: closes) } }
        let trades = results.map { $0 ?? [] }
        let seconds = Date().timeIntervalSince(started)

        var folds: [SweepReport.FoldResult] = [], pooled: [SweepTrade] = [], pooledDays: [DayResult] = []
        for f in plan.folds {
            let pick = best(trades, in: f.train)
            let scored = trades[pick].filter { f.score.contains($0.eventClose) }
            pooled += scored
            pooledDays += SweepFigures.days(scored, in: f.score)
            folds.append(.init(train: f.train, score: f.score, chosen: pick, settings: candidates[pick].settings,
                               trainPnL: trades[pick].filter { f.train.contains($0.eventClose) }.reduce(.zero) { $0 + $1.pnl },
                               outOfSample: SweepFigures(scored)))
        }
        let ci = DayBootstrap.interval(pooledDays, resamples: o.resamples, seed: o.seed)

        // The final choice, on every selection day; the deflated Sharpe ratio of its daily PnL among all tried.
        let chosen = best(trades, in: plan.selection)
        func daily(_ t: [SweepTrade]) -> [Double] { SweepFigures.days(t, in: plan.selection).map { Double($0.pnl.micros) / 1e6 } }
        let dsr = DeflatedSharpe.deflated(returns: daily(trades[chosen]), trialSharpes: trades.map { DeflatedSharpe.moments(daily($0)).sharpe })

        // The hold-out, once.
        progress(1, "hold-out")
        let held = BacktestRun.run(tape: tape, prices: prices, strategy: candidates[chosen].strategy, from: plan.holdout.from, to: plan.holdout.to,
                                   balance: o.balance, warmUpMinutes: o.warmUpMinutes)
        let heldTrades = SweepTrade.of(held, closes: closes)
        let heldCI = DayBootstrap.interval(SweepFigures.days(heldTrades, in: plan.holdout), resamples: o.resamples, seed: o.seed)

        notes.append("selection ran \(candidates.count) configurations (\(Set(candidates.map(\.modelKey)).count) model settings, each replay of a model shared by its configurations) on \(o.jobs) jobs in \(String(format: "%.1f", seconds)) s")
        notes.append("choice: the highest PnL after fees on the training days (the first configuration on a tie); trades belong to the day their event closes")
        notes.append("interval: percentile bootstrap resampling whole US Eastern days (days without trades count as zero), \(o.resamples) resamples, seed \(o.seed)")
        notes.append("significance: deflated Sharpe ratio (Bailey & López de Prado) of the final choice's daily PnL over the selection days, deflated for \(candidates.count) configurations tried")
        return SweepReport(
            plan: plan, configurations: candidates.count, folds: folds, pooled: SweepFigures(pooled), pooledInterval: ci.total,
            pooledPerTradeInterval: ci.perTrade, chosen: candidates[chosen].settings, chosenSelection: SweepFigures(trades[chosen]),
            sharpe: dsr.sharpe, sharpeBenchmark: dsr.benchmark, deflatedSharpe: dsr.probability,
            holdout: SweepFigures(heldTrades), holdoutInterval: heldCI.total, selectionSeconds: seconds, notes: notes)
    }

    /// The index of the configuration with the most PnL from trades whose event closed in `window`.
    static func best(_ trades: [[SweepTrade]], in window: TimeWindow) -> Int {
        var pick = 0, top = Int64.min
        for (i, list) in trades.enumerated() {
            let pnl = list.reduce(Int64(0)) { window.contains($1.eventClose) ? $0 + $1.pnl.micros : $0 }
            if pnl > top { top = pnl; pick = i }
        }
        return pick
    }

    /// Every configuration's strategy, read by the plugins' own readers from the base with its settings over it.
    static func candidates(_ o: SweepOptions, prices: MinuteSeries, plan: FoldPlan, notes: inout [String]) throws(BacktestError) -> [Candidate] {
        var tables: (path: String, tables: FingerprintTables)?
        var out: [Candidate] = []
        for i in 0..<o.space.count {
            var settings = o.space.configuration(i)
            let label = "\(o.base.path) with configuration \(i + 1) (\(SearchSpace.fragment(settings).split(separator: "\n").joined(separator: " ")))"
            let model = settings.last { $0.section == "plugin.model" && $0.key == "model" }?.value
                ?? o.base.section("plugin.model")?.entries.last { $0.key == "model" }?.value
            let wantsFingerprint = model == "fingerprint"
            if wantsFingerprint {
                // Walk-forward: tables fitted once, on BTC bars ending before the first candle.
                if tables == nil {
                    let t = try WalkForward.fit(prices, endingBy: plan.selection.from)
                    let path = FileManager.default.temporaryDirectory.appendingPathComponent("recio-sweep-\(ProcessInfo.processInfo.processIdentifier)-fingerprints.json").path
                    do { try t.write(to: path) } catch { throw BacktestError("\(path): \(error)") }
                    tables = (path, t)
                    notes.append("fingerprint tables fitted on BTC bars ending by \(UTCText.date(plan.selection.from)), before every candle")
                }
                settings.append(.init(section: "plugin.model", key: "tables", value: tables!.path))
            }
            let built: BusConfiguration
            do { built = try SearchSpace.apply(settings, to: o.base, label: label) } catch { throw BacktestError("\(error)") }
            var strategy = try Strategy.from(configuration: built, tables: wantsFingerprint ? tables?.tables : nil)
            strategy.name = "configuration \(i + 1)"
            let key = settings.filter { $0.section == "plugin.model" }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
            out.append(Candidate(settings: o.space.configuration(i), strategy: strategy, modelKey: key))
        }
        return out
    }

    /// Runs every candidate over `window` on `options.jobs` threads: candidates sharing a model setting ride one replay
    /// (split in chunks so every job has work). The result is in candidate order.
    static func runAll(_ candidates: [Candidate], tape: MarketTape, prices: MinuteSeries, window: TimeWindow, options o: SweepOptions,
                       progress: @escaping @Sendable (Double, String) -> Void) -> [BacktestRun?] {
        var groups: [String: [Int]] = [:], order: [String] = []
        for (i, c) in candidates.enumerated() {
            if groups[c.modelKey] == nil { order.append(c.modelKey) }
            groups[c.modelKey, default: []].append(i)
        }
        let perGroup = max(1, (o.jobs + order.count - 1) / order.count)
        var units: [[Int]] = []
        for key in order {
            let members = groups[key]!
            let chunk = max(1, (members.count + perGroup - 1) / perGroup)
            units += stride(from: 0, to: members.count, by: chunk).map { Array(members[$0..<min(members.count, $0 + chunk)]) }
        }
        let box = SweepResults(count: candidates.count, units: units.count)
        let unitList = units
        DispatchQueue.concurrentPerform(iterations: min(o.jobs, unitList.count)) { _ in
            while let u = box.nextUnit() {
                let members = unitList[u]
                let runs = BacktestRun.run(tape: tape, prices: prices, strategies: members.map { candidates[$0].strategy }, from: window.from,
                                           to: window.to, balance: o.balance, warmUpMinutes: o.warmUpMinutes) { done in
                    let (share, finished) = box.progress(unit: u, done: done)
                    progress(share, "\(finished)/\(unitList.count) replays")
                }
                box.store(zip(members, runs).map { ($0, $1) }, unit: u)
                let (share, finished) = box.progress(unit: u, done: 1)
                progress(share, "\(finished)/\(unitList.count) replays")
            }
        }
        return box.results
    }
}

/// The workers' shared state: the next unit to take, each unit's share done, the runs finished.
final class SweepResults: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0, done: [Double], runs: [BacktestRun?]
    private var finished = 0

    init(count: Int, units: Int) { runs = Array(repeating: nil, count: count); done = Array(repeating: 0, count: units) }

    func nextUnit() -> Int? {
        lock.withLock { guard next < done.count else { return nil }; next += 1; return next - 1 }
    }

    /// The share of all units done after `unit` reached `d`, and the units finished.
    func progress(unit: Int, done d: Double) -> (Double, Int) {
        lock.withLock { done[unit] = d; return (done.reduce(0, +) / Double(done.count), finished) }
    }

    func store(_ list: [(Int, BacktestRun)], unit: Int) {
        lock.withLock { for (i, r) in list { runs[i] = r }; finished += 1 }
    }

    var results: [BacktestRun?] { lock.withLock { runs } }
}
