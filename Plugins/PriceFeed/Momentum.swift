import Money

/// REC.IO's weighted momentum over a 1-second price history. Pure: give it the history, read the figure.
public enum Momentum {
    /// (lag in minutes, weight).
    public static let lags: [(minutes: Int64, weight: Double)] = [(1, 0.30), (2, 0.25), (3, 0.20), (4, 0.15), (15, 0.05), (30, 0.05)]
    /// Seconds of history the longest lag needs (a minute more than 30, for the at-or-before lookup).
    public static let lookback: Int64 = 31 * 60

    /// The figure for `price` at `second`, from `history` (the newest price at or before a given second).
    public static func compute(price: Dollars, second: Int64, history: (Int64) -> Dollars?) -> (score: Double?, deltas: [String: Double]) {
        var deltas: [String: Double] = [:]
        var weighted = 0.0, weights = 0.0
        for lag in lags {
            guard let past = history(second - lag.minutes * 60), past.micros > 0 else { continue }
            let change = Double(price.micros - past.micros) / Double(past.micros) * 100
            deltas["\(lag.minutes)m"] = change
            weighted += lag.weight * change
            weights += lag.weight
        }
        return (weights > 0 ? weighted / weights : nil, deltas)
    }

    /// `value` with six decimals, as a decimal string (`-0.012346`).
    public static func decimal(_ value: Double) -> String {
        let micros = Int64((value * 1_000_000).rounded())
        let sign = micros < 0 ? "-" : ""
        let m = micros.magnitude
        let frac = String(m % 1_000_000)
        return "\(sign)\(m / 1_000_000).\(String(repeating: "0", count: 6 - frac.count))\(frac)"
    }
}
