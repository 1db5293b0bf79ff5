/// An exact count of contracts, held as an integer number of hundredths (Kalshi's `*_fp` counts have two decimals
/// and fractional contracts exist on some markets).
public struct Contracts: Hashable, Comparable, Sendable, AdditiveArithmetic, CustomStringConvertible {
    /// Hundredths of a contract.
    public var centis: Int64

    public static let zero = Contracts(centis: 0)

    public init(centis: Int64) { self.centis = centis }

    /// A whole number of contracts.
    public init(whole: Int64) { centis = whole * 100 }

    /// Parses `"10"`, `"10.00"` or `"0.5"`; nil for anything else or more than two decimals.
    public init?(_ text: some StringProtocol) {
        guard let v = FixedPoint.parse(text, decimals: 2) else { return nil }
        centis = v
    }

    /// Whole contracts, rounded toward zero.
    public var whole: Int64 { centis / 100 }

    /// Two decimals, as Kalshi writes counts: `"10.00"`.
    public var description: String { FixedPoint.format(centis, decimals: 2, of: 2) }

    public static func < (a: Contracts, b: Contracts) -> Bool { a.centis < b.centis }
    public static func + (a: Contracts, b: Contracts) -> Contracts { Contracts(centis: a.centis + b.centis) }
    public static func - (a: Contracts, b: Contracts) -> Contracts { Contracts(centis: a.centis - b.centis) }
    public static prefix func - (a: Contracts) -> Contracts { Contracts(centis: -a.centis) }
}

extension Contracts: Codable {
    /// Decodes a decimal string (`"10.00"`); JSON numbers are refused.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let v = Contracts(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a contract count: '\(text)'")
        }
        self = v
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
