#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One bin of a calibration table.
public struct CalibrationBin: Codable, Sendable, Hashable {
    /// The bin's probability range [lower, upper).
    public var lower: Double, upper: Double
    /// Forecasts in the bin.
    public var count: Int
    /// Their mean forecast, and the share that came true (nil for an empty bin).
    public var meanForecast: Double?, observed: Double?

    enum CodingKeys: String, CodingKey { case lower, upper, count, meanForecast = "mean_forecast", observed }
}

/// The scores of one forecaster on one set of outcomes.
public struct Score: Codable, Sendable, Hashable {
    /// Forecasts scored.
    public var count: Int
    /// Mean squared error of the probability.
    public var brier: Double
    /// Mean negative log-likelihood (natural log), forecasts clipped to [1e-4, 1 − 1e-4].
    public var logLoss: Double
    /// Ten bins of width 0.1.
    public var calibration: [CalibrationBin]

    enum CodingKeys: String, CodingKey { case count, brier, logLoss = "log_loss", calibration }

    /// Scores `forecasts` against `outcomes` (same length).
    public init(forecasts: [Double], outcomes: [Bool], bins: Int = 10) {
        precondition(forecasts.count == outcomes.count)
        count = forecasts.count
        var b = 0.0, l = 0.0
        var n = [Int](repeating: 0, count: bins), sp = [Double](repeating: 0, count: bins), sy = sp
        for (p, y) in zip(forecasts, outcomes) {
            let o = y ? 1.0 : 0.0
            b += (p - o) * (p - o)
            let q = min(1 - 1e-4, max(1e-4, p))
            l -= y ? log(q) : log(1 - q)
            let k = min(bins - 1, max(0, Int(p * Double(bins))))
            n[k] += 1; sp[k] += p; sy[k] += o
        }
        brier = count > 0 ? b / Double(count) : .nan
        logLoss = count > 0 ? l / Double(count) : .nan
        calibration = (0..<bins).map { k in
            CalibrationBin(lower: Double(k) / Double(bins), upper: Double(k + 1) / Double(bins), count: n[k],
                           meanForecast: n[k] > 0 ? sp[k] / Double(n[k]) : nil, observed: n[k] > 0 ? sy[k] / Double(n[k]) : nil)
        }
    }
}
