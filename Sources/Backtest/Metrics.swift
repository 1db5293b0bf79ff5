import Money

/// Exact arithmetic over PnL and exposure series.
public enum Metrics {
    /// The largest fall of `equity` from an earlier peak (the series starts from a peak of zero): ≥ 0.
    public static func maxDrawdown(_ equity: [Dollars]) -> Dollars {
        var peak = Dollars.zero, worst = Dollars.zero
        for e in equity {
            if e > peak { peak = e }
            if peak - e > worst { worst = peak - e }
        }
        return worst
    }

    /// Running sums of `pnl`.
    public static func cumulative(_ pnl: [Dollars]) -> [Dollars] {
        var sum = Dollars.zero
        return pnl.map { sum = sum + $0; return sum }
    }

    /// Exposure figures of a per-minute series of held entry cost.
    public struct Exposure: Codable, Sendable, Hashable {
        /// The most held at once.
        public var maximum: Dollars
        /// The mean over all minutes, rounded toward zero to the micro.
        public var mean: Dollars
        /// Minutes with something held, and all minutes.
        public var minutesHeld: Int, minutes: Int

        enum CodingKeys: String, CodingKey { case maximum, mean, minutesHeld = "minutes_held", minutes }
    }

    /// Maximum, mean and time in the market of `held`.
    public static func exposure(_ held: [Dollars]) -> Exposure {
        let total = held.reduce(Int128(0)) { $0 + Int128($1.micros) }
        return Exposure(maximum: held.max() ?? .zero, mean: Dollars(micros: held.isEmpty ? 0 : Int64(total / Int128(held.count))),
                        minutesHeld: held.count { $0 > .zero }, minutes: held.count)
    }
}
