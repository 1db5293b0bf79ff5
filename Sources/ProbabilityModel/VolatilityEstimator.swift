#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Realised volatility from 1-minute log returns: a fast EWMA blended with a slow (long-run) EWMA, with a floor.
///
/// Feed it minute returns (``addMinuteReturn(_:minutes:)``) or raw prices (``record(second:price:)``, which
/// builds minute closes itself). ``sigma`` is per √second, the unit ``ModelInput/sigma`` takes.
public struct VolatilityEstimator: Sendable, Hashable {
    /// Half-life of the fast EWMA, in minutes.
    public var fastHalfLife: Double
    /// Half-life of the long-run EWMA, in minutes.
    public var slowHalfLife: Double
    /// Weight of the fast EWMA in the blend (the rest is the long-run one).
    public var fastWeight: Double
    /// The lowest volatility reported, per √second.
    public var floor: Double
    /// Fast and slow variance per minute.
    public private(set) var fastVariance: Double, slowVariance: Double
    /// Minute returns seen.
    public private(set) var count = 0
    private var minute: Int64?, lastPrice = 0.0, lastMinuteClose: Double?

    /// An estimator starting at `initialSigma` per √second (50 % a year by default).
    public init(initialSigma: Double = 0.5 / 31_536_000.0.squareRoot(), fastHalfLife: Double = 30, slowHalfLife: Double = 1_440,
                fastWeight: Double = 0.6, floor: Double = 0.1 / 31_536_000.0.squareRoot()) {
        self.fastHalfLife = fastHalfLife; self.slowHalfLife = slowHalfLife; self.fastWeight = fastWeight; self.floor = floor
        fastVariance = initialSigma * initialSigma * 60; slowVariance = fastVariance
    }

    /// Adds the log return of `minutes` minutes (a gap spreads its variance over the minutes it spans).
    public mutating func addMinuteReturn(_ r: Double, minutes: Int = 1) {
        guard r.isFinite, minutes > 0 else { return }
        let perMinute = r * r / Double(minutes)
        let n = Double(min(minutes, 1_000))
        let aFast = exp2(-n / fastHalfLife), aSlow = exp2(-n / slowHalfLife)
        fastVariance = aFast * fastVariance + (1 - aFast) * perMinute
        slowVariance = aSlow * slowVariance + (1 - aSlow) * perMinute
        count += 1
    }

    /// Records a price at a Unix second; the first price of a new minute closes the previous one.
    public mutating func record(second: Int64, price: Double) {
        guard price > 0 else { return }
        let m = second >= 0 ? second / 60 : (second - 59) / 60
        if let current = minute, m > current {
            if let previous = lastMinuteClose { addMinuteReturn(log(lastPrice / previous), minutes: Int(m - current)) }
            lastMinuteClose = lastPrice
        }
        if minute == nil || m > minute! { minute = m }
        lastPrice = price
    }

    /// The blended volatility per √second, at least ``floor``.
    public var sigma: Double {
        let v = fastWeight * fastVariance + (1 - fastWeight) * slowVariance
        return max(floor, (v / 60).squareRoot())
    }
}
