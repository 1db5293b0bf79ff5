public import Money
public import TradingWire

/// Exact money arithmetic for trades: averages, pro-rata splits, PnL from totals.
public enum TradeMath {
    /// One contract's payout.
    public static let dollar = Dollars(micros: Dollars.scale)

    /// `cost / count` per contract, rounded half up to the micro; nil for no contracts.
    public static func average(_ cost: Dollars, over count: Contracts) -> Dollars? {
        guard count.centis > 0 else { return nil }
        let num = Int128(cost.micros) * 100, den = Int128(count.centis)
        let q = num >= 0 ? (2 * num + den) / (2 * den) : -((2 * -num + den) / (2 * den))
        return Dollars(micros: Int64(q))
    }

    /// The share of `total` that `part` of `whole` contracts carries, rounded toward zero; the remainder stays
    /// with the rest, so the two shares always add up to `total` exactly.
    public static func share(of total: Dollars, part: Contracts, whole: Contracts) -> Dollars {
        guard whole.centis > 0 else { return .zero }
        return Dollars(micros: Int64(Int128(total.micros) * Int128(part.centis) / Int128(whole.centis)))
    }

    /// (exit value − entry price) × count − every fee, computed from the exact totals:
    /// `exit × count − entry cost − fees`.
    public static func pnl(exitTotal: Dollars, entryCost: Dollars, fees: Dollars) -> Dollars { exitTotal - entryCost - fees }

    /// Win when PnL is above zero, loss below, draw at exactly zero.
    public static func result(of pnl: Dollars) -> TradeResult {
        pnl > .zero ? .win : pnl < .zero ? .loss : .draw
    }

    /// `wins / (wins + losses)` with four decimals (`0.9080`), rounded half up; nil without wins or losses.
    public static func winRate(wins: Int, losses: Int) -> String? {
        let n = wins + losses
        guard n > 0 else { return nil }
        let x = (wins * 20_000 + n) / (2 * n)  // ten-thousandths
        let frac = String(x % 10_000)
        return "\(x / 10_000)." + String(repeating: "0", count: 4 - frac.count) + frac
    }
}
