/// Builds ``FingerprintTables`` from 1-minute closes: for every minute with a momentum, the move to the close
/// exactly t = 1…60 minutes later, counted with the weight of the minute's year (recent years more).
public struct FingerprintFitter: Sendable {
    /// Year weights; years not listed weigh ``otherYearWeight``.
    public var yearWeights: [Int: Double]
    /// Weight of years not in ``yearWeights``.
    public var otherYearWeight: Double
    /// Buckets with less starting weight than this are left out (the nearest other bucket serves them).
    public var minimumWeight: Double
    /// Minutes 1…`minutes`, thresholds 0…2.00 % in `step`.
    public var minutes = 60, step = 0.05, thresholds = 41

    /// A fitter with REC.IO's weights (2025 ×5, 2024 ×4, 2023 ×3, 2022 ×2, older ×1).
    public init(yearWeights: [Int: Double] = [2025: 5, 2024: 4, 2023: 3, 2022: 2], otherYearWeight: Double = 1,
                minimumWeight: Double = 100) {
        self.yearWeights = yearWeights; self.otherYearWeight = otherYearWeight; self.minimumWeight = minimumWeight
    }

    /// Fits the tables. `source` is recorded in the file.
    public func fit(_ series: MinuteSeries, source: String) -> FingerprintTables {
        let nb = 62, n = thresholds, cells = minutes * n  // buckets −30…30 at 0…60, baseline at 61
        var upHist = [Double](repeating: 0, count: nb * cells), downHist = upHist
        var totals = [Double](repeating: 0, count: nb * minutes)
        let momentum = HistoricalMomentum.series(series)
        var yearCache: (day: Int64, weight: Double) = (-1, 0)
        series.closes.withUnsafeBufferPointer { c in
            upHist.withUnsafeMutableBufferPointer { up in
                downHist.withUnsafeMutableBufferPointer { down in
                    totals.withUnsafeMutableBufferPointer { tot in
                        for i in 0..<c.count {
                            guard let m = momentum[i] else { continue }
                            let ts = series.start + Int64(i) * 60
                            let day = ts / 86_400
                            if day != yearCache.day { yearCache = (day, yearWeights[UTCDate.year(ts)] ?? otherYearWeight) }
                            let w = yearCache.weight, start = c[i]
                            let bucket = min(60, max(0, m + 30))
                            for t in 1...minutes {
                                let j = i + t
                                if j >= c.count { break }
                                let end = c[j]
                                if end.isNaN { continue }
                                let move = (end - start) / start * 100 / step
                                for pass in 0..<2 {
                                    let b = pass == 0 ? bucket : 61
                                    tot[b * minutes + t - 1] += w
                                    let base = b * cells + (t - 1) * n
                                    if move >= 0 { up[base + min(n - 1, Int(move + 1e-9))] += w }
                                    if move <= 0 { down[base + min(n - 1, Int(-move + 1e-9))] += w }
                                }
                            }
                        }
                    }
                }
            }
        }
        func surface(_ b: Int) -> FingerprintSurface {
            var up = [Double](repeating: 0, count: cells), down = up
            for t in 0..<minutes {
                let total = totals[b * minutes + t]
                guard total > 0 else { continue }
                var su = 0.0, sd = 0.0
                for k in stride(from: n - 1, through: 0, by: -1) {
                    su += upHist[b * cells + t * n + k]; sd += downHist[b * cells + t * n + k]
                    up[t * n + k] = (su / total * 1e6).rounded() / 1e6
                    down[t * n + k] = (sd / total * 1e6).rounded() / 1e6
                }
            }
            return FingerprintSurface(momentum: b == 61 ? nil : b - 30, weight: totals[b * minutes], up: up, down: down)
        }
        let buckets = (0...60).filter { totals[$0 * minutes] > 0 && totals[$0 * minutes] >= minimumWeight }.map(surface)
        return FingerprintTables(minutes: minutes, step: step, thresholds: n, source: source, baseline: surface(61), buckets: buckets)
    }
}
