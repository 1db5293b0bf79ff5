import Foundation
import Hummingbird
import HummingbirdWebSocket
import Money
import SimExchange

extension KalshiSimServer {
    func addOrderRoutes(_ api: RouterGroup<BasicWebSocketRequestContext>) {
        api.post("portfolio/events/orders") { request, _ -> Response in
            let user = try await self.gate(request, bucket: .write, signed: true)!
            let result = try self.place(try await self.jsonBody(request), user: user)
            return self.respond(Self.created(result), status: .created)
        }
        api.post("portfolio/events/orders/batched") { request, _ -> Response in
            let body = try await self.jsonBody(request)
            let most = self.options.rateLimits.batchLimit(itemCost: 10)
            guard let items = body["orders"] as? [[String: Any]], !items.isEmpty, items.count <= most else {
                throw KalshiSimError.badRequest("orders must hold 1 to \(most) orders")
            }
            let user = try await self.gate(request, bucket: .write, cost: Int64(10 * items.count), signed: true)!
            var replies: [JSON] = []
            for item in items {
                do {
                    let result = try self.place(item, user: user)
                    guard case .object(var fields) = Self.created(result) else { continue }
                    fields.append(("error", .null))
                    replies.append(.object(fields))
                } catch let e as KalshiSimError {
                    replies.append(.object([("order_id", .null), ("client_order_id", .optional(item["client_order_id"] as? String)),
                                            ("error", .object([("code", .string(e.code)), ("message", .string(e.message)), ("details", .string(""))]))]))
                }
            }
            return self.respond(.object([("orders", .array(replies))]), status: .created)
        }
        api.delete("portfolio/events/orders/batched") { request, _ -> Response in
            let body = try await self.jsonBody(request)
            // Each item routed by its own market_ticker / exchange_index; the legacy `ids` list names neither (shard 0).
            let items = (body["orders"] as? [[String: Any]]) ?? ((body["ids"] as? [String]) ?? []).map { ["order_id": $0] as [String: Any] }
            let ids = items.compactMap { $0["order_id"] as? String }
            guard !ids.isEmpty, ids.count == items.count else { throw KalshiSimError.badRequest("orders must list order ids") }
            let most = self.options.rateLimits.batchLimit(itemCost: 2)
            guard ids.count <= most else { throw KalshiSimError.badRequest("orders must hold 1 to \(most) cancels") }
            let user = try await self.gate(request, bucket: .write, cost: Int64(2 * ids.count), signed: true)!
            var replies: [JSON] = []
            for (id, item) in zip(ids, items) {
                do {
                    let index = try Self.shardIndex(item["exchange_index"]), ticker = item["market_ticker"] as? String
                    let (order, reduced) = try self.exchange { ex in
                        try ex.cancelOrder(id, user: user, onShard: try ex.route(exchangeIndex: index, marketTicker: ticker), now: ex.now)
                    }
                    replies.append(Self.canceled(order, reduced, error: .null))
                } catch let e as KalshiSimError {
                    replies.append(.object([("order_id", .string(id)), ("reduced_by", .string("0.00")),
                                            ("error", .object([("code", .string(e.code)), ("message", .string(e.message))]))]))
                }
            }
            return self.respond(.object([("orders", .array(replies))]))
        }
        // Cancel-all: every resting order of the member on every shard, optionally one subaccount's (the simulator has
        // one subaccount, 0). Billed like the tier's largest batch cancel: a full write bucket.
        api.delete("portfolio/events/orders") { request, _ -> Response in
            let user = try await self.gate(request, bucket: .write, cost: self.options.rateLimits.writeCapacity, signed: true)!
            if let sub = request.uri.queryParameters.get("subaccount"), Int(sub) != 0 {
                return self.respond(.object([("orders", .array([]))]))
            }
            // An order whose market stopped trading stays out of the answer rather than failing the whole request.
            let cancelled = try self.exchange { ex in
                ex.orders(user).filter { $0.status == .resting }.compactMap { o in try? ex.cancelOrder(o.orderID, user: user, now: ex.now) }
            }
            return self.respond(.object([("orders", .array(cancelled.map { Self.canceled($0.order, $0.reducedBy, error: nil) }))]))
        }
        api.delete("portfolio/events/orders/:order") { request, context -> Response in
            let user = try await self.gate(request, bucket: .write, cost: 2, signed: true)!
            let id = try context.parameters.require("order")
            let q = request.uri.queryParameters
            let index = try Self.shardIndex(q.get("exchange_index")), ticker = q.get("market_ticker")
            let (order, reduced) = try self.exchange { ex in
                try ex.cancelOrder(id, user: user, onShard: try ex.route(exchangeIndex: index, marketTicker: ticker), now: ex.now)
            }
            return self.respond(Self.canceled(order, reduced, error: nil))
        }
        api.post("portfolio/events/orders/:order/decrease") { request, context -> Response in
            let user = try await self.gate(request, bucket: .write, cost: 2, signed: true)!
            let id = try context.parameters.require("order")
            let body = try await self.jsonBody(request)
            let by = (body["reduce_by"] as? String).flatMap { Contracts($0) }, to = (body["reduce_to"] as? String).flatMap { Contracts($0) }
            guard (by == nil) != (to == nil) else { throw KalshiSimError.badRequest("give exactly one of reduce_by and reduce_to") }
            let index = try Self.shardIndex(body["exchange_index"]), ticker = body["market_ticker"] as? String
            let order = try self.exchange { ex in
                let shard = try ex.route(exchangeIndex: index, marketTicker: ticker)
                guard let o = ex.order(id), o.userID == user else { throw KalshiSimError.notFound("order \(id) not found") }
                let target = to ?? max(.zero, o.remainingCount - (by ?? .zero))
                return try ex.decreaseOrder(id, user: user, to: target, onShard: shard, now: ex.now)
            }
            return self.respond(.object([("order_id", .string(order.orderID)), ("client_order_id", .string(order.clientOrderID)),
                                         ("remaining_count", .count(order.remainingCount)), ("ts_ms", .int(order.updatedMs))]))
        }
        api.post("portfolio/events/orders/:order/amend") { request, context -> Response in
            let user = try await self.gate(request, bucket: .write, signed: true)!
            let id = try context.parameters.require("order")
            let body = try await self.jsonBody(request)
            guard let price = (body["price"] as? String).flatMap({ Dollars($0) }), let count = (body["count"] as? String).flatMap({ Contracts($0) }) else {
                throw KalshiSimError(.badRequest, "invalid_parameters", "price and count are required strings")
            }
            let index = try Self.shardIndex(body["exchange_index"]), ticker = body["ticker"] as? String
            let result = try self.exchange { ex in
                let shard = try ex.route(exchangeIndex: index, marketTicker: ticker)
                guard let o = ex.order(id), o.userID == user, ex.shard(ofMarket: o.ticker) == shard else {
                    throw KalshiSimError.notFound("order \(id) not found")
                }
                if let t = body["ticker"] as? String, t != o.ticker { throw KalshiSimError(.badRequest, "order_ticker_mismatch", "ticker does not match the order") }
                if let s = body["side"] as? String, s != o.side.rawValue { throw KalshiSimError(.badRequest, "order_side_mismatch", "side does not match the order") }
                return try ex.amendOrder(id, user: user, price: price, count: count, updatedClientOrderID: body["updated_client_order_id"] as? String,
                                         onShard: shard, now: ex.now)
            }
            return self.respond(Self.created(result))
        }
        api.post("portfolio/orders") { request, _ -> Response in
            _ = try await self.gate(request, bucket: .write, cost: 100, signed: true)
            throw KalshiSimError(.gone, "deprecated", "Please switch to the V2 endpoints")
        }
    }

    /// Places a V2 create body for `user` on the shard it is routed to: its `exchange_index` when given, else its
    /// market's. A create sent to a shard where the market does not live does not find the market.
    func place(_ body: [String: Any], user: String) throws -> OrderResult {
        let order = try Self.orderRequest(body)
        let index = try Self.shardIndex(body["exchange_index"])
        return try exchange { ex in
            guard try ex.route(exchangeIndex: index, marketTicker: order.ticker) == ex.shard(ofMarket: order.ticker) else {
                throw KalshiSimError.notFound("market \(order.ticker) not found on exchange_index \(index ?? 0)")
            }
            return try ex.createOrder(order, user: user, now: ex.now)
        }
    }

    /// `exchange_index` from a JSON body or a query string: an integer, or nil when absent.
    static func shardIndex(_ raw: Any?) throws -> Int? {
        switch raw {
        case nil, is NSNull: return nil
        case let text as String:
            guard let v = Int(text) else { throw KalshiSimError(.badRequest, "invalid_parameters", "exchange_index must be an integer") }
            return v
        case let n as NSNumber: return n.intValue
        default: throw KalshiSimError(.badRequest, "invalid_parameters", "exchange_index must be an integer")
        }
    }

    static func created(_ r: OrderResult) -> JSON {
        var f: [(String, JSON)] = [
            ("order_id", .string(r.order.orderID)), ("client_order_id", .string(r.order.clientOrderID)),
            ("fill_count", .count(r.order.fillCount)), ("remaining_count", .count(r.order.remainingCount)),
        ]
        if let p = r.averageFillPrice { f.append(("average_fill_price", .dollars(p, 6))) }
        if let fee = r.averageFeePaid { f.append(("average_fee_paid", .dollars(fee, 6))) }
        f.append(("ts_ms", .int(r.ms)))
        return .object(f)
    }

    static func canceled(_ o: SimOrder, _ reduced: Contracts, error: JSON?) -> JSON {
        var f: [(String, JSON)] = [("order_id", .string(o.orderID)), ("client_order_id", .string(o.clientOrderID)),
                                   ("reduced_by", .count(reduced)), ("ts_ms", .int(o.updatedMs))]
        if let error { f.append(("error", error)) }
        return .object(f)
    }

    /// Parses a V2 create request: `ticker`, `side` (bid|ask), `count` and `price` strings, `time_in_force`,
    /// `self_trade_prevention_type`, and the optional fields.
    static func orderRequest(_ b: [String: Any]) throws -> OrderRequest {
        func string(_ k: String) throws -> String {
            guard let v = b[k] as? String else { throw KalshiSimError(.badRequest, "invalid_parameters", "\(k) is required and must be a string") }
            return v
        }
        guard let side = BookSide(rawValue: try string("side")) else { throw KalshiSimError(.badRequest, "invalid_parameters", "side must be bid or ask") }
        guard let count = Contracts(try string("count")) else { throw KalshiSimError(.badRequest, "invalid_order_size", "count is not a count") }
        let priceText = try string("price")
        guard let price = Dollars(priceText), priceText.split(separator: ".").dropFirst().first.map({ $0.count <= 4 }) ?? true else {
            throw KalshiSimError(.badRequest, "invalid_order", "price is not a dollar amount")
        }
        guard let tif = TimeInForce(rawValue: try string("time_in_force")) else {
            throw KalshiSimError(.badRequest, "invalid_parameters", "time_in_force must be fill_or_kill, good_till_canceled or immediate_or_cancel")
        }
        guard let stp = SelfTradePrevention(rawValue: try string("self_trade_prevention_type")) else {
            throw KalshiSimError(.badRequest, "invalid_parameters", "self_trade_prevention_type must be taker_at_cross or maker")
        }
        let cid = b["client_order_id"] as? String
        if let cid, cid.count > 64 { throw KalshiSimError(.badRequest, "invalid_parameters", "client_order_id is too long") }
        let expiration = (b["expiration_time"] as? NSNumber)?.int64Value
        return OrderRequest(ticker: try string("ticker"), side: side, count: count, price: price, timeInForce: tif, selfTradePrevention: stp,
                            clientOrderID: cid, postOnly: b["post_only"] as? Bool ?? false, reduceOnly: b["reduce_only"] as? Bool ?? false,
                            expirationSecond: expiration)
    }
}
