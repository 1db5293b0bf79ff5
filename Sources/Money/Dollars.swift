/// An exact amount of US dollars, held as an integer number of millionths of a dollar.
///
/// Kalshi answers with up to six decimals (`"0.5600"`, `"12.345678"`), so a millionth is the smallest unit any
/// venue sends. Binary floating point never holds money here: parsing, arithmetic and formatting are all integer.
///
/// ```swift
/// let ask = Dollars("0.56")!          // 560_000 micros
/// let cost = ask * Contracts(whole: 10)  // $5.60
/// cost.description                    // "5.600000"
/// cost.formatted(decimals: 2)         // "5.60"
/// ```
public struct Dollars: Hashable, Comparable, Sendable, AdditiveArithmetic, CustomStringConvertible {
    /// Millionths of a dollar.
    public var micros: Int64

    /// Micros in one dollar.
    public static let scale: Int64 = 1_000_000

    public static let zero = Dollars(micros: 0)

    public init(micros: Int64) { self.micros = micros }

    /// Whole cents: `Dollars(cents: 56)` is $0.56.
    public init(cents: Int64) { micros = cents * 10_000 }

    /// Parses a decimal string such as `"0.5600"`, `"-1.25"` or `"12"`; nil for anything else or more than six
    /// decimals.
    public init?(_ text: some StringProtocol) {
        guard let v = FixedPoint.parse(text, decimals: 6) else { return nil }
        micros = v
    }

    /// Whole cents, rounded toward zero.
    public var cents: Int64 { micros / 10_000 }

    /// Six decimals, the most any venue sends: `"0.560000"`.
    public var description: String { FixedPoint.format(micros, decimals: 6, of: 6) }

    /// `decimals` places (at most six), rounding half away from zero: `formatted(decimals: 4)` gives `"0.5600"`.
    public func formatted(decimals: Int) -> String {
        precondition((0...6).contains(decimals), "decimals must be 0...6")
        return FixedPoint.format(FixedPoint.round(micros, dropping: 6 - decimals), decimals: decimals, of: decimals)
    }

    /// Rounded up to the next whole cent (fees are charged this way).
    public var roundedUpToCent: Dollars {
        let r = micros % 10_000
        return r > 0 ? Dollars(micros: micros - r + 10_000) : Dollars(micros: micros - r)
    }

    public static func < (a: Dollars, b: Dollars) -> Bool { a.micros < b.micros }
    public static func + (a: Dollars, b: Dollars) -> Dollars { Dollars(micros: a.micros + b.micros) }
    public static func - (a: Dollars, b: Dollars) -> Dollars { Dollars(micros: a.micros - b.micros) }
    public static prefix func - (a: Dollars) -> Dollars { Dollars(micros: -a.micros) }

    /// Price times a count of contracts, exact to the micro (the remainder below a micro is dropped toward zero,
    /// which cannot happen for prices on a whole-cent or 1/10000 grid).
    public static func * (price: Dollars, count: Contracts) -> Dollars {
        Dollars(micros: price.micros * count.centis / 100)
    }
}

extension Dollars: Codable {
    /// Decodes a decimal string (`"0.5600"`) as Kalshi sends it; a JSON number is refused, so that no binary
    /// float ever stands for money.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let v = Dollars(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a dollar amount: '\(text)'")
        }
        self = v
    }

    /// Encodes four decimals when that is exact (the precision Kalshi accepts in requests), else six.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(micros % 100 == 0 ? formatted(decimals: 4) : description)
    }
}
