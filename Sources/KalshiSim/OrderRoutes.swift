import Foundation
import Hummingbird
import HummingbirdWebSocket
import Money
import SimExchange

extension KalshiSimServer {
    func addOrderRoutes(_ api: RouterGroup<BasicWebSocketRequestContext>) {
        api.post("portfolio/events/orders") { request, _ -> Response in
            let user = try await self.gate(request, bucket: .write, signed: true)!
            let order = try Self.orderRequest(try await self.jsonBody(request))
            let result = try self.exchange { ex in try ex.createOrder(order, user: user, now: ex.now) }
            return self.respond(Self.created(result), status: .created)
        }
        api.post("portfolio/events/orders/batched") { request, _ -> Response in
            let body = try await self.jsonBody(request)
            guard let items = body["orders"] as? [[String: Any]], !items.isEmpty, items.count <= 20 else {
                throw KalshiSimError.badRequest("orders must hold 1 to 20 orders")
            }
            let user = try await self.gate(request, bucket: .write, cost: Int64(10 * items.count), signed: true)!
            var replies: [JSON] = []
            for item in items {
                do {
                    let order = try Self.orderRequest(item)
                    let result = try self.exchange { ex in try ex.createOrder(order, user: user, now: ex.now) }
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
            let ids = (body["orders"] as? [[String: Any]])?.compactMap { $0["order_id"] as? String } ?? (body["ids"] as? [String]) ?? []
            guard !ids.isEmpty else { throw KalshiSimError.badRequest("orders must list order ids") }
            let user = try await self.gate(request, bucket: .write, cost: Int64(2 * ids.count), signed: true)!
            var replies: [JSON] = []
            for id in ids {
                do {
                    let (order, reduced) = try self.exchange { ex in try ex.cancelOrder(id, user: user, now: ex.now) }
                    replies.append(Self.canceled(order, reduced, error: .null))
                } catch let e as KalshiSimError {
                    replies.append(.object([("order_id", .string(id)), ("reduced_by", .string("0.00")),
                                            ("error", .object([("code", .string(e.code)), ("message", .string(e.message))]))]))
                }
            }
            return self.respond(.object([("orders", .array(replies))]))
        }
        api.delete("portfolio/events/orders/:order") { request, context -> Response in
            let user = try await self.gate(request, bucket: .write, cost: 2, signed: true)!
            let id = try context.parameters.require("order")
            let (order, reduced) = try self.exchange { ex in try ex.cancelOrder(id, user: user, now: ex.now) }
            return self.respond(Self.canceled(order, reduced, error: nil))
        }
        api.post("portfolio/events/orders/:order/decrease") { request, context -> Response in
            let user = try await self.gate(request, bucket: .write, cost: 2, signed: true)!
            let id = try context.parameters.require("order")
            let body = try await self.jsonBody(request)
            let by = (body["reduce_by"] as? String).flatMap { Contracts($0) }, to = (body["reduce_to"] as? String).flatMap { Contracts($0) }
            guard (by == nil) != (to == nil) else { throw KalshiSimError.badRequest("give exactly one of reduce_by and reduce_to") }
            let order = try self.exchange { ex in
                guard let o = ex.order(id), o.userID == user else { throw KalshiSimError.notFound("order \(id) not found") }
                let target = to ?? max(.zero, o.remainingCount - (by ?? .zero))
                return try ex.decreaseOrder(id, user: user, to: target, now: ex.now)
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
            let result = try self.exchange { ex in
                guard let o = ex.order(id), o.userID == user else { throw KalshiSimError.notFound("order \(id) not found") }
                if let t = body["ticker"] as? String, t != o.ticker { throw KalshiSimError(.badRequest, "order_ticker_mismatch", "ticker does not match the order") }
                if let s = body["side"] as? String, s != o.side.rawValue { throw KalshiSimError(.badRequest, "order_side_mismatch", "side does not match the order") }
                return try ex.amendOrder(id, user: user, price: price, count: count, updatedClientOrderID: body["updated_client_order_id"] as? String,
                                         now: ex.now)
            }
            return self.respond(Self.created(result))
        }
        api.post("portfolio/orders") { request, _ -> Response in
            _ = try await self.gate(request, bucket: .write, cost: 100, signed: true)
            throw KalshiSimError(.gone, "deprecated", "Please switch to the V2 endpoints")
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
