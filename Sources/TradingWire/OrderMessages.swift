public import BusWire
public import Money

/// Why an intent exists: to open a trade or to close one.
public enum OrderPurpose: String, Codable, Sendable, Hashable { case entry, close }

/// How long a marketable limit order may rest: never. IOC fills what it can at or better than the cap; FOK fills
/// all or nothing.
public enum IntentTimeInForce: String, Codable, Sendable, Hashable {
    case immediateOrCancel = "ioc", fillOrKill = "fok"
}

/// `order.intent.<source>`: a request to buy `count` contracts of `side` at no more than `limit_price` (event).
///
/// The system never sells: a close buys the opposite side of the trade it closes. The sender repeats an intent,
/// with the same `key`, until an ``OrderEvent`` with that key arrives; the executor turns the key into Kalshi's
/// `client_order_id`, so a repeat never becomes a second order.
public struct OrderIntent: BusMessage, Hashable {
    public static let typeName = "order.intent"
    /// The idempotency key: at most 64 characters of `[A-Za-z0-9_-]`. For an entry it is also the trade's id.
    public var key: String
    /// The sending plugin (`auto-entry`, `trade-supervisor`, `web`, `cli`): answers go to `order.event.<source>`.
    public var source: String
    public var purpose: OrderPurpose
    /// For a close: the id of the trade being closed.
    public var tradeID: String?
    public var ticker: String
    public var eventTicker: String
    /// The side bought.
    public var side: TradeSide
    /// Whole or fractional contracts (hundredths).
    public var count: Contracts
    /// The price cap per contract: the order is a limit at this price, never a market order.
    public var limitPrice: Dollars
    public var timeInForce: IntentTimeInForce
    /// The strike, for the record.
    public var strike: Dollars?
    /// The model's P(win) of `side` when the intent was made.
    public var probability: Double?
    /// Fair value minus ask when the intent was made.
    public var edge: Dollars?
    /// BTC price and momentum when the intent was made.
    public var btcPrice: Dollars?
    public var momentum: Int?
    /// A strategy label (`Hourly HTC`).
    public var strategy: String
    /// `manual`, `auto`, `auto-stop`, `ripcord`.
    public var method: String
    /// Free text: why this intent was made.
    public var reason: String?
    /// When it was first made, RFC 3339 UTC; a repeat keeps the original time.
    public var createdTime: String
    /// Unix seconds after which the executor must not act on it (a stale intent is rejected).
    public var expiresTs: Int64?

    /// An intent.
    public init(key: String, source: String, purpose: OrderPurpose, tradeID: String? = nil, ticker: String, eventTicker: String,
                side: TradeSide, count: Contracts, limitPrice: Dollars, timeInForce: IntentTimeInForce = .immediateOrCancel,
                strike: Dollars? = nil, probability: Double? = nil, edge: Dollars? = nil, btcPrice: Dollars? = nil,
                momentum: Int? = nil, strategy: String = "Hourly HTC", method: String, reason: String? = nil,
                createdTime: String, expiresTs: Int64? = nil) {
        self.key = key; self.source = source; self.purpose = purpose; self.tradeID = tradeID; self.ticker = ticker
        self.eventTicker = eventTicker; self.side = side; self.count = count; self.limitPrice = limitPrice
        self.timeInForce = timeInForce; self.strike = strike; self.probability = probability; self.edge = edge
        self.btcPrice = btcPrice; self.momentum = momentum; self.strategy = strategy; self.method = method
        self.reason = reason; self.createdTime = createdTime; self.expiresTs = expiresTs
    }

    enum CodingKeys: String, CodingKey {
        case key, source, purpose, tradeID = "trade_id", ticker, eventTicker = "event_ticker", side, count
        case limitPrice = "limit_price", timeInForce = "time_in_force", strike, probability, edge, btcPrice = "btc_price"
        case momentum, strategy, method, reason, createdTime = "created_time", expiresTs = "expires_ts"
    }
}

/// What became of an intent.
public enum OrderOutcome: String, Codable, Sendable, Hashable {
    /// The venue took the order; fills may follow.
    case accepted
    /// Every contract filled.
    case filled
    /// Some filled; the rest was cancelled (IOC).
    case partiallyFilled = "partially_filled"
    /// Nothing filled; the order is gone (IOC/FoK with no liquidity at the cap).
    case cancelled
    /// The executor's risk checks or the venue refused it; nothing reached the market.
    case rejected
    /// The outcome is unknown after retries (the venue did not answer); the executor keeps checking by client order id.
    case error
}

/// `order.event.<source>`: the executor's answer to an intent, sent again for every repeat of its key (event).
public struct OrderEvent: BusMessage, Hashable {
    public static let typeName = "order.event"
    /// The intent's key.
    public var key: String
    /// The intent's source.
    public var source: String
    public var purpose: OrderPurpose
    public var tradeID: String?
    public var outcome: OrderOutcome
    /// Kalshi's order id, once known.
    public var orderID: String?
    /// The `client_order_id` sent to the venue (derived from the key).
    public var clientOrderID: String
    public var ticker: String
    public var eventTicker: String
    public var side: TradeSide
    public var requestedCount: Contracts
    public var filledCount: Contracts
    /// Average price per filled contract.
    public var averagePrice: Dollars?
    /// Fees paid on the fills, in total.
    public var fees: Dollars?
    /// The cap the order carried.
    public var limitPrice: Dollars
    /// Why it was rejected or failed: a risk rule or the venue's message.
    public var reason: String?
    /// `sim`, `paper`, `demo`, `prod`.
    public var mode: String
    /// True when this answer comes from the journal for a repeated key (no second order was sent).
    public var replayed: Bool
    public var time: String

    /// An answer.
    public init(key: String, source: String, purpose: OrderPurpose, tradeID: String?, outcome: OrderOutcome, orderID: String?,
                clientOrderID: String, ticker: String, eventTicker: String, side: TradeSide, requestedCount: Contracts,
                filledCount: Contracts, averagePrice: Dollars?, fees: Dollars?, limitPrice: Dollars, reason: String?,
                mode: String, replayed: Bool, time: String) {
        self.key = key; self.source = source; self.purpose = purpose; self.tradeID = tradeID; self.outcome = outcome
        self.orderID = orderID; self.clientOrderID = clientOrderID; self.ticker = ticker; self.eventTicker = eventTicker
        self.side = side; self.requestedCount = requestedCount; self.filledCount = filledCount
        self.averagePrice = averagePrice; self.fees = fees; self.limitPrice = limitPrice; self.reason = reason
        self.mode = mode; self.replayed = replayed; self.time = time
    }

    enum CodingKeys: String, CodingKey {
        case key, source, purpose, tradeID = "trade_id", outcome, orderID = "order_id", clientOrderID = "client_order_id"
        case ticker, eventTicker = "event_ticker", side, requestedCount = "requested_count", filledCount = "filled_count"
        case averagePrice = "average_price", fees, limitPrice = "limit_price", reason, mode, replayed, time
    }
}

/// The executor's trading state.
public enum TradingMode: String, Codable, Sendable, Hashable, Comparable {
    /// Entries and closes allowed.
    case active = "ACTIVE"
    /// Closes only.
    case reducing = "REDUCING"
    /// No entries; closes still allowed unless the halt is hard.
    case halted = "HALTED"

    private var rank: Int { switch self { case .active: 0; case .reducing: 1; case .halted: 2 } }
    public static func < (a: TradingMode, b: TradingMode) -> Bool { a.rank < b.rank }
}

/// `sys.control.trading`: place or release a hold on trading (event).
///
/// Each hold belongs to a `holder` (`user`, `failure-detector.btc-stale`, `account-sync.reconciliation`); the
/// executor trades at the most restrictive of the holds in place. `resume` releases the holder's own hold; a
/// `resume` with holder `*` releases them all (the user's override).
public struct TradingCommand: BusMessage, Hashable {
    public static let typeName = "sys.control.trading"
    public enum Action: String, Codable, Sendable, Hashable { case reduce, halt, haltHard = "halt_hard", resume }
    public var action: Action
    public var holder: String
    public var reason: String
    public var time: String

    /// A command.
    public init(action: Action, holder: String, reason: String, time: String) {
        self.action = action; self.holder = holder; self.reason = reason; self.time = time
    }
}

/// `sys.control.state.trading`: the executor's effective trading state and the holds behind it (state).
public struct TradingStatus: BusMessage, Hashable {
    public static let typeName = "sys.control.state.trading"
    /// One hold in place.
    public struct Hold: Codable, Sendable, Hashable {
        public var holder: String
        public var mode: TradingMode
        /// A hard halt also stops closes.
        public var hard: Bool
        public var reason: String
        public var since: String
        public init(holder: String, mode: TradingMode, hard: Bool, reason: String, since: String) {
            self.holder = holder; self.mode = mode; self.hard = hard; self.reason = reason; self.since = since
        }
    }
    public var mode: TradingMode
    /// True when closes are stopped too.
    public var hard: Bool
    public var holds: [Hold]
    /// `sim`, `paper`, `demo`, `prod`.
    public var venueMode: String
    public var time: String

    /// A status.
    public init(mode: TradingMode, hard: Bool, holds: [Hold], venueMode: String, time: String) {
        self.mode = mode; self.hard = hard; self.holds = holds; self.venueMode = venueMode; self.time = time
    }

    enum CodingKeys: String, CodingKey { case mode, hard, holds, venueMode = "venue_mode", time }
}
