import Foundation
import Logging

extension KalshiRESTClient {
    /// `GET /portfolio/balance`.
    public func balance() async throws -> Balance {
        try await get(Balance.self, Call(method: "GET", path: "/portfolio/balance"))
    }

    /// `GET /portfolio/positions`, every page (unsettled positions only; settled ones are settlements).
    public func positions(ticker: String? = nil, eventTicker: String? = nil, countFilter: String? = nil) async throws -> Positions {
        var q: [URLQueryItem] = []
        q.add("ticker", ticker)
        q.add("event_ticker", eventTicker)
        q.add("count_filter", countFilter)
        let pages = try await allPages(PositionsPage.self, path: "/portfolio/positions", query: q)
        return Positions(market: pages.flatMap(\.items), event: pages.flatMap { $0.eventPositions ?? [] })
    }

    /// `GET /portfolio/fills`, every page. Times are Unix seconds.
    public func fills(ticker: String? = nil, orderID: String? = nil, minTs: Int64? = nil, maxTs: Int64? = nil) async throws -> [Fill] {
        var q: [URLQueryItem] = []
        q.add("ticker", ticker)
        q.add("order_id", orderID)
        q.add("min_ts", minTs)
        q.add("max_ts", maxTs)
        return try await all(FillsPage.self, path: "/portfolio/fills", query: q)
    }

    /// `GET /portfolio/settlements`, every page.
    public func settlements(ticker: String? = nil, eventTicker: String? = nil, minTs: Int64? = nil, maxTs: Int64? = nil) async throws -> [Settlement] {
        var q: [URLQueryItem] = []
        q.add("ticker", ticker)
        q.add("event_ticker", eventTicker)
        q.add("min_ts", minTs)
        q.add("max_ts", maxTs)
        return try await all(SettlementsPage.self, path: "/portfolio/settlements", query: q)
    }

    /// `GET /portfolio/orders`, every page.
    public func orders(ticker: String? = nil, eventTicker: String? = nil, status: OrderStatus? = nil) async throws -> [Order] {
        var q: [URLQueryItem] = []
        q.add("ticker", ticker)
        q.add("event_ticker", eventTicker)
        q.add("status", status)
        return try await all(OrdersPage.self, path: "/portfolio/orders", query: q)
    }

    /// `GET /portfolio/orders/{id}`.
    public func order(_ orderID: String) async throws -> Order {
        try await get(OrderResponse.self, Call(method: "GET", path: "/portfolio/orders/\(orderID.pathEscaped)")).order
    }

    /// The order of ours with this `client_order_id` on `ticker`, if any.
    public func order(clientOrderID: String, ticker: String) async throws -> Order? {
        try await orders(ticker: ticker).first { $0.clientOrderId == clientOrderID }
    }

    /// `POST /portfolio/events/orders` (V2 create), idempotent.
    ///
    /// A missing `clientOrderId` is filled with a fresh UUID before the first attempt, and every retry sends the
    /// same one. When Kalshi answers 409 (a retry whose first attempt did reach the exchange, or a repeat of a
    /// caller's key), the order is read back by `client_order_id` and returned, so one intent is one order.
    /// A 409 with no such order (fill-or-kill not fillable, say) is thrown.
    public func createOrder(_ request: CreateOrderRequest) async throws -> CreateOrderResponse {
        var request = request
        let clientOrderID = request.clientOrderId ?? UUID().uuidString.lowercased()
        request.clientOrderId = clientOrderID
        let call = Call(method: "POST", path: "/portfolio/events/orders", body: try encode(request),
                        bucket: .write, cost: RateLimiter.Cost.create)
        do {
            return try await get(CreateOrderResponse.self, call)
        } catch let error as KalshiError where error.kind == .http && error.status == 409 {
            guard let existing = try await order(clientOrderID: clientOrderID, ticker: request.ticker) else { throw error }
            logger.info("create answered 409; resolved to the existing order", metadata: [
                "order.id": "\(existing.orderId)", "order.client_id": "\(clientOrderID)",
            ])
            return CreateOrderResponse(orderId: existing.orderId, clientOrderId: clientOrderID,
                                       fillCount: existing.fillCountFp, remainingCount: existing.remainingCountFp)
        }
    }

    /// `DELETE /portfolio/events/orders/{id}` (V2 cancel).
    public func cancelOrder(_ orderID: String) async throws -> CancelOrderResponse {
        try await get(CancelOrderResponse.self, Call(method: "DELETE", path: "/portfolio/events/orders/\(orderID.pathEscaped)",
                                                     bucket: .write, cost: RateLimiter.Cost.cancel))
    }

    /// `POST /portfolio/events/orders/batched`; each order gets a `client_order_id` if it has none, so a retried
    /// batch is never a second set of orders. An item Kalshi refused (a duplicate after a retry, say) is read back
    /// by its `client_order_id` and, when that order exists, answered as created; other refused items keep their
    /// ``BatchCreateItem/error``. Items are in request order.
    public func createOrders(_ orders: [CreateOrderRequest]) async throws -> BatchCreateResponse {
        let filled = orders.map { o -> CreateOrderRequest in
            var o = o
            if o.clientOrderId == nil { o.clientOrderId = UUID().uuidString.lowercased() }
            return o
        }
        let call = Call(method: "POST", path: "/portfolio/events/orders/batched", body: try encode(BatchCreateRequest(orders: filled)),
                        bucket: .write, cost: RateLimiter.Cost.create * Int64(max(filled.count, 1)))
        var response = try await get(BatchCreateResponse.self, call)
        var known: [String: [Order]] = [:]  // orders by ticker, read once
        for i in response.orders.indices where response.orders[i].error != nil && i < filled.count {
            let request = filled[i]
            if known[request.ticker] == nil { known[request.ticker] = try await self.orders(ticker: request.ticker) }
            guard let existing = known[request.ticker]?.first(where: { $0.clientOrderId == request.clientOrderId }) else { continue }
            response.orders[i] = BatchCreateItem(orderId: existing.orderId, clientOrderId: request.clientOrderId,
                                                 fillCount: existing.fillCountFp, remainingCount: existing.remainingCountFp)
        }
        return response
    }

    /// `DELETE /portfolio/events/orders/batched`.
    public func cancelOrders(_ orderIDs: [String]) async throws -> BatchCancelResponse {
        let call = Call(method: "DELETE", path: "/portfolio/events/orders/batched", body: try encode(BatchCancelRequest(orderIds: orderIDs)),
                        bucket: .write, cost: RateLimiter.Cost.cancel * Int64(max(orderIDs.count, 1)))
        return try await get(BatchCancelResponse.self, call)
    }
}
