import ArgumentParser
import Backtest
import BusKit
import Foundation
import Money

/// `recio research`: strategy research that reports only out-of-sample figures.
struct ResearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "research", abstract: "Walk-forward strategy research.", subcommands: [SweepCommand.self])
}

/// `recio research sweep`: a search space over the strategy's settings, chosen on earlier days and scored on later ones.
struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep", abstract: "Walk-forward sweep of a search space; out-of-sample figures, day-bootstrap intervals, deflated Sharpe ratio.")

    @Option(help: "The base strategy: a bus.conf whose [plugin.model], [plugin.auto-entry], [plugin.trade-supervisor] the space varies.")
    var config: String
    @Option(help: "The search space file (see README, 'Research').") var space: String
    @Option(help: "Walk-forward folds.") var folds = 3
    @Option(help: "Parallel replays (default: the core count).") var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "Days held out at the end, run once with the final choice.") var holdoutDays = 7
    @Option(help: "Bootstrap resamples.") var resamples = 10_000
    @Option(help: "Bootstrap seed.") var seed: UInt64 = 1
    @Option(help: "The folder holding the shared data files (default $RECIO_SHARED_DATA, else ../shared/data).")
    var data = BacktestBench.defaultFolder
    @Flag(help: "Print the report as JSON.") var json = false
    @Option(help: "Also write the report as HTML here.") var html: String?

    func run() async throws {
        guard let text = try? String(contentsOfFile: config, encoding: .utf8) else { throw ValidationError("cannot read \(config)") }
        let base: ConfigFile, space: SearchSpace
        do {
            base = try ConfigFile(path: config, text: text)
            space = try SearchSpace.read(path: self.space)
        } catch { throw ValidationError("\(error)") }
        let files = BacktestBench(folder: data)
        printError("reading \(files.candles), \(files.outcomes), \(files.prices)")
        let (tape, prices) = try Backtester.load(BacktestOptions(prices: [files.prices], candles: files.candles, outcomes: files.outcomes, from: 0, to: 0))
        var o = SweepOptions(base: base, space: space, folds: folds, jobs: jobs)
        o.holdoutDays = holdoutDays; o.resamples = resamples; o.seed = seed
        printError("\(space.count) configurations, \(folds) folds, \(o.jobs) jobs")
        let bar = TimedProgress()
        let report = try Sweep.run(tape: tape, prices: prices, options: o) { done, label in bar.show(done, label) }
        bar.finish()
        if let html { try report.html().write(toFile: html, atomically: true, encoding: .utf8) }
        if json {
            try printJSON(report)
        } else {
            print(report.text(), terminator: "")
        }
    }
}

/// A progress bar with the time left, on stderr, redrawn at most five times a second.
final class TimedProgress: @unchecked Sendable {
    private let lock = NSLock(), start = Date(), bar = ProgressBar()
    private var last = Date.distantPast

    func show(_ done: Double, _ label: String) {
        lock.withLock {
            let now = Date()
            guard now.timeIntervalSince(last) > 0.2 || done >= 1 else { return }
            last = now
            let elapsed = now.timeIntervalSince(start)
            let left = done > 0.001 ? elapsed * (1 - done) / done : .nan
            bar.show("\(label), \(Int(elapsed)) s elapsed, " + (left.isNaN ? "estimating time left" : "about \(Int(left.rounded())) s left"), done)
        }
    }

    func finish() { bar.finish() }
}
