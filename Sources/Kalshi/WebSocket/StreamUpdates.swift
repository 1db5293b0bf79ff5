public import Money

// The payloads (`msg`) of Kalshi's WebSocket data messages, as ``StreamMessage`` carries them.

/// `orderbook_snapshot`: both legs' bids (`yes_dollars_fp`, `no_dollars_fp`; a side is absent when empty).
public struct OrderbookSnapshot: Codable, Sendable, Hashable {
    /// Kalshi's `market_ticker`.
    public var marketTicker: String
    /// Kalshi's `market_id`.
    public var marketId: String?
    /// Kalshi's `yes_dollars_fp`.
    public var yesDollarsFp: [PriceLevel]?
    /// Kalshi's `no_dollars_fp`.
    public var noDollarsFp: [PriceLevel]?
}

/// `orderbook_delta`: `deltaFp` contracts added (or removed, when negative) at `priceDollars` on `side`.
public struct OrderbookDelta: Codable, Sendable, Hashable {
    /// Kalshi's `market_ticker`.
    public var marketTicker: String
    /// Kalshi's `market_id`.
    public var marketId: String?
    /// Kalshi's `price_dollars`, exact dollars.
    public var priceDollars: Dollars
    /// Kalshi's `delta_fp`, exact contract count.
    public var deltaFp: Contracts
    /// Kalshi's `side`.
    public var side: OutcomeSide
    /// Kalshi's `client_order_id`.
    public var clientOrderId: String?
    /// Kalshi's `ts_ms`.
    public var tsMs: Int64?
}

/// `ticker`: top of book and last trade of one market.
public struct TickerUpdate: Codable, Sendable, Hashable {
    /// Kalshi's `market_ticker`.
    public var marketTicker: String
    /// Kalshi's `price_dollars`, exact dollars.
    public var priceDollars: Dollars?
    /// Kalshi's `yes_bid_dollars`, exact dollars.
    public var yesBidDollars: Dollars?
    /// Kalshi's `yes_ask_dollars`, exact dollars.
    public var yesAskDollars: Dollars?
    /// Kalshi's `yes_bid_size_fp`, exact contract count.
    public var yesBidSizeFp: Contracts?
    /// Kalshi's `yes_ask_size_fp`, exact contract count.
    public var yesAskSizeFp: Contracts?
    /// Kalshi's `volume_fp`, exact contract count.
    public var volumeFp: Contracts?
    /// Kalshi's `open_interest_fp`, exact contract count.
    public var openInterestFp: Contracts?
    /// Whole dollars.
    public var dollarVolume: Int64?
    /// Kalshi's `ts_ms`.
    public var tsMs: Int64?
}

/// `trade`: one public trade.
public struct TradeUpdate: Codable, Sendable, Hashable {
    /// Kalshi's `trade_id`.
    public var tradeId: String?
    /// Kalshi's `market_ticker`.
    public var marketTicker: String
    /// Kalshi's `yes_price_dollars`, exact dollars.
    public var yesPriceDollars: Dollars?
    /// Kalshi's `no_price_dollars`, exact dollars.
    public var noPriceDollars: Dollars?
    /// Kalshi's `count_fp`, exact contract count.
    public var countFp: Contracts?
    /// Kalshi's `taker_outcome_side`.
    public var takerOutcomeSide: OutcomeSide?
    /// Kalshi's `taker_book_side`.
    public var takerBookSide: BookSide?
    /// Kalshi's `ts_ms`.
    public var tsMs: Int64?
}

/// `fill`: one execution of one of our orders (the source of truth for executions).
public struct FillUpdate: Codable, Sendable, Hashable {
    /// Kalshi's `trade_id`.
    public var tradeId: String?
    /// Kalshi's `order_id`.
    public var orderId: String
    /// Kalshi's `market_ticker`.
    public var marketTicker: String?
    /// Kalshi's `is_taker`.
    public var isTaker: Bool?
    /// Kalshi's `yes_price_dollars`, exact dollars.
    public var yesPriceDollars: Dollars?
    /// Kalshi's `count_fp`, exact contract count.
    public var countFp: Contracts?
    /// Kalshi's `fee_cost`, exact dollars.
    public var feeCost: Dollars?
    /// Kalshi's `outcome_side`.
    public var outcomeSide: OutcomeSide?
    /// Kalshi's `book_side`.
    public var bookSide: BookSide?
    /// Kalshi's `post_position_fp`, exact contract count.
    public var postPositionFp: Contracts?
    /// Kalshi's `client_order_id`.
    public var clientOrderId: String?
    /// Kalshi's `ts_ms`.
    public var tsMs: Int64?
}

/// `user_order`: the new state of one of our orders.
public struct UserOrderUpdate: Codable, Sendable, Hashable {
    /// Kalshi's `order_id`.
    public var orderId: String
    /// Kalshi's `ticker`.
    public var ticker: String?
    /// Kalshi's `status`.
    public var status: OrderStatus?
    /// Kalshi's `outcome_side`.
    public var outcomeSide: OutcomeSide?
    /// Kalshi's `book_side`.
    public var bookSide: BookSide?
    /// Kalshi's `yes_price_dollars`, exact dollars.
    public var yesPriceDollars: Dollars?
    /// Kalshi's `fill_count_fp`, exact contract count.
    public var fillCountFp: Contracts?
    /// Kalshi's `remaining_count_fp`, exact contract count.
    public var remainingCountFp: Contracts?
    /// Kalshi's `initial_count_fp`, exact contract count.
    public var initialCountFp: Contracts?
    /// Kalshi's `client_order_id`.
    public var clientOrderId: String?
    /// Kalshi's `created_ts_ms`, Unix milliseconds.
    public var createdTsMs: Int64?
    /// Kalshi's `last_updated_ts_ms`, Unix milliseconds.
    public var lastUpdatedTsMs: Int64?
}

/// `market_position`: our position in one market.
public struct MarketPositionUpdate: Codable, Sendable, Hashable {
    /// Kalshi's `market_ticker`.
    public var marketTicker: String
    /// Kalshi's `position_fp`, exact contract count.
    public var positionFp: Contracts?
    /// Kalshi's `position_cost_dollars`, exact dollars.
    public var positionCostDollars: Dollars?
    /// Kalshi's `realized_pnl_dollars`, exact dollars.
    public var realizedPnlDollars: Dollars?
    /// Kalshi's `fees_paid_dollars`, exact dollars.
    public var feesPaidDollars: Dollars?
    /// Kalshi's `volume_fp`, exact contract count.
    public var volumeFp: Contracts?
}

/// `market_lifecycle_v2`: a market was created, (de)activated, rescheduled, determined or settled.
public struct MarketLifecycleUpdate: Codable, Sendable, Hashable {
    /// `created`, `activated`, `deactivated`, `close_date_updated`, `determined`, `settled`...
    public var eventType: String
    /// Kalshi's `market_ticker`.
    public var marketTicker: String
    /// Unix seconds.
    public var openTs: Int64?
    /// Kalshi's `close_ts`, Unix seconds.
    public var closeTs: Int64?
    /// Kalshi's `result`.
    public var result: MarketResult?
    /// Kalshi's `determination_ts`, Unix seconds.
    public var determinationTs: Int64?
    /// Kalshi's `settlement_value`, exact dollars.
    public var settlementValue: Dollars?
    /// Kalshi's `settled_ts`, Unix seconds.
    public var settledTs: Int64?
    /// Kalshi's `is_deactivated`.
    public var isDeactivated: Bool?
}

/// `event_lifecycle`: a new event.
public struct EventLifecycleUpdate: Codable, Sendable, Hashable {
    /// Kalshi's `event_ticker`.
    public var eventTicker: String
    /// Kalshi's `series_ticker`.
    public var seriesTicker: String?
    /// Kalshi's `title`.
    public var title: String?
    /// Kalshi's `subtitle`.
    public var subtitle: String?
    /// Kalshi's `strike_date`.
    public var strikeDate: Int64?
}
