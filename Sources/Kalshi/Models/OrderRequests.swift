public import Money

/// The body of `POST /portfolio/events/orders` (V2 create). Prices are YES-leg prices.
///
/// `side` `.bid` buys YES; `.ask` sells YES. Buying NO at q is an `.ask` at 1 − q.
/// The client fills in ``clientOrderId`` when it is nil, so every create is idempotent.
public struct CreateOrderRequest: Codable, Sendable, Hashable {
    /// Kalshi's `ticker`.
    public var ticker: String
    /// Kalshi's `client_order_id`.
    public var clientOrderId: String?
    /// Kalshi's `side`.
    public var side: BookSide
    /// Kalshi's `count`, exact contract count.
    public var count: Contracts
    /// Kalshi's `price`, exact dollars.
    public var price: Dollars
    /// Kalshi's `time_in_force`.
    public var timeInForce: TimeInForce
    /// Kalshi's `self_trade_prevention_type`.
    public var selfTradePreventionType: SelfTradePrevention
    /// Unix seconds; only with `good_till_canceled`.
    public var expirationTime: Int64?
    /// Kalshi's `post_only`.
    public var postOnly: Bool?
    /// Kalshi's `reduce_only`: caps the count at what reduces the position held in this market. Kalshi takes it
    /// only with `immediate_or_cancel`; the client refuses other combinations before sending.
    public var reduceOnly: Bool?
    /// Kalshi's `cancel_order_on_pause`.
    public var cancelOrderOnPause: Bool?
    /// Kalshi's `subaccount`.
    public var subaccount: Int?
    /// Kalshi's `order_group_id`.
    public var orderGroupId: String?
    /// Kalshi's `exchange_index`: the market's shard; nil (omitted) lets Kalshi route by `ticker`.
    public var exchangeIndex: Int?

    /// A limit order with the fields Kalshi requires. `exchangeIndex` is the market's shard when the caller knows it
    /// (from ``Market/exchangeIndex``); nil lets Kalshi route by `ticker`.
    public init(ticker: String, side: BookSide, count: Contracts, price: Dollars,
                timeInForce: TimeInForce = .goodTillCanceled,
                selfTradePrevention: SelfTradePrevention = .takerAtCross, clientOrderId: String? = nil, exchangeIndex: Int? = nil) {
        self.exchangeIndex = exchangeIndex
        self.ticker = ticker
        self.side = side
        self.count = count
        self.price = price
        self.timeInForce = timeInForce
        self.selfTradePreventionType = selfTradePrevention
        self.clientOrderId = clientOrderId
    }
}

/// The answer to a V2 create (201): what filled at once and what rests.
public struct CreateOrderResponse: Codable, Sendable, Hashable {
    /// Kalshi's `order_id`.
    public var orderId: String
    /// Kalshi's `client_order_id`.
    public var clientOrderId: String?
    /// Kalshi's `fill_count`, exact contract count.
    public var fillCount: Contracts?
    /// Kalshi's `remaining_count`, exact contract count.
    public var remainingCount: Contracts?
    /// Kalshi's `average_fill_price`, exact dollars.
    public var averageFillPrice: Dollars?
    /// Kalshi's `average_fee_paid`, exact dollars.
    public var averageFeePaid: Dollars?
    /// Matching-engine time, Unix milliseconds.
    public var tsMs: Int64?

    /// A response built field by field (the client builds one from an order it read back).
    public init(orderId: String, clientOrderId: String?, fillCount: Contracts?, remainingCount: Contracts?,
                tsMs: Int64? = nil) {
        self.orderId = orderId
        self.clientOrderId = clientOrderId
        self.fillCount = fillCount
        self.remainingCount = remainingCount
        self.tsMs = tsMs
    }
}

/// The answer to a V2 cancel: `reducedBy` is what was still resting.
public struct CancelOrderResponse: Codable, Sendable, Hashable {
    /// Kalshi's `order_id`.
    public var orderId: String
    /// Kalshi's `client_order_id`.
    public var clientOrderId: String?
    /// Kalshi's `reduced_by`, exact contract count.
    public var reducedBy: Contracts?
    /// Kalshi's `ts_ms`.
    public var tsMs: Int64?
}

/// The body of `POST /portfolio/events/orders/batched`.
public struct BatchCreateRequest: Codable, Sendable, Hashable {
    /// Kalshi's `orders`.
    public var orders: [CreateOrderRequest]
    /// A batch of creates.
    public init(orders: [CreateOrderRequest]) { self.orders = orders }
}

/// One item of a batch create answer: a created order, or the error that refused it.
public struct BatchCreateItem: Codable, Sendable, Hashable {
    /// Kalshi's `order_id`.
    public var orderId: String?
    /// Kalshi's `client_order_id`.
    public var clientOrderId: String?
    /// Kalshi's `fill_count`, exact contract count.
    public var fillCount: Contracts?
    /// Kalshi's `remaining_count`, exact contract count.
    public var remainingCount: Contracts?
    /// Kalshi's `average_fill_price`, exact dollars.
    public var averageFillPrice: Dollars?
    /// Kalshi's `average_fee_paid`, exact dollars.
    public var averageFeePaid: Dollars?
    /// Kalshi's `ts_ms`.
    public var tsMs: Int64?
    /// Kalshi's `error`.
    public var error: ErrorBody?
}

/// `POST /portfolio/events/orders/batched` answer.
public struct BatchCreateResponse: Codable, Sendable, Hashable { public var orders: [BatchCreateItem] }

/// One order to cancel in a batch, routed to its market's shard: Kalshi sends an item naming neither
/// `market_ticker` nor `exchange_index` to shard 0, where an order of another shard is "not found".
public struct BatchCancelItemRequest: Codable, Sendable, Hashable {
    /// Kalshi's `order_id`.
    public var orderId: String
    /// Kalshi's `market_ticker`: Kalshi routes the cancel to this market's shard.
    public var marketTicker: String
    /// Kalshi's `exchange_index`: the shard itself, when the caller knows it (nil lets Kalshi route by ticker).
    public var exchangeIndex: Int?
    /// Kalshi's `subaccount`.
    public var subaccount: Int?
    /// Cancels `orderId`, resting on `ticker`'s market (on shard `exchangeIndex` when known).
    public init(orderId: String, ticker: String, exchangeIndex: Int? = nil) {
        self.orderId = orderId
        self.marketTicker = ticker
        self.exchangeIndex = exchangeIndex
    }
}

/// The body of `DELETE /portfolio/events/orders/batched`.
public struct BatchCancelRequest: Codable, Sendable, Hashable {
    /// Kalshi's `orders`.
    public var orders: [BatchCancelItemRequest]
    /// A batch cancelling these orders.
    public init(orders: [BatchCancelItemRequest]) { self.orders = orders }
}

/// One item of a batch cancel answer.
public struct BatchCancelItem: Codable, Sendable, Hashable {
    /// Kalshi's `order_id`.
    public var orderId: String?
    /// Kalshi's `client_order_id`.
    public var clientOrderId: String?
    /// Kalshi's `reduced_by`, exact contract count.
    public var reducedBy: Contracts?
    /// Kalshi's `ts_ms`.
    public var tsMs: Int64?
    /// Kalshi's `error`.
    public var error: ErrorBody?
}

/// `DELETE /portfolio/events/orders/batched` answer.
public struct BatchCancelResponse: Codable, Sendable, Hashable { public var orders: [BatchCancelItem] }

/// `DELETE /portfolio/events/orders` answer: the cancelled orders, when listed.
struct CancelAllResponse: Decodable { var orders: [BatchCancelItem]? }

/// Kalshi's error object: `{"code","message","details"}`, every field optional.
public struct ErrorBody: Codable, Sendable, Hashable {
    /// Kalshi's `code`.
    public var code: String?
    /// Kalshi's `message`.
    public var message: String?
    /// Kalshi's `details`.
    public var details: String?
    /// An error body.
    public init(code: String? = nil, message: String? = nil, details: String? = nil) {
        self.code = code
        self.message = message
        self.details = details
    }
}
