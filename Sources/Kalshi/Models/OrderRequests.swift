public import Money

/// The body of `POST /portfolio/events/orders` (V2 create). Prices are YES-leg prices.
///
/// `side` `.bid` buys YES; `.ask` sells YES. Buying NO at q is an `.ask` at 1 − q.
/// The client fills in ``clientOrderId`` when it is nil, so every create is idempotent.
public struct CreateOrderRequest: Codable, Sendable, Hashable {
    public var ticker: String
    public var clientOrderId: String?
    public var side: BookSide
    public var count: Contracts
    public var price: Dollars
    public var timeInForce: TimeInForce
    public var selfTradePreventionType: SelfTradePrevention
    /// Unix seconds; only with `good_till_canceled`.
    public var expirationTime: Int64?
    public var postOnly: Bool?
    public var reduceOnly: Bool?
    public var cancelOrderOnPause: Bool?
    public var subaccount: Int?
    public var orderGroupId: String?
    public var exchangeIndex: Int?

    /// A limit order with the fields Kalshi requires.
    public init(ticker: String, side: BookSide, count: Contracts, price: Dollars,
                timeInForce: TimeInForce = .goodTillCanceled,
                selfTradePrevention: SelfTradePrevention = .takerAtCross, clientOrderId: String? = nil) {
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
    public var orderId: String
    public var clientOrderId: String?
    public var fillCount: Contracts?
    public var remainingCount: Contracts?
    public var averageFillPrice: Dollars?
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
    public var orderId: String
    public var clientOrderId: String?
    public var reducedBy: Contracts?
    public var tsMs: Int64?
}

/// The body of `POST /portfolio/events/orders/batched`.
public struct BatchCreateRequest: Codable, Sendable, Hashable {
    public var orders: [CreateOrderRequest]
    public init(orders: [CreateOrderRequest]) { self.orders = orders }
}

/// One item of a batch create answer: a created order, or the error that refused it.
public struct BatchCreateItem: Codable, Sendable, Hashable {
    public var orderId: String?
    public var clientOrderId: String?
    public var fillCount: Contracts?
    public var remainingCount: Contracts?
    public var averageFillPrice: Dollars?
    public var averageFeePaid: Dollars?
    public var tsMs: Int64?
    public var error: ErrorBody?
}

/// `POST /portfolio/events/orders/batched` answer.
public struct BatchCreateResponse: Codable, Sendable, Hashable { public var orders: [BatchCreateItem] }

/// One order to cancel in a batch.
public struct BatchCancelItemRequest: Codable, Sendable, Hashable {
    public var orderId: String
    public var subaccount: Int?
    public var exchangeIndex: Int?
    public init(orderId: String) { self.orderId = orderId }
}

/// The body of `DELETE /portfolio/events/orders/batched`.
public struct BatchCancelRequest: Codable, Sendable, Hashable {
    public var orders: [BatchCancelItemRequest]
    public init(orderIds: [String]) { orders = orderIds.map(BatchCancelItemRequest.init(orderId:)) }
}

/// One item of a batch cancel answer.
public struct BatchCancelItem: Codable, Sendable, Hashable {
    public var orderId: String?
    public var clientOrderId: String?
    public var reducedBy: Contracts?
    public var tsMs: Int64?
    public var error: ErrorBody?
}

/// `DELETE /portfolio/events/orders/batched` answer.
public struct BatchCancelResponse: Codable, Sendable, Hashable { public var orders: [BatchCancelItem] }

/// Kalshi's error object: `{"code","message","details"}`, every field optional.
public struct ErrorBody: Codable, Sendable, Hashable {
    public var code: String?
    public var message: String?
    public var details: String?
    public init(code: String? = nil, message: String? = nil, details: String? = nil) {
        self.code = code
        self.message = message
        self.details = details
    }
}
