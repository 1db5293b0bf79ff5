public import BusWire
public import Money

/// `account.balance`: cash at the venue (state).
public struct AccountBalance: BusMessage, Hashable {
    public static let typeName = "account.balance"
    public var balance: Dollars
    /// The value of open positions, when the venue says.
    public var portfolioValue: Dollars?
    public var mode: String
    public var time: String
    public init(balance: Dollars, portfolioValue: Dollars?, mode: String, time: String) {
        self.balance = balance; self.portfolioValue = portfolioValue; self.mode = mode; self.time = time
    }
    enum CodingKeys: String, CodingKey { case balance, portfolioValue = "portfolio_value", mode, time }
}

/// One market position at the venue. `position` is signed like Kalshi's: positive YES, negative NO.
public struct VenuePosition: Codable, Sendable, Hashable {
    public var ticker: String
    public var position: Contracts
    public var marketExposure: Dollars?
    public var realizedPnl: Dollars?
    public var feesPaid: Dollars?
    public init(ticker: String, position: Contracts, marketExposure: Dollars?, realizedPnl: Dollars?, feesPaid: Dollars?) {
        self.ticker = ticker; self.position = position; self.marketExposure = marketExposure
        self.realizedPnl = realizedPnl; self.feesPaid = feesPaid
    }
    enum CodingKeys: String, CodingKey {
        case ticker, position, marketExposure = "market_exposure", realizedPnl = "realized_pnl", feesPaid = "fees_paid"
    }
}

/// `account.positions`: every non-zero market position at the venue (state).
public struct AccountPositions: BusMessage, Hashable {
    public static let typeName = "account.positions"
    public var positions: [VenuePosition]
    public var time: String
    public init(positions: [VenuePosition], time: String) { self.positions = positions; self.time = time }
}

/// `venue.fill`: one fill, published once when first seen (event).
public struct VenueFill: BusMessage, Hashable {
    public static let typeName = "venue.fill"
    /// Kalshi's `trade_id` (or `fill_id`): the fill's unique key.
    public var fillID: String
    public var orderID: String
    public var ticker: String
    public var side: TradeSide
    /// `buy` or `sell`.
    public var action: String
    public var count: Contracts
    /// Price per contract of `side`.
    public var price: Dollars
    public var fee: Dollars?
    public var isTaker: Bool?
    /// Unix seconds.
    public var ts: Int64
    public init(fillID: String, orderID: String, ticker: String, side: TradeSide, action: String, count: Contracts, price: Dollars,
                fee: Dollars?, isTaker: Bool?, ts: Int64) {
        self.fillID = fillID; self.orderID = orderID; self.ticker = ticker; self.side = side; self.action = action
        self.count = count; self.price = price; self.fee = fee; self.isTaker = isTaker; self.ts = ts
    }
    enum CodingKeys: String, CodingKey {
        case fillID = "fill_id", orderID = "order_id", ticker, side, action, count, price, fee, isTaker = "is_taker", ts
    }
}

/// `venue.settlement`: one market settled for this account, published once when first seen (event).
public struct VenueSettlement: BusMessage, Hashable {
    public static let typeName = "venue.settlement"
    public var ticker: String
    public var eventTicker: String?
    /// `yes` or `no` (or `void`).
    public var result: String
    public var yesCount: Contracts
    public var noCount: Contracts
    public var yesTotalCost: Dollars?
    public var noTotalCost: Dollars?
    /// What the settlement paid, in dollars.
    public var revenue: Dollars
    public var fee: Dollars?
    /// Unix seconds.
    public var settledTs: Int64
    public init(ticker: String, eventTicker: String?, result: String, yesCount: Contracts, noCount: Contracts, yesTotalCost: Dollars?,
                noTotalCost: Dollars?, revenue: Dollars, fee: Dollars?, settledTs: Int64) {
        self.ticker = ticker; self.eventTicker = eventTicker; self.result = result; self.yesCount = yesCount
        self.noCount = noCount; self.yesTotalCost = yesTotalCost; self.noTotalCost = noTotalCost; self.revenue = revenue
        self.fee = fee; self.settledTs = settledTs
    }
    enum CodingKeys: String, CodingKey {
        case ticker, eventTicker = "event_ticker", result, yesCount = "yes_count", noCount = "no_count"
        case yesTotalCost = "yes_total_cost", noTotalCost = "no_total_cost", revenue, fee, settledTs = "settled_ts"
    }
}

/// `venue.order`: an order at the venue was created or changed (event).
public struct VenueOrderUpdate: BusMessage, Hashable {
    public static let typeName = "venue.order"
    public var orderID: String
    public var clientOrderID: String?
    public var ticker: String
    public var side: TradeSide
    public var action: String
    /// `resting`, `canceled`, `executed`.
    public var status: String
    public var filledCount: Contracts
    public var remainingCount: Contracts
    public var price: Dollars?
    public var ts: Int64
    public init(orderID: String, clientOrderID: String?, ticker: String, side: TradeSide, action: String, status: String,
                filledCount: Contracts, remainingCount: Contracts, price: Dollars?, ts: Int64) {
        self.orderID = orderID; self.clientOrderID = clientOrderID; self.ticker = ticker; self.side = side
        self.action = action; self.status = status; self.filledCount = filledCount; self.remainingCount = remainingCount
        self.price = price; self.ts = ts
    }
    enum CodingKeys: String, CodingKey {
        case orderID = "order_id", clientOrderID = "client_order_id", ticker, side, action, status
        case filledCount = "filled_count", remainingCount = "remaining_count", price, ts
    }
}

/// `account.reconciliation`: trades versus venue positions (state). Nothing trades until a start-up check passes.
public struct ReconciliationReport: BusMessage, Hashable {
    public static let typeName = "account.reconciliation"
    public enum Status: String, Codable, Sendable, Hashable { case pending, passed, failed }
    /// A market where the trades and the venue disagree. Counts are signed: positive YES, negative NO.
    public struct Mismatch: Codable, Sendable, Hashable {
        public var ticker: String
        public var trades: Contracts
        public var venue: Contracts
        public init(ticker: String, trades: Contracts, venue: Contracts) { self.ticker = ticker; self.trades = trades; self.venue = venue }
    }
    public var status: Status
    /// True for the check made at start-up.
    public var startup: Bool
    public var mismatches: [Mismatch]
    public var checkedTime: String
    public init(status: Status, startup: Bool, mismatches: [Mismatch], checkedTime: String) {
        self.status = status; self.startup = startup; self.mismatches = mismatches; self.checkedTime = checkedTime
    }
    enum CodingKeys: String, CodingKey { case status, startup, mismatches, checkedTime = "checked_time" }
}
