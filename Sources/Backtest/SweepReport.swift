import Foundation
import Money

/// Everything `recio research sweep` reports: out-of-sample figures only.
public struct SweepReport: Codable, Sendable {
    /// One fold: where it chose, what it chose, and how that did on the next days.
    public struct FoldResult: Codable, Sendable, Hashable {
        /// The training and scoring windows.
        public var train: TimeWindow, score: TimeWindow
        /// The configuration chosen (0-based) and its settings.
        public var chosen: Int, settings: [SearchSpace.Setting]
        /// Its PnL on the training days (in-sample, shown only to compare).
        public var trainPnL: Dollars
        /// Its figures on the scoring days.
        public var outOfSample: SweepFigures

        enum CodingKeys: String, CodingKey { case train, score, chosen, settings, trainPnL = "train_pnl", outOfSample = "out_of_sample" }
    }

    /// The windows.
    public var plan: FoldPlan
    /// Configurations tried.
    public var configurations: Int
    /// Each fold.
    public var folds: [FoldResult]
    /// The folds' scoring days together, with the day-bootstrap intervals of the total and per trade.
    public var pooled: SweepFigures, pooledInterval: Interval, pooledPerTradeInterval: Interval?
    /// The final choice, made on all selection days, and its figures there (in-sample).
    public var chosen: [SearchSpace.Setting], chosenSelection: SweepFigures
    /// The final choice's daily Sharpe ratio over the selection days, the best expected by luck among the
    /// configurations tried, and the deflated Sharpe ratio (probability that its true Sharpe ratio beats that).
    public var sharpe: Double, sharpeBenchmark: Double, deflatedSharpe: Double
    /// The final choice run once on the held-out days, with its day-bootstrap interval.
    public var holdout: SweepFigures, holdoutInterval: Interval
    /// Seconds the selection replays took.
    public var selectionSeconds: Double
    /// How the figures were made.
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case plan, configurations, folds, pooled, pooledInterval = "pooled_interval", pooledPerTradeInterval = "pooled_per_trade_interval"
        case chosen, chosenSelection = "chosen_selection", sharpe, sharpeBenchmark = "sharpe_benchmark", deflatedSharpe = "deflated_sharpe"
        case holdout, holdoutInterval = "holdout_interval", selectionSeconds = "selection_seconds", notes
    }

    /// The final choice as a `bus.conf` fragment.
    public var fragment: String { SearchSpace.fragment(chosen) }

    /// A plain-text report.
    public func text() -> String {
        func w(_ t: TimeWindow) -> String { "\(UTCText.date(t.from))..\(UTCText.date(t.to))" }
        func f(_ x: SweepFigures) -> String {
            "\(x.trades) trades, win rate \(x.winRate ?? "-"), PnL \(x.pnl.formatted(decimals: 2)) (\(x.pnlPerTrade.formatted(decimals: 4))/trade), "
                + "fees \(x.fees.formatted(decimals: 2)), max drawdown \(x.maxDrawdown.formatted(decimals: 2))"
        }
        func i(_ v: Interval) -> String { "[\(v.low.formatted(decimals: 2)), \(v.high.formatted(decimals: 2))]" }
        var s = "Walk-forward sweep: \(configurations) configurations, \(folds.count) folds; selection \(w(plan.selection)), hold-out \(w(plan.holdout))\n\n"
        s += "Out of sample, per fold (chosen on the training days, scored on the next):\n"
        for (k, fold) in folds.enumerated() {
            s += "  fold \(k + 1): train \(w(fold.train)) -> score \(w(fold.score)): configuration \(fold.chosen + 1) "
                + "(\(fold.settings.map { "\($0.key)=\($0.value)" }.joined(separator: " ")))\n"
            s += "    \(f(fold.outOfSample))\n"
        }
        s += "Pooled out of sample: \(f(pooled))\n"
        s += "  \(Int(pooledInterval.level * 100)) % interval (whole days resampled): total \(i(pooledInterval))"
        if let p = pooledPerTradeInterval { s += ", per trade [\(p.low.formatted(decimals: 4)), \(p.high.formatted(decimals: 4))]" }
        s += "\n\nFinal choice (on all selection days; in-sample: \(f(chosenSelection))):\n"
        s += fragment.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        s += String(format: "Deflated Sharpe ratio: %.3f (daily Sharpe %.3f vs %.3f expected from the best of %d by luck)\n",
                    deflatedSharpe, sharpe, sharpeBenchmark, configurations)
        s += "Held-out days, run once: \(f(holdout))\n  interval \(i(holdoutInterval))\n\n"
        for n in notes { s += "- \(n)\n" }
        return s
    }

    /// A standalone HTML page of the same figures.
    public func html() -> String {
        func esc(_ t: String) -> String { t.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;") }
        return "<!doctype html><meta charset=utf-8><title>recio research sweep</title><pre>\(esc(text()))</pre>"
    }
}
