import ProbabilityModel

/// Walk-forward fitting: fingerprint tables built only from BTC bars that **ended** before a cut-off, so nothing a
/// backtest scores was seen by the fit.
public enum WalkForward {
    /// The bars of `prices` that end at or before `cutoff` (Unix seconds).
    public static func series(_ prices: MinuteSeries, endingBy cutoff: Int64) -> MinuteSeries {
        let n = max(0, min(prices.count, Int((cutoff - prices.start) / 60)))
        var bars: [(Int64, Double)] = []
        bars.reserveCapacity(n)
        for i in 0..<n where !prices.closes[i].isNaN { bars.append((prices.start + Int64(i) * 60, prices.closes[i])) }
        return MinuteSeries(bars: bars)
    }

    /// Fingerprint tables fitted (``FingerprintFitter``, REC.IO's year weights) on the bars ending by `cutoff`.
    /// - Throws: ``BacktestError`` when no bar ends that early.
    public static func fit(_ prices: MinuteSeries, endingBy cutoff: Int64, fitter: FingerprintFitter = FingerprintFitter()) throws(BacktestError) -> FingerprintTables {
        let s = series(prices, endingBy: cutoff)
        guard s.count > 60 else { throw BacktestError("--fit-until \(UTCText.date(cutoff)): fewer than 60 BTC minutes before it to fit on") }
        return fitter.fit(s, source: "walk-forward: BTC 1m bars ending by \(UTCText.date(cutoff))")
    }
}
