public import Money

/// The body of `POST /portfolio/events/orders/{id}/amend` (V2): a new YES price and a new **total** count (already
/// filled plus what should rest). `ticker` is required, and Kalshi routes the amend to that market's shard.
public struct AmendOrderRequest: Codable, Sendable, Hashable {
    /// Kalshi's `ticker`: the order's market (Kalshi routes by it when `exchange_index` is omitted).
    public var ticker: String
    /// Kalshi's `side`: the order's side, unchanged.
    public var side: BookSide
    /// Kalshi's `price`, exact dollars (YES leg).
    public var price: Dollars
    /// Kalshi's `count`: filled plus resting after the amend.
    public var count: Contracts
    /// Kalshi's `client_order_id`: the order's current one.
    public var clientOrderId: String?
    /// Kalshi's `updated_client_order_id`: the order's key after the amend.
    public var updatedClientOrderId: String?
    /// Kalshi's `exchange_index`: the market's shard when known; nil lets Kalshi route by `ticker`.
    public var exchangeIndex: Int?

    /// An amend of an order on `ticker`.
    public init(ticker: String, side: BookSide, price: Dollars, count: Contracts, exchangeIndex: Int? = nil) {
        self.ticker = ticker
        self.side = side
        self.price = price
        self.count = count
        self.exchangeIndex = exchangeIndex
    }
}

/// The answer to a V2 amend: what filled at once (an amend that crosses trades) and what rests.
public struct AmendOrderResponse: Codable, Sendable, Hashable {
    /// Kalshi's `order_id`.
    public var orderId: String
    /// Kalshi's `client_order_id`.
    public var clientOrderId: String?
    /// Kalshi's `remaining_count`, exact contract count.
    public var remainingCount: Contracts?
    /// Kalshi's `fill_count`, exact contract count.
    public var fillCount: Contracts?
    /// Kalshi's `average_fill_price`, exact dollars.
    public var averageFillPrice: Dollars?
    /// Kalshi's `average_fee_paid`, exact dollars.
    public var averageFeePaid: Dollars?
    /// Kalshi's `ts_ms`.
    public var tsMs: Int64?
}

/// How far a V2 decrease shrinks a resting order.
public enum DecreaseAmount: Sendable, Hashable {
    /// Take this many contracts off what rests (`reduce_by`).
    case by(Contracts)
    /// Leave this many resting (`reduce_to`; zero cancels).
    case to(Contracts)
}

/// The body of `POST /portfolio/events/orders/{id}/decrease`, routed by `market_ticker` (or `exchange_index`).
public struct DecreaseOrderRequest: Codable, Sendable, Hashable {
    /// Kalshi's `reduce_by`.
    public var reduceBy: Contracts?
    /// Kalshi's `reduce_to`.
    public var reduceTo: Contracts?
    /// Kalshi's `market_ticker`: Kalshi routes the decrease to this market's shard.
    public var marketTicker: String
    /// Kalshi's `exchange_index`: the market's shard when known.
    public var exchangeIndex: Int?

    /// A decrease of an order resting on `ticker`.
    public init(_ amount: DecreaseAmount, ticker: String, exchangeIndex: Int? = nil) {
        switch amount {
        case .by(let c): reduceBy = c
        case .to(let c): reduceTo = c
        }
        marketTicker = ticker
        self.exchangeIndex = exchangeIndex
    }
}

/// The answer to a V2 decrease.
public struct DecreaseOrderResponse: Codable, Sendable, Hashable {
    /// Kalshi's `order_id`.
    public var orderId: String
    /// Kalshi's `client_order_id`.
    public var clientOrderId: String?
    /// Kalshi's `remaining_count`, exact contract count.
    public var remainingCount: Contracts?
    /// Kalshi's `ts_ms`.
    public var tsMs: Int64?
}
