public import BusWire
public import Money

/// Where a trade is in its life.
///
/// `pending → open → closing → closed`; `open → expired → settled`; `pending → rejected` or `error`, kept for the
/// record. `closed`, `settled`, `rejected` and `error` (the market ended while the entry's outcome was unknown; the
/// reason is in the note, and a late answer from the venue still brings the trade back) are final.
public enum TradeStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case pending, open, closing, closed, expired, settled, rejected, error
    /// Nothing more will happen to the trade: it leaves the open list.
    public var isFinal: Bool { self == .closed || self == .settled || self == .rejected || self == .error }
    /// The trade holds (or may hold) contracts at the venue.
    public var holdsPosition: Bool { self == .open || self == .closing || self == .expired || self == .pending }
}

/// The result of a finished trade.
public enum TradeResult: String, Codable, Sendable, Hashable { case win, loss, draw }

/// One trade as the trade manager keeps it. Prices and PnL are exact; PnL counts every contract.
public struct TradeRecord: Codable, Sendable, Hashable {
    /// The entry intent's key.
    public var id: String
    public var status: TradeStatus
    public var ticker: String
    public var eventTicker: String
    public var strike: Dollars?
    public var side: TradeSide
    /// Contracts asked for and contracts held.
    public var requestedCount: Contracts
    public var count: Contracts
    /// Average entry price per contract and the entry fees.
    public var entryPrice: Dollars?
    public var entryFees: Dollars
    public var entryOrderID: String?
    /// The close: the opposite side bought (price per contract), or the settlement value per contract.
    public var closeOrderID: String?
    public var closePrice: Dollars?
    public var closeFees: Dollars
    /// What one contract of `side` paid at the end: `1 - closePrice` for a close, $1 or $0 at settlement.
    public var exitValue: Dollars?
    /// (exit value − entry price) × count − every fee.
    public var pnl: Dollars?
    public var result: TradeResult?
    public var strategy: String
    /// `manual`, `auto`.
    public var entryMethod: String
    /// `manual`, `auto-stop`, `ripcord`, `expired`.
    public var closeMethod: String?
    /// The model's P(win) and edge at entry; BTC at entry and at the close; momentum at entry.
    public var probability: Double?
    public var edge: Dollars?
    public var btcAtEntry: Dollars?
    public var btcAtClose: Dollars?
    public var momentum: Int?
    /// The event's close, Unix seconds.
    public var closeTs: Int64?
    /// Unix seconds of entry (the intent) and of the final state.
    public var enteredTs: Int64
    public var finishedTs: Int64?
    /// Why it is `rejected` or `error`.
    public var note: String?
    public var updatedTime: String

    /// A trade.
    public init(id: String, status: TradeStatus, ticker: String, eventTicker: String, strike: Dollars?, side: TradeSide,
                requestedCount: Contracts, count: Contracts, entryPrice: Dollars?, entryFees: Dollars, entryOrderID: String?,
                closeOrderID: String?, closePrice: Dollars?, closeFees: Dollars, exitValue: Dollars?, pnl: Dollars?,
                result: TradeResult?, strategy: String, entryMethod: String, closeMethod: String?, probability: Double?,
                edge: Dollars?, btcAtEntry: Dollars?, btcAtClose: Dollars?, momentum: Int?, closeTs: Int64?, enteredTs: Int64,
                finishedTs: Int64?, note: String?, updatedTime: String) {
        self.id = id; self.status = status; self.ticker = ticker; self.eventTicker = eventTicker; self.strike = strike
        self.side = side; self.requestedCount = requestedCount; self.count = count; self.entryPrice = entryPrice
        self.entryFees = entryFees; self.entryOrderID = entryOrderID; self.closeOrderID = closeOrderID
        self.closePrice = closePrice; self.closeFees = closeFees; self.exitValue = exitValue; self.pnl = pnl
        self.result = result; self.strategy = strategy; self.entryMethod = entryMethod; self.closeMethod = closeMethod
        self.probability = probability; self.edge = edge; self.btcAtEntry = btcAtEntry; self.btcAtClose = btcAtClose
        self.momentum = momentum; self.closeTs = closeTs; self.enteredTs = enteredTs; self.finishedTs = finishedTs
        self.note = note; self.updatedTime = updatedTime
    }

    enum CodingKeys: String, CodingKey {
        case id, status, ticker, eventTicker = "event_ticker", strike, side, requestedCount = "requested_count", count
        case entryPrice = "entry_price", entryFees = "entry_fees", entryOrderID = "entry_order_id"
        case closeOrderID = "close_order_id", closePrice = "close_price", closeFees = "close_fees", exitValue = "exit_value"
        case pnl, result, strategy, entryMethod = "entry_method", closeMethod = "close_method", probability, edge
        case btcAtEntry = "btc_at_entry", btcAtClose = "btc_at_close", momentum, closeTs = "close_ts"
        case enteredTs = "entered_ts", finishedTs = "finished_ts", note, updatedTime = "updated_time"
    }
}

/// `trade.state.open`: every trade that is not final, so a late joiner knows what is in flight (state).
public struct OpenTrades: BusMessage, Hashable {
    public static let typeName = "trade.state.open"
    public var trades: [TradeRecord]
    public var time: String
    public init(trades: [TradeRecord], time: String) { self.trades = trades; self.time = time }
}

/// `trade.update`: one trade right after a transition (event).
public struct TradeUpdate: BusMessage, Hashable {
    public static let typeName = "trade.update"
    /// The status before, nil for a new trade.
    public var previous: TradeStatus?
    public var trade: TradeRecord
    public init(previous: TradeStatus?, trade: TradeRecord) { self.previous = previous; self.trade = trade }
}

/// `trade.stats.summary`: statistics over finished trades (state).
public struct TradeStatistics: BusMessage, Hashable {
    public static let typeName = "trade.stats.summary"
    /// One group of trades.
    public struct Bucket: Codable, Sendable, Hashable {
        /// The group: a day (`2026-12-01`, US Eastern), an hour of day (`14`), a strategy, or `all`.
        public var key: String
        public var trades: Int
        public var wins: Int
        public var losses: Int
        public var draws: Int
        /// wins / (wins + losses), as a decimal string with four places; nil without wins or losses.
        public var winRate: String?
        public var pnl: Dollars
        public var fees: Dollars
        public init(key: String, trades: Int, wins: Int, losses: Int, draws: Int, winRate: String?, pnl: Dollars, fees: Dollars) {
            self.key = key; self.trades = trades; self.wins = wins; self.losses = losses; self.draws = draws
            self.winRate = winRate; self.pnl = pnl; self.fees = fees
        }
        enum CodingKeys: String, CodingKey { case key, trades, wins, losses, draws, winRate = "win_rate", pnl, fees }
    }
    public var overall: Bucket
    public var byDay: [Bucket]
    public var byHour: [Bucket]
    public var byStrategy: [Bucket]
    public var time: String

    /// Statistics.
    public init(overall: Bucket, byDay: [Bucket], byHour: [Bucket], byStrategy: [Bucket], time: String) {
        self.overall = overall; self.byDay = byDay; self.byHour = byHour; self.byStrategy = byStrategy; self.time = time
    }
    enum CodingKeys: String, CodingKey { case overall, byDay = "by_day", byHour = "by_hour", byStrategy = "by_strategy", time }
}

/// `cmd.trades.expire`: run the expiration check now, as if the hour had just turned (event).
public struct ExpireTradesNow: BusMessage, Hashable {
    public static let typeName = "cmd.trades.expire"
    /// Who asked (`cli`, `web`).
    public var requester: String
    public var time: String
    public init(requester: String, time: String) { self.requester = requester; self.time = time }
}
