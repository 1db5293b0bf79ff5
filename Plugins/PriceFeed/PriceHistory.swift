import Money

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
