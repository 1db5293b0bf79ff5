import Foundation
import Money

/// The probability that BTC finishes above a strike, under a driftless lognormal model. The Double stays inside
/// the probability; quotes built from it are rounded to whole cents.
public enum FairValue {
    /// P(index at close > strike) given spot, seconds left and an annualised volatility (e.g. 0.5).
    public static func probabilityAbove(spot: Dollars, strike: Dollars, secondsLeft: Int64, annualVolatility: Double) -> Double {
        let s = Double(spot.micros), k = Double(strike.micros)
        guard s > 0, k > 0 else { return 0.5 }
        let years = Double(max(secondsLeft, 1)) / (365.0 * 24 * 3600)
        let sd = annualVolatility * years.squareRoot()
        guard sd > 0 else { return s > k ? 1 : 0 }
        let d = log(s / k) / sd
        return 0.5 * erfc(-d / 2.0.squareRoot())
    }

    /// The probability as whole cents, 0...100.
    public static func cents(_ p: Double) -> Int64 { Int64((min(max(p, 0), 1) * 100).rounded()) }
}
