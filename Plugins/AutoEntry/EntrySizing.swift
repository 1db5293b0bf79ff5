import Money
import TradingWire

/// How many contracts an entry buys: `fixed` (`position_size` × `multiplier`) or `kelly`.
public enum EntrySizingRule: String, Sendable, Hashable, CaseIterable {
    /// The configured count every time.
    case fixed
    /// A fraction of the Kelly stake from the model's probability and the all-in price.
    case kelly
}

/// The sizing and fee arithmetic of an entry, pure.
public enum EntrySizing {
    /// What buying `count` at `limit` is worth to a model that values a contract at `fair`, after Kalshi's taker fee:
    /// `fair × count − limit × count − fee`, exact.
    public static func gainAfterFee(fair: Dollars, limit: Dollars, count: Contracts) -> Dollars {
        fair * count - limit * count - TakerFee.of(count: count, price: limit)
    }

    /// Whether the gain after the fee is at least `margin` per contract.
    public static func clears(fair: Dollars, limit: Dollars, count: Contracts, margin: Dollars) -> Bool {
        count > .zero && gainAfterFee(fair: fair, limit: limit, count: count) >= margin * count
    }

    /// Whole contracts of a `fraction` Kelly stake: a contract costs k = `limit` + its unrounded taker fee
    /// (0.07 × limit × (1 − limit)) and pays $1, so the Kelly share of `bankroll` is (p − k) / (1 − k); the stake is
    /// `fraction` of that, bought at k each, rounded down. Zero when the model sees no edge at k.
    public static func kellyContracts(probability p: Double, limit: Dollars, bankroll: Dollars, fraction: Double) -> Contracts {
        let c = Double(limit.micros) / 1e6
        let k = c + 0.07 * c * (1 - c)
        guard k > 0, k < 1, p > k, bankroll > .zero, fraction > 0 else { return .zero }
        let share = (p - k) / (1 - k) * fraction
        let stake = Double(bankroll.micros) / 1e6 * share
        return Contracts(whole: min(10_000, Int64((stake / k).rounded(.down))))
    }

    /// The most whole contracts at `limit` that fit in `room` dollars (never negative).
    public static func fitting(_ room: Dollars, at limit: Dollars) -> Contracts {
        guard limit > .zero, room > .zero else { return .zero }
        return Contracts(whole: room.micros / limit.micros)
    }
}

extension StrikeRow {
    /// The model's fair value of `side`.
    public func fair(_ side: TradeSide) -> Dollars { side == .yes ? fairYes : fairNo }
}
