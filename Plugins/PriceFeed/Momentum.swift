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

/// The last price of each second, newest last, kept to a window. Pure and in memory; ``PriceStore`` persists it.
public struct PriceHistory: Sendable, Hashable {
    /// (second, price), strictly increasing seconds.
    public private(set) var points: [(second: Int64, price: Dollars)] = []

    public init() {}

    public static func == (a: PriceHistory, b: PriceHistory) -> Bool {
        a.points.elementsEqual(b.points) { $0.second == $1.second && $0.price == $1.price }
    }
    public func hash(into h: inout Hasher) { for p in points { h.combine(p.second); h.combine(p.price) } }

    /// Records `price` as the latest of `second`; earlier seconds than the newest are ignored. Returns whether
    /// the history changed.
    @discardableResult
    public mutating func record(second: Int64, price: Dollars) -> Bool {
        if let last = points.last {
            if second < last.second { return false }
            if second == last.second {
                if last.price == price { return false }
                points[points.count - 1].price = price
                return true
            }
        }
        points.append((second, price))
        return true
    }

    /// The newest price at or before `second`.
    public func price(atOrBefore second: Int64) -> Dollars? {
        var lo = 0, hi = points.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if points[mid].second <= second { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? points[lo - 1].price : nil
    }

    /// Drops every second before `second`.
    public mutating func prune(before second: Int64) {
        let keep = points.firstIndex { $0.second >= second } ?? points.count
        if keep > 0 { points.removeFirst(keep) }
    }
}
