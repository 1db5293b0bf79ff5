public import Foundation
public import Money

/// An order as `GET /portfolio/orders` reports it.
public struct Order: Codable, Sendable, Hashable {
    /// Kalshi's `order_id`.
    public var orderId: String
    /// Kalshi's `user_id`.
    public var userId: String?
    /// Kalshi's `client_order_id`.
    public var clientOrderId: String?
    /// Kalshi's `ticker`.
    public var ticker: String?
    /// Kalshi's `outcome_side`.
    public var outcomeSide: OutcomeSide?
    /// Kalshi's `book_side`.
    public var bookSide: BookSide?
    /// Kalshi's `type`.
    public var type: String?
    /// Kalshi's `status`.
    public var status: OrderStatus?
    /// Kalshi's `yes_price_dollars`, exact dollars.
    public var yesPriceDollars: Dollars?
    /// Kalshi's `no_price_dollars`, exact dollars.
    public var noPriceDollars: Dollars?
    /// Kalshi's `fill_count_fp`, exact contract count.
    public var fillCountFp: Contracts?
    /// Kalshi's `remaining_count_fp`, exact contract count.
    public var remainingCountFp: Contracts?
    /// Kalshi's `initial_count_fp`, exact contract count.
    public var initialCountFp: Contracts?
    /// Kalshi's `taker_fill_cost_dollars`, exact dollars.
    public var takerFillCostDollars: Dollars?
    /// Kalshi's `maker_fill_cost_dollars`, exact dollars.
    public var makerFillCostDollars: Dollars?
    /// Kalshi's `taker_fees_dollars`, exact dollars.
    public var takerFeesDollars: Dollars?
    /// Kalshi's `maker_fees_dollars`, exact dollars.
    public var makerFeesDollars: Dollars?
    /// Kalshi's `expiration_time`, an RFC 3339 time.
    public var expirationTime: Date?
    /// Kalshi's `created_time`, an RFC 3339 time.
    public var createdTime: Date?
    /// Kalshi's `last_update_time`, an RFC 3339 time.
    public var lastUpdateTime: Date?
    /// Kalshi's `self_trade_prevention_type`.
    public var selfTradePreventionType: SelfTradePrevention?
    /// Kalshi's `order_group_id`.
    public var orderGroupId: String?
    /// Kalshi's `subaccount_number`.
    public var subaccountNumber: Int?
    /// Kalshi's `exchange_index`.
    public var exchangeIndex: Int?

    /// An order with only an id.
    public init(orderId: String) { self.orderId = orderId }
}

/// `GET /portfolio/orders/{id}` → `{"order": Order}`.
public struct OrderResponse: Codable, Sendable { public var order: Order }

/// One page of `GET /portfolio/orders`.
public struct OrdersPage: CursorPage {
    /// Kalshi's `orders`.
    public var orders: [Order]?
    /// The next page's cursor; empty or nil on the last page.
    public var cursor: String?
    /// The items of this page.
    public var items: [Order] { orders ?? [] }
}
