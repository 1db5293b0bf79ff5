public import BusWire

/// `cmd.trades.query`: a request for trades (event). The answer goes to `trade.reply.<requester>`; nothing but the
/// trade manager opens the trades database. Every filter narrows: trades entered in the time range and the US Eastern
/// days given, with one of the statuses and results, of the strategy. Answers come a page at a time, newest first:
/// ask again with the answer's `next_cursor` for the next page.
public struct TradeQuery: BusMessage, Hashable {
    public static let typeName = "cmd.trades.query"
    /// Who asks: the answer's topic (no dots).
    public var requester: String
    /// Echoed in the answer.
    public var requestID: String
    /// Trades entered at or after / before these Unix seconds.
    public var fromTs: Int64?
    public var toTs: Int64?
    /// Trades entered on or after / on or before these US Eastern days (`YYYY-MM-DD`, both inclusive).
    public var fromDay: String?
    public var toDay: String?
    /// Only these statuses, or all.
    public var statuses: [TradeStatus]?
    /// Only these results (`win`, `loss`, `draw`), or all; a trade without a result matches none.
    public var results: [TradeResult]?
    /// Only this strategy, or all.
    public var strategy: String?
    /// The page size: at most this many trades (default 500, at most 1,000). A page may hold fewer, to keep the
    /// answer well under the bus's message size.
    public var limit: Int?
    /// Where the page starts: the `next_cursor` of the previous answer; nil for the first page.
    public var cursor: String?

    public init(requester: String, requestID: String, fromTs: Int64? = nil, toTs: Int64? = nil, fromDay: String? = nil,
                toDay: String? = nil, statuses: [TradeStatus]? = nil, results: [TradeResult]? = nil, strategy: String? = nil,
                limit: Int? = nil, cursor: String? = nil) {
        self.requester = requester; self.requestID = requestID; self.fromTs = fromTs; self.toTs = toTs
        self.fromDay = fromDay; self.toDay = toDay; self.statuses = statuses; self.results = results
        self.strategy = strategy; self.limit = limit; self.cursor = cursor
    }
    enum CodingKeys: String, CodingKey {
        case requester, requestID = "request_id", fromTs = "from_ts", toTs = "to_ts", fromDay = "from_day", toDay = "to_day"
        case statuses, results, strategy, limit, cursor
    }
}

/// `trade.reply.<requester>`: one page of the trades matching a ``TradeQuery``, newest first, with the totals of
/// every trade that matches (event).
public struct TradeQueryResult: BusMessage, Hashable {
    public static let typeName = "trade.reply"
    public var requestID: String
    public var trades: [TradeRecord]
    /// True when more trades matched than this page holds.
    public var truncated: Bool
    /// The cursor of the next page when `truncated`.
    public var nextCursor: String?
    /// Totals over every matching trade, not only this page (key `query`; win rate as in ``TradeStatistics``).
    public var summary: TradeStatistics.Bucket?
    /// Why the query was not answered (a bad filter or cursor, the database unreadable); then `trades` is empty.
    public var error: String?

    public init(requestID: String, trades: [TradeRecord], truncated: Bool, nextCursor: String? = nil,
                summary: TradeStatistics.Bucket? = nil, error: String? = nil) {
        self.requestID = requestID; self.trades = trades; self.truncated = truncated; self.nextCursor = nextCursor
        self.summary = summary; self.error = error
    }
    enum CodingKeys: String, CodingKey {
        case requestID = "request_id", trades, truncated, nextCursor = "next_cursor", summary, error
    }
}
