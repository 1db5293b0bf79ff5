import Foundation
import Money

/// A small seeded generator (SplitMix64): the same seed gives the same draws on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    var state: UInt64
    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }
    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One day's trading: its PnL after fees and its trade count.
public struct DayResult: Sendable, Hashable, Codable {
    /// `2025-05-01`, US Eastern.
    public var day: String
    /// PnL after fees, and trades finished.
    public var pnl: Dollars, trades: Int
}

/// A two-sided interval.
public struct Interval: Sendable, Hashable, Codable {
    /// The ends and the level (`0.95`).
    public var low: Dollars, high: Dollars, level: Double
}

/// Resampling whole days: trades of one day share the day's market, so they are not independent; days are closer to it.
public enum DayBootstrap {
    /// Percentile intervals of the total PnL and of the PnL per trade over `days` resampled with replacement
    /// `resamples` times from `seed`. Per-trade draws with no trade are left out of that interval.
    public static func interval(_ days: [DayResult], resamples: Int = 10_000, level: Double = 0.95, seed: UInt64 = 1)
        -> (total: Interval, perTrade: Interval?) {
        guard !days.isEmpty, resamples > 0 else {
            return (Interval(low: .zero, high: .zero, level: level), nil)
        }
        var rng = SeededGenerator(seed: seed)
        var totals: [Int64] = [], perTrade: [Int64] = []
        totals.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var sum: Int64 = 0, trades = 0
            for _ in 0..<days.count {
                let d = days[Int(rng.next() % UInt64(days.count))]
                sum += d.pnl.micros; trades += d.trades
            }
            totals.append(sum)
            if trades > 0 { perTrade.append(sum / Int64(trades)) }
        }
        func cut(_ v: [Int64]) -> Interval {
            let s = v.sorted(), a = (1 - level) / 2
            let lo = s[max(0, min(s.count - 1, Int((a * Double(s.count)).rounded(.down))))]
            let hi = s[max(0, min(s.count - 1, Int(((1 - a) * Double(s.count)).rounded(.up)) - 1))]
            return Interval(low: Dollars(micros: lo), high: Dollars(micros: hi), level: level)
        }
        return (cut(totals), perTrade.isEmpty ? nil : cut(perTrade))
    }
}

/// The deflated Sharpe ratio (Bailey & López de Prado, 2014): the probability that a strategy's true Sharpe ratio is
/// above the best one expected from `trials` strategies with no skill, given the spread of the trials' Sharpe
/// ratios and the returns' skewness and kurtosis.
public enum DeflatedSharpe {
    /// Euler–Mascheroni.
    static let gamma = 0.577_215_664_901_532_9

    /// Mean, Sharpe ratio (mean / standard deviation, per observation), skewness and kurtosis (3 for a normal) of `x`.
    public static func moments(_ x: [Double]) -> (mean: Double, sharpe: Double, skew: Double, kurtosis: Double) {
        let n = Double(x.count)
        guard x.count > 1 else { return (x.first ?? 0, 0, 0, 3) }
        let m = x.reduce(0, +) / n
        let m2 = x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / n
        guard m2 > 0 else { return (m, 0, 0, 3) }
        let m3 = x.reduce(0) { $0 + pow($1 - m, 3) } / n, m4 = x.reduce(0) { $0 + pow($1 - m, 4) } / n
        return (m, m / m2.squareRoot(), m3 / pow(m2, 1.5), m4 / (m2 * m2))
    }

    /// The Sharpe ratio the best of `trials` skill-less strategies reaches by luck, when their Sharpe ratios vary by
    /// `variance`.
    public static func expectedMaximum(trials: Int, variance: Double) -> Double {
        guard trials > 1, variance > 0 else { return 0 }
        let n = Double(trials)
        return variance.squareRoot() * ((1 - gamma) * Normal.quantile(1 - 1 / n) + gamma * Normal.quantile(1 - 1 / (n * exp(1.0))))
    }

    /// The probability that the true Sharpe ratio beats `benchmark`, from `sharpe` measured over `observations`
    /// with `skew` and `kurtosis` (the probabilistic Sharpe ratio).
    public static func probability(sharpe: Double, benchmark: Double, observations: Int, skew: Double, kurtosis: Double) -> Double {
        guard observations > 1 else { return 0.5 }
        let spread = 1 - skew * sharpe + (kurtosis - 1) / 4 * sharpe * sharpe
        guard spread > 0 else { return sharpe > benchmark ? 1 : 0 }
        return Normal.cdf((sharpe - benchmark) * Double(observations - 1).squareRoot() / spread.squareRoot())
    }

    /// The deflated Sharpe ratio of `returns` (the chosen strategy's) when it was the best of `trialSharpes`.
    public static func deflated(returns: [Double], trialSharpes: [Double]) -> (sharpe: Double, benchmark: Double, probability: Double) {
        let r = moments(returns)
        let variance = Self.variance(trialSharpes)
        let sr0 = expectedMaximum(trials: trialSharpes.count, variance: variance)
        return (r.sharpe, sr0, probability(sharpe: r.sharpe, benchmark: sr0, observations: returns.count, skew: r.skew, kurtosis: r.kurtosis))
    }

    /// The sample variance (n − 1).
    public static func variance(_ x: [Double]) -> Double {
        guard x.count > 1 else { return 0 }
        let m = x.reduce(0, +) / Double(x.count)
        return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
    }
}

/// The standard normal distribution.
public enum Normal {
    /// P(Z ≤ x).
    public static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// The x with P(Z ≤ x) = p, by bisection (to 1e-12).
    public static func quantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        var lo = -40.0, hi = 40.0
        while hi - lo > 1e-12 {
            let mid = (lo + hi) / 2
            if cdf(mid) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }
}
