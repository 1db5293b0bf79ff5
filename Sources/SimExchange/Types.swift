import Money

/// The side of the YES book an order rests on: `bid` buys YES, `ask` sells YES (Kalshi V2 convention).
public enum BookSide: String, Sendable, Codable, Hashable {
    case bid, ask
    /// The other side.
    public var opposite: BookSide { self == .bid ? .ask : .bid }
}

/// A contract's outcome leg.
public enum OutcomeSide: String, Sendable, Codable, Hashable {
    case yes, no
}

/// How long an order may rest.
public enum TimeInForce: String, Sendable, Codable, Hashable {
    case fillOrKill = "fill_or_kill"
    case immediateOrCancel = "immediate_or_cancel"
    case goodTillCanceled = "good_till_canceled"
}

/// What happens when an order would trade with its owner's own resting order.
public enum SelfTradePrevention: String, Sendable, Codable, Hashable {
    /// Cancel the incoming order at the cross (earlier fills stand).
    case takerAtCross = "taker_at_cross"
    /// Cancel the resting own order and keep matching.
    case maker
}

/// An order's state, as Kalshi reports it (partial fills stay `resting`).
public enum OrderStatus: String, Sendable, Codable, Hashable {
    case resting, canceled, executed
}

/// A market's lifecycle state.
public enum MarketStatus: String, Sendable, Codable, Hashable {
    case initialized, active, closed, determined, finalized
}

/// One dollar, the payout of a winning contract.
public let oneDollar = Dollars(micros: Dollars.scale)

/// Milliseconds since the Unix epoch on the exchange's (simulated) clock.
public typealias Millis = Int64
