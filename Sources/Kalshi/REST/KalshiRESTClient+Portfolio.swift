import Foundation
import Logging
public import Money

extension KalshiRESTClient {
    /// `GET /portfolio/balance`: over every shard (with ``Balance/balanceBreakdown``), or for one shard when
    /// `exchangeIndex` is given.
    public func balance(exchangeIndex: Int? = nil) async throws -> Balance {
        var q: [URLQueryItem] = []
        q.add("exchange_index", exchangeIndex)
        return try await get(Balance.self, Call(method: "GET", path: "/portfolio/balance", query: q))
    }

    /// `POST /portfolio/intra_exchange_instance_transfer`: moves `amount` of cash from shard `from` to shard `to`
    /// (event-contract balances of the primary account). Collateral must sit on the shard of the market traded.
    ///
    /// A missing `clientTransferID` is a fresh UUID, and retries send the same one, so a retried transfer is never a
    /// second transfer. `amount` must be a whole number of centicents (Kalshi's unit here).
    public func transferBetweenShards(_ amount: Dollars, from: Int, to: Int, clientTransferID: String? = nil) async throws -> ShardTransfer {
        guard amount > .zero, amount.micros % 100 == 0 else {
            throw KalshiError(.invalidRequest, message: "a shard transfer takes a positive whole number of centicents, not \(amount)")
        }
        let body = ShardTransferRequest(clientTransferId: clientTransferID ?? UUID().uuidString.lowercased(), amount: amount.micros / 100,
                                        sourceExchangeShard: from, destinationExchangeShard: to)
        return try await get(ShardTransfer.self, Call(method: "POST", path: "/portfolio/intra_exchange_instance_transfer", body: try encode(body)))
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
    ///
    /// A success answer whose body does not decode means Kalshi took the order: it too is read back by
    /// `client_order_id`, so the caller never mistakes an accepted order for a failed one.
    ///
    /// A `reduce_only` order whose time in force is not `immediate_or_cancel` is refused before sending (Kalshi
    /// rejects it): ``KalshiError/Kind/invalidRequest``, not retryable.
    public func createOrder(_ request: CreateOrderRequest) async throws -> CreateOrderResponse {
        if let refusal = request.reduceOnlyRefusal() { throw refusal }
        var request = request
        let clientOrderID = request.clientOrderId ?? UUID().uuidString.lowercased()
        request.clientOrderId = clientOrderID
        let call = Call(method: "POST", path: "/portfolio/events/orders", body: try encode(request),
                        bucket: .write, cost: RateLimiter.Cost.create)
        do {
            return try await get(CreateOrderResponse.self, call)
        } catch let error as KalshiError where (error.kind == .http && error.status == 409) || error.kind == .decoding {
            guard let existing = try await order(clientOrderID: clientOrderID, ticker: request.ticker) else { throw error }
            logger.info("create answered \(error.kind == .decoding ? "an undecodable body" : "409"); resolved to the existing order", metadata: [
                "order.id": "\(existing.orderId)", "order.client_id": "\(clientOrderID)",
            ])
            return CreateOrderResponse(orderId: existing.orderId, clientOrderId: clientOrderID,
                                       fillCount: existing.fillCountFp, remainingCount: existing.remainingCountFp)
        }
    }

    /// `POST /portfolio/events/orders/batched`; each order gets a `client_order_id` if it has none, so a retried
    /// batch is never a second set of orders. An item Kalshi refused (a duplicate after a retry, say) is read back
    /// by its `client_order_id` and, when that order exists, answered as created; other refused items keep their
    /// ``BatchCreateItem/error``. A success answer whose body does not decode has every item read back the same
    /// way (an item not found keeps the error `undecodable_answer`). Items are in request order.
    /// A `reduce_only` item whose time in force is not `immediate_or_cancel` refuses the whole batch before sending.
    public func createOrders(_ orders: [CreateOrderRequest]) async throws -> BatchCreateResponse {
        for (i, order) in orders.enumerated() {
            if let refusal = order.reduceOnlyRefusal(batchItem: i) { throw refusal }
        }
        let filled = orders.map { o -> CreateOrderRequest in
            var o = o
            if o.clientOrderId == nil { o.clientOrderId = UUID().uuidString.lowercased() }
            return o
        }
        let call = Call(method: "POST", path: "/portfolio/events/orders/batched", body: try encode(BatchCreateRequest(orders: filled)),
                        bucket: .write, cost: RateLimiter.Cost.create * Int64(max(filled.count, 1)))
        var response: BatchCreateResponse
        do {
            response = try await get(BatchCreateResponse.self, call)
        } catch let error as KalshiError where error.kind == .decoding {
            // Kalshi answered success but the body is unreadable: every item is resolved by its client_order_id below.
            let unknown = ErrorBody(code: "undecodable_answer", message: error.message)
            response = BatchCreateResponse(orders: filled.map { BatchCreateItem(clientOrderId: $0.clientOrderId, error: unknown) })
        }
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
}
