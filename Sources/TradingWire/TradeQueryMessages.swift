public import BusWire

/// `cmd.trades.query`: a request for trades (event). The answer goes to `trade.reply.<requester>`; nothing but the
/// trade manager opens the trades database.
public struct TradeQuery: BusMessage, Hashable {
    public static let typeName = "cmd.trades.query"
    /// Who asks: the answer's topic.
    public var requester: String
    /// Echoed in the answer.
    public var requestID: String
    /// Trades entered at or after / before these Unix seconds.
    public var fromTs: Int64?
    public var toTs: Int64?
    /// Only these statuses, or all.
    public var statuses: [TradeStatus]?
    /// Only this strategy, or all.
    public var strategy: String?
    /// At most this many, newest first (default 500).
    public var limit: Int?
    public init(requester: String, requestID: String, fromTs: Int64? = nil, toTs: Int64? = nil, statuses: [TradeStatus]? = nil,
                strategy: String? = nil, limit: Int? = nil) {
        self.requester = requester; self.requestID = requestID; self.fromTs = fromTs; self.toTs = toTs
        self.statuses = statuses; self.strategy = strategy; self.limit = limit
    }
    enum CodingKeys: String, CodingKey {
        case requester, requestID = "request_id", fromTs = "from_ts", toTs = "to_ts", statuses, strategy, limit
    }
}

/// `trade.reply.<requester>`: the trades matching a ``TradeQuery``, newest first (event).
public struct TradeQueryResult: BusMessage, Hashable {
    public static let typeName = "trade.reply"
    public var requestID: String
    public var trades: [TradeRecord]
    /// True when more trades matched than were sent.
    public var truncated: Bool
    public init(requestID: String, trades: [TradeRecord], truncated: Bool) {
        self.requestID = requestID; self.trades = trades; self.truncated = truncated
    }
    enum CodingKeys: String, CodingKey { case requestID = "request_id", trades, truncated }
}
