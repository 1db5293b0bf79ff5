public import BusWire
public import Money

/// The trade supervisor's live view of one trade that is not final.
public struct SupervisedTrade: Codable, Sendable, Hashable {
    /// The trade's id (its entry intent's key).
    public var tradeID: String
    /// The trade's status in `trade.state.open`.
    public var status: TradeStatus
    /// The market.
    public var ticker: String
    /// The event.
    public var eventTicker: String
    /// The side held.
    public var side: TradeSide
    /// Contracts held.
    public var count: Contracts
    /// Average entry price per contract.
    public var entryPrice: Dollars?
    /// The model's P(win) of the trade's side now; nil without a strike-table row for the market.
    public var winProbability: Double?
    /// What closing would cost per contract: the opposite side's ask; nil when that book side is empty.
    public var closePrice: Dollars?
    /// `(1 − close price − entry price) × count − entry fees − the estimated taker fee of the close`, for the whole
    /// position; nil without an entry price or a close price.
    public var pnl: Dollars?
    /// Seconds since the entry.
    public var secondsSinceEntry: Int64
    /// BTC minus strike, sign flipped for NO: positive means on the winning side; nil without a price.
    public var distance: Dollars?
    /// Seconds to the event's close, when a strike table was seen.
    public var ttcSeconds: Int64?
    /// Since when (RFC 3339) the win probability has been below the auto-stop threshold, if it is.
    public var belowThresholdSince: String?
    /// The close in flight: `auto-stop` or `ripcord`, and its key.
    public var closeMethod: String?
    /// The key of the close in flight.
    public var closeKey: String?

    /// A view.
    public init(tradeID: String, status: TradeStatus, ticker: String, eventTicker: String, side: TradeSide, count: Contracts,
                entryPrice: Dollars?, winProbability: Double?, closePrice: Dollars?, pnl: Dollars?, secondsSinceEntry: Int64,
                distance: Dollars?, ttcSeconds: Int64?, belowThresholdSince: String?, closeMethod: String?, closeKey: String?) {
        self.tradeID = tradeID; self.status = status; self.ticker = ticker; self.eventTicker = eventTicker; self.side = side
        self.count = count; self.entryPrice = entryPrice; self.winProbability = winProbability; self.closePrice = closePrice
        self.pnl = pnl; self.secondsSinceEntry = secondsSinceEntry; self.distance = distance; self.ttcSeconds = ttcSeconds
        self.belowThresholdSince = belowThresholdSince; self.closeMethod = closeMethod; self.closeKey = closeKey
    }

    enum CodingKeys: String, CodingKey {
        case tradeID = "trade_id", status, ticker, eventTicker = "event_ticker", side, count, entryPrice = "entry_price"
        case winProbability = "win_probability", closePrice = "close_price", pnl, secondsSinceEntry = "seconds_since_entry"
        case distance, ttcSeconds = "ttc_seconds", belowThresholdSince = "below_threshold_since"
        case closeMethod = "close_method", closeKey = "close_key"
    }
}

/// `trade.state.supervised`: every trade the supervisor watches, with live P(win), close price and PnL (state).
public struct SupervisedTrades: BusMessage, Hashable {
    /// The envelope type.
    public static let typeName = "trade.state.supervised"
    /// Every trade not final, as the trade manager lists them.
    public var trades: [SupervisedTrade]
    /// Whether auto-stop and the ripcord are switched on.
    public var autoStop: Bool
    /// Whether the ripcord is switched on.
    public var ripcord: Bool
    /// The last momentum seen (× 100).
    public var momentum: Int?
    /// When computed (the bus clock), RFC 3339 UTC.
    public var time: String

    /// A snapshot.
    public init(trades: [SupervisedTrade], autoStop: Bool, ripcord: Bool, momentum: Int?, time: String) {
        self.trades = trades; self.autoStop = autoStop; self.ripcord = ripcord; self.momentum = momentum; self.time = time
    }

    enum CodingKeys: String, CodingKey { case trades, autoStop = "auto_stop", ripcord, momentum, time }
}
