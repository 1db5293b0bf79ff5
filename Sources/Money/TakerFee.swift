/// Kalshi's quadratic trading fee: `ceil_to_cent(0.07 × C × P × (1 − P))` per order, charged to the taker.
public enum TakerFee {
    /// The exact fee of `count` contracts at YES price `price`, in units of 10⁻¹⁶ dollar (a numerator to sum before
    /// rounding once per order).
    public static func exactNumerator(count: Contracts, price: Dollars, multiplierPercent: Int64 = 100) -> Int128 {
        // 0.07 × (centis/100) × (p/1e6) × (1 − p/1e6) dollars = 7·centis·p·(1e6−p)·mult/100 / 1e16 dollars.
        Int128(7) * Int128(count.centis) * Int128(price.micros) * Int128(Dollars.scale - price.micros)
            * Int128(multiplierPercent) / 100
    }

    /// Rounds a summed numerator up to the cent.
    public static func roundUpToCent(_ numerator: Int128) -> Dollars {
        let perCent = Int128(100_000_000_000_000)  // 10⁻¹⁶ dollar units in one cent = 10¹⁴
        let cents = (numerator + perCent - 1) / perCent
        return Dollars(cents: Int64(cents))
    }

    /// The taker fee of one order filled for `count` at `price`.
    public static func of(count: Contracts, price: Dollars) -> Dollars {
        roundUpToCent(exactNumerator(count: count, price: price))
    }
}
