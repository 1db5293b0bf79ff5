public import Foundation
public import Money

/// An order as `GET /portfolio/orders` reports it.
public struct Order: Codable, Sendable, Hashable {
    public var orderId: String
    public var userId: String?
    public var clientOrderId: String?
    public var ticker: String?
    public var outcomeSide: OutcomeSide?
    public var bookSide: BookSide?
    public var type: String?
    public var status: OrderStatus?
    public var yesPriceDollars: Dollars?
    public var noPriceDollars: Dollars?
    public var fillCountFp: Contracts?
    public var remainingCountFp: Contracts?
    public var initialCountFp: Contracts?
    public var takerFillCostDollars: Dollars?
    public var makerFillCostDollars: Dollars?
    public var takerFeesDollars: Dollars?
    public var makerFeesDollars: Dollars?
    public var expirationTime: Date?
    public var createdTime: Date?
    public var lastUpdateTime: Date?
    public var selfTradePreventionType: SelfTradePrevention?
    public var orderGroupId: String?
    public var subaccountNumber: Int?
    public var exchangeIndex: Int?

    /// An order with only an id.
    public init(orderId: String) { self.orderId = orderId }
}

/// `GET /portfolio/orders/{id}` → `{"order": Order}`.
public struct OrderResponse: Codable, Sendable { public var order: Order }

/// One page of `GET /portfolio/orders`.
public struct OrdersPage: CursorPage {
    public var orders: [Order]?
    public var cursor: String?
    public var items: [Order] { orders ?? [] }
}
