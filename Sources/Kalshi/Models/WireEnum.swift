/// A string enumeration from Kalshi that keeps values it does not know (Kalshi adds values often).
///
/// Each concrete type (``MarketStatus``, ``BookSide``...) is a struct with a `rawValue` and named constants,
/// so decoding never fails on a new value and a `switch` still reads naturally.
public protocol WireEnum: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral where RawValue == String
{
    /// Wraps any raw value.
    init(rawValue: String)
}

extension WireEnum {
    /// Wraps a literal raw value.
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    /// Decodes the raw string, known or not.
    public init(from decoder: any Decoder) throws { self.init(rawValue: try decoder.singleValueContainer().decode(String.self)) }
    /// Encodes the raw string.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
    /// The raw string.
    public var description: String { rawValue }
}

/// A market's stored status (`active`, `finalized`...). Not the same words as the `status` list filter.
public struct MarketStatus: WireEnum {
    /// The string Kalshi sends.
    public var rawValue: String
    /// Wraps any raw value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Known values.
    public static let initialized: Self = "initialized", inactive: Self = "inactive", active: Self = "active"
    /// Known values.
    public static let closed: Self = "closed", determined: Self = "determined", disputed: Self = "disputed"
    /// Known values.
    public static let amended: Self = "amended", finalized: Self = "finalized"
}

/// The `status` filter of `GET /markets` and `GET /events` (`open`, `settled`...).
public struct MarketStatusFilter: WireEnum {
    /// The string Kalshi sends.
    public var rawValue: String
    /// Wraps any raw value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Known values.
    public static let unopened: Self = "unopened", open: Self = "open", paused: Self = "paused"
    /// Known values.
    public static let closed: Self = "closed", settled: Self = "settled"
}

/// How a market's strike is defined (`greater`, `between`...).
public struct StrikeType: WireEnum {
    /// The string Kalshi sends.
    public var rawValue: String
    /// Wraps any raw value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Known values.
    public static let greater: Self = "greater", greaterOrEqual: Self = "greater_or_equal", less: Self = "less"
    /// Known values.
    public static let lessOrEqual: Self = "less_or_equal", between: Self = "between", functional: Self = "functional"
    /// Known values.
    public static let custom: Self = "custom", structured: Self = "structured"
}

/// Which side of the YES book an order rests on: `bid` buys YES, `ask` sells YES.
public struct BookSide: WireEnum {
    /// The string Kalshi sends.
    public var rawValue: String
    /// Wraps any raw value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Known values.
    public static let bid: Self = "bid", ask: Self = "ask"
}

/// Which outcome a fill or order is about: `yes` or `no`.
public struct OutcomeSide: WireEnum {
    /// The string Kalshi sends.
    public var rawValue: String
    /// Wraps any raw value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Known values.
    public static let yes: Self = "yes", no: Self = "no"
}

/// An order's status: `resting`, `canceled` or `executed` (a partial fill is `resting` with a fill count).
public struct OrderStatus: WireEnum {
    /// The string Kalshi sends.
    public var rawValue: String
    /// Wraps any raw value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Known values.
    public static let resting: Self = "resting", canceled: Self = "canceled", executed: Self = "executed"
}

/// How long an order lives: `fill_or_kill`, `good_till_canceled`, `immediate_or_cancel`.
public struct TimeInForce: WireEnum {
    /// The string Kalshi sends.
    public var rawValue: String
    /// Wraps any raw value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Known values.
    public static let fillOrKill: Self = "fill_or_kill", goodTillCanceled: Self = "good_till_canceled"
    /// Known values.
    public static let immediateOrCancel: Self = "immediate_or_cancel"
}

/// What happens when an order would trade against the same user: `taker_at_cross` or `maker`.
public struct SelfTradePrevention: WireEnum {
    /// The string Kalshi sends.
    public var rawValue: String
    /// Wraps any raw value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Known values.
    public static let takerAtCross: Self = "taker_at_cross", maker: Self = "maker"
}

/// A market's result: `yes`, `no`, `scalar` or empty before determination.
public struct MarketResult: WireEnum {
    /// The string Kalshi sends.
    public var rawValue: String
    /// Wraps any raw value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Known values.
    public static let yes: Self = "yes", no: Self = "no", scalar: Self = "scalar", undetermined: Self = ""
}
