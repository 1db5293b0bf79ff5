/// A span of time: events closing in (`from`, `to`], Unix seconds.
public struct TimeWindow: Sendable, Hashable, Codable {
    /// The ends.
    public var from: Int64, to: Int64
    /// A window.
    public init(from: Int64, to: Int64) { self.from = from; self.to = to }
    /// Whether `ts` falls in (from, to].
    public func contains(_ ts: Int64) -> Bool { ts > from && ts <= to }
    /// Whether the two share any instant.
    public func overlaps(_ o: TimeWindow) -> Bool { from < o.to && o.from < to }
}

/// Walk-forward folds over whole UTC days: the last `holdoutDays` are held out; the days before are cut into
/// `folds + 1` blocks, and fold k chooses on blocks 1…k (an anchored, growing training window) and is scored on
/// block k + 1, the one right after it.
public struct FoldPlan: Sendable, Hashable, Codable {
    /// One fold.
    public struct Fold: Sendable, Hashable, Codable {
        /// Where settings are chosen, and where the choice is scored.
        public var train: TimeWindow, score: TimeWindow
    }

    /// Everything selection may look at: the days before the hold-out.
    public var selection: TimeWindow
    /// The last days, run once with the final choice.
    public var holdout: TimeWindow
    /// The folds, oldest first.
    public var folds: [Fold]

    /// A plan over events closing in (`from`, `to`], cut at UTC midnights.
    /// - Throws: ``BacktestError`` when fewer than one day per block is left before the hold-out.
    public init(from: Int64, to: Int64, folds: Int, holdoutDays: Int = 7) throws(BacktestError) {
        let day: Int64 = 86_400
        let start = (from / day) * day, end = ((to + day - 1) / day) * day
        let cut = end - Int64(holdoutDays) * day
        guard folds >= 1 else { throw BacktestError("--folds must be at least 1") }
        guard holdoutDays >= 1 else { throw BacktestError("the hold-out needs at least one day") }
        let days = (cut - start) / day
        guard days >= Int64(folds + 1) else {
            throw BacktestError("\(days) days before the \(holdoutDays)-day hold-out: too few for \(folds) folds (each needs a day to score and one to train)")
        }
        let blocks = Int64(folds + 1), size = days / blocks, extra = days % blocks
        // The first block takes the days that do not divide evenly: it only ever trains.
        var bounds = [start]
        for k in 0..<blocks { bounds.append(bounds[Int(k)] + (size + (k == 0 ? extra : 0)) * day) }
        selection = TimeWindow(from: start, to: cut)
        holdout = TimeWindow(from: cut, to: end)
        self.folds = (1...folds).map { k in
            Fold(train: TimeWindow(from: start, to: bounds[k]), score: TimeWindow(from: bounds[k], to: bounds[k + 1]))
        }
    }
}
