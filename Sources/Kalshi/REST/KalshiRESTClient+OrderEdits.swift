import Foundation
import Logging
import Money

/// Cancels, amends and decreases: every one carries the order's market (`market_ticker`, or `ticker` on amend) and
/// the market's `exchange_index` when the caller knows it. Kalshi sends a write naming neither to shard 0, where an
/// order of a KXBTCD market (shard 2) is "not found".
extension KalshiRESTClient {
    /// `DELETE /portfolio/events/orders/{id}` (V2 cancel) of an order resting on `ticker`'s market.
    ///
    /// A cancel repeated after a timeout, 5xx or dropped connection may find the order already cancelled by the first
    /// attempt and answer 404: the order is then read by id, and when it is no longer resting the cancel is answered
    /// from it (``CancelOrderResponse/reducedBy`` is what the order never filled). A 404 without a repeat, or with
    /// the order still resting or unknown, is thrown.
    public func cancelOrder(_ orderID: String, ticker: String, exchangeIndex: Int? = nil) async throws -> CancelOrderResponse {
        var q: [URLQueryItem] = []
        q.add("market_ticker", ticker)
        q.add("exchange_index", exchangeIndex)
        let call = Call(method: "DELETE", path: "/portfolio/events/orders/\(orderID.pathEscaped)", query: q,
                        bucket: .write, cost: RateLimiter.Cost.cancel)
        var retries = 0
        do {
            return try await get(CancelOrderResponse.self, call, retries: &retries)
        } catch let error as KalshiError where error.kind == .http && error.status == 404 && retries > 0 {
            guard let done = try await finishedOrder(orderID) else { throw error }
            return done
        }
    }

    /// `DELETE /portfolio/events/orders/batched`, each item routed by its market. When the batch had to be repeated,
    /// an item answered `not_found` is read by id as ``cancelOrder(_:ticker:exchangeIndex:)`` does, and answered
    /// from the order when it is no longer resting. Items are in request order.
    public func cancelOrders(_ orders: [BatchCancelItemRequest]) async throws -> BatchCancelResponse {
        let call = Call(method: "DELETE", path: "/portfolio/events/orders/batched", body: try encode(BatchCancelRequest(orders: orders)),
                        bucket: .write, cost: RateLimiter.Cost.cancel * Int64(max(orders.count, 1)))
        var retries = 0
        var response = try await get(BatchCancelResponse.self, call, retries: &retries)
        guard retries > 0 else { return response }
        for i in response.orders.indices where response.orders[i].error?.code == "not_found" {
            guard let id = response.orders[i].orderId ?? (i < orders.count ? orders[i].orderId : nil),
                let done = try await finishedOrder(id)
            else { continue }
            response.orders[i] = BatchCancelItem(orderId: done.orderId, clientOrderId: done.clientOrderId, reducedBy: done.reducedBy)
        }
        return response
    }

    /// `DELETE /portfolio/events/orders`: cancels every resting event-market order of the member on every shard and,
    /// unless `subaccount` is given, of every subaccount: the user's manual orders and other programs' orders too.
    /// Kalshi may also cancel orders placed in the minute after the request. Billed like the tier's largest batch
    /// cancel: a full write bucket. The answer lists the cancelled orders when Kalshi reports them (empty when its
    /// body names none).
    public func cancelAllOrders(subaccount: Int? = nil) async throws -> [BatchCancelItem] {
        var q: [URLQueryItem] = []
        q.add("subaccount", subaccount)
        let call = Call(method: "DELETE", path: "/portfolio/events/orders", query: q, bucket: .write, cost: await writeBudget())
        return try await get(CancelAllResponse.self, call).orders ?? []
    }

    /// Cancels `orders` in as many batches as the account's write budget needs (``batchLimit(itemCost:)``), each
    /// item routed by its market; the answers in request order.
    public func cancelOrdersInBatches(_ orders: [BatchCancelItemRequest]) async throws -> [BatchCancelItem] {
        let size = await batchLimit(itemCost: RateLimiter.Cost.cancel)
        var answers: [BatchCancelItem] = []
        for start in stride(from: 0, to: orders.count, by: size) {
            answers += try await cancelOrders(Array(orders[start..<min(orders.count, start + size)])).orders
        }
        return answers
    }

    /// `POST /portfolio/events/orders/{id}/amend` (V2): a new price and total count, routed by the request's `ticker`.
    public func amendOrder(_ orderID: String, _ request: AmendOrderRequest) async throws -> AmendOrderResponse {
        try await get(AmendOrderResponse.self, Call(method: "POST", path: "/portfolio/events/orders/\(orderID.pathEscaped)/amend",
                                                    body: try encode(request), bucket: .write, cost: RateLimiter.Cost.standard))
    }

    /// `POST /portfolio/events/orders/{id}/decrease` (V2), routed by the request's `market_ticker`; keeps the
    /// order's place in the queue. Billed like a cancel.
    public func decreaseOrder(_ orderID: String, _ request: DecreaseOrderRequest) async throws -> DecreaseOrderResponse {
        try await get(DecreaseOrderResponse.self, Call(method: "POST", path: "/portfolio/events/orders/\(orderID.pathEscaped)/decrease",
                                                       body: try encode(request), bucket: .write, cost: RateLimiter.Cost.cancel))
    }

    /// The order read by id, as a cancel answer, when it is no longer resting (cancelled or executed); nil when it
    /// still rests or Kalshi does not know it.
    func finishedOrder(_ orderID: String) async throws -> CancelOrderResponse? {
        let order: Order
        do { order = try await self.order(orderID) } catch let e as KalshiError where e.kind == .http && e.status == 404 { return nil }
        guard let status = order.status, status != .resting else { return nil }
        logger.info("a repeated cancel answered 404; the order read back is \(status.rawValue)", metadata: ["order.id": "\(orderID)"])
        let neverFilled = max(.zero, (order.initialCountFp ?? .zero) - (order.fillCountFp ?? .zero))
        return CancelOrderResponse(orderId: order.orderId, clientOrderId: order.clientOrderId,
                                   reducedBy: status == .canceled ? neverFilled : .zero)
    }
}
