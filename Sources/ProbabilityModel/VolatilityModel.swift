#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `vol`: a driftless log-price walk with the current volatility, fat tails (Student-t, 4 degrees of freedom,
/// scaled to the variance) and Kalshi's settlement on the **average of the last 60 seconds** before the close.
///
/// For T seconds to the close and a W-second window (W = 60): when T ≥ W the average's log-variance is
/// σ²·(T − W + W/3): the walk up to the window, then a third of the window (the variance of an average of a
/// Brownian path over W seconds is σ²W/3). When T < W, W − T seconds of the average are already known (mean m)
/// and the rest is the average of the next T seconds (variance σ²T/3), so YES needs that rest above
/// (W·K − (W − T)·m)/T. At T = 0 the average is known. Needs no fitted file.
public struct VolatilityModel: ProbabilityModel {
    /// `vol`.
    public var name: String { "vol" }
    /// Volatility per √second when the input has none (50 % a year ≈ 8.9e-5).
    public var defaultSigma: Double
    /// Student-t(4) tails (true) or normal tails.
    public var fatTails: Bool
    /// The settlement window in seconds (Kalshi: 60).
    public var averagingSeconds: Double

    /// A model.
    public init(defaultSigma: Double = 0.5 / 31_536_000.0.squareRoot(), fatTails: Bool = true, averagingSeconds: Double = 60) {
        self.defaultSigma = defaultSigma; self.fatTails = fatTails; self.averagingSeconds = averagingSeconds
    }

    /// P(60-second average at the close > `strike`).
    public func probabilityAbove(strike: Double, input: ModelInput) -> Double {
        let price = input.price, t = max(0, input.secondsToClose), w = averagingSeconds
        let sigma = input.sigma ?? defaultSigma
        var target = strike
        let variance: Double
        if t >= w {
            variance = sigma * sigma * (t - w + w / 3)
        } else {
            let known = input.averageSoFar ?? price
            if t <= 0 { return known > strike ? 1 : 0 }
            target = (w * strike - (w - t) * known) / t
            variance = sigma * sigma * t / 3
        }
        if target <= 0 { return 1 }
        if variance <= 0 || price <= 0 { return price > target ? 1 : 0 }
        let z = log(target / price) / variance.squareRoot()
        return Distributions.upperTail(z, fatTails: fatTails)
    }
}
