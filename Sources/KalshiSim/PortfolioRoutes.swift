import Foundation
import Hummingbird
import HummingbirdWebSocket
import Money
import SimExchange

extension KalshiSimServer {
    func addPortfolioRoutes(_ api: RouterGroup<BasicWebSocketRequestContext>) {
        api.get("portfolio/balance") { request, _ -> Response in
            let user = try await self.gate(request, bucket: .read, signed: true)!
            let index = try Self.shardIndex(request.uri.queryParameters.get("exchange_index"))
            let json: JSON = try self.exchange { ex in
                ex.openAccount(user)
                if let index, !(0..<ex.config.shardCount).contains(index) {
                    throw KalshiSimError(.badRequest, "invalid_parameters", "exchange_index \(index) is not a shard")
                }
                // Without exchange_index: the sum over shards, and each shard in balance_breakdown.
                let b = index.map { ex.balance(user, shard: $0) } ?? ex.totalBalance(user)
                let value = index == nil || index == ex.config.exchangeIndex ? ex.portfolioValue(user) : .zero
                let breakdown: [JSON] = ex.shardBalances(user).map { .object([("exchange_index", .int(Int64($0.shard))), ("balance", .dollars($0.balance))]) }
                return .object([
                    ("balance", .int(b.cents)), ("balance_dollars", .dollars(b)), ("portfolio_value", .int(value.cents)),
                    ("updated_ts", .int(ex.accountUpdatedMs(user) / 1000)), ("balance_breakdown", .array(breakdown)),
                ])
            }
            return self.respond(json)
        }
        api.post("portfolio/intra_exchange_instance_transfer") { request, _ -> Response in
            let user = try await self.gate(request, bucket: .read, signed: true)!
            let body = try await self.jsonBody(request)
            guard body["source"] as? String == "event_contract", body["destination"] as? String == "event_contract" else {
                throw KalshiSimError(.badRequest, "invalid_parameters", "source and destination must be event_contract (the simulator has no margin account)")
            }
            guard let centicents = (body["amount"] as? NSNumber)?.int64Value else {
                throw KalshiSimError(.badRequest, "invalid_parameters", "amount is required, in centicents")
            }
            let from = try Self.shardIndex(body["source_exchange_shard"]) ?? 0, to = try Self.shardIndex(body["destination_exchange_shard"]) ?? 0
            let key = body["client_transfer_id"] as? String
            let id = try self.exchange { ex in
                try ex.transfer(user, amount: Dollars(micros: centicents * 100), from: from, to: to, clientTransferID: key, now: ex.now)
            }
            return self.respond(.object([("transfer_id", .string(id))]))
        }
        api.get("portfolio/positions") { request, _ -> Response in
            let user = try await self.gate(request, bucket: .read, signed: true)!
            let q = request.uri.queryParameters
            let ticker = q.get("ticker"), event = q.get("event_ticker")
            let filters = Set((q.get("count_filter") ?? "").split(separator: ",").map(String.init))
            let json: JSON = try self.exchange { ex in
                let all = ex.positions(user).filter { p in
                    (ticker == nil || p.ticker == ticker) && (event == nil || ex.market(p.ticker)?.eventTicker == event)
                        && (!filters.contains("position") || p.position != .zero)
                        && (!filters.contains("total_traded") || p.totalTraded != .zero)
                }
                let page = try Page(all, request: request, defaultLimit: 100, maxLimit: 1000)
                let byEvent = Dictionary(grouping: page.items) { ex.market($0.ticker)?.eventTicker ?? "" }
                return .object([
                    ("market_positions", .array(page.items.map { PortfolioViews.position($0, shard: ex.config.exchangeIndex) })),
                    ("event_positions", .array(byEvent.keys.sorted().map { PortfolioViews.eventPosition($0, byEvent[$0] ?? []) })),
                    ("cursor", .string(page.cursor)),
                ])
            }
            return self.respond(json)
        }
        api.get("portfolio/fills") { request, _ -> Response in
            let user = try await self.gate(request, bucket: .read, signed: true)!
            let q = request.uri.queryParameters
            let ticker = q.get("ticker"), orderID = q.get("order_id")
            let minTs = q.get("min_ts").flatMap { Int64($0) }, maxTs = q.get("max_ts").flatMap { Int64($0) }
            let json: JSON = try self.exchange { ex in
                let all = ex.fills(user).reversed().filter { f in
                    !self.archived(f) && (ticker == nil || f.ticker == ticker) && (orderID == nil || f.orderID == orderID)
                        && (minTs.map { f.createdMs / 1000 >= $0 } ?? true) && (maxTs.map { f.createdMs / 1000 <= $0 } ?? true)
                }
                let page = try Page(Array(all), request: request, defaultLimit: 100, maxLimit: 1000)
                return .object([("fills", .array(page.items.map { PortfolioViews.fill($0, shard: ex.config.exchangeIndex) })), ("cursor", .string(page.cursor))])
            }
            return self.respond(json)
        }
        api.get("portfolio/settlements") { request, _ -> Response in
            let user = try await self.gate(request, bucket: .read, signed: true)!
            let q = request.uri.queryParameters
            let ticker = q.get("ticker"), event = q.get("event_ticker")
            let json: JSON = try self.exchange { ex in
                let all = ex.settlements(user).reversed().filter { (ticker == nil || $0.ticker == ticker) && (event == nil || $0.eventTicker == event) }
                let page = try Page(Array(all), request: request, defaultLimit: 100, maxLimit: 1000)
                return .object([("settlements", .array(page.items.map { PortfolioViews.settlement($0, shard: ex.config.exchangeIndex) })), ("cursor", .string(page.cursor))])
            }
            return self.respond(json)
        }
        api.get("portfolio/orders") { request, _ -> Response in
            let user = try await self.gate(request, bucket: .read, signed: true)!
            let q = request.uri.queryParameters
            let ticker = q.get("ticker"), status = q.get("status")
            let events = q.get("event_ticker").map { Set($0.split(separator: ",").map(String.init)) }
            let minTs = q.get("min_ts").flatMap { Int64($0) }, maxTs = q.get("max_ts").flatMap { Int64($0) }
            let json: JSON = try self.exchange { ex in
                let all = ex.orders(user).reversed().filter { o in
                    !self.archived(o) && (ticker == nil || o.ticker == ticker) && (status == nil || o.status.rawValue == status)
                        && (events.map { $0.contains(ex.market(o.ticker)?.eventTicker ?? "") } ?? true)
                        && (minTs.map { o.createdMs / 1000 >= $0 } ?? true) && (maxTs.map { o.createdMs / 1000 <= $0 } ?? true)
                }
                let page = try Page(Array(all), request: request, defaultLimit: 100, maxLimit: 1000)
                return .object([("orders", .array(page.items.map { PortfolioViews.order($0, shard: ex.config.exchangeIndex) })), ("cursor", .string(page.cursor))])
            }
            return self.respond(json)
        }
        api.get("portfolio/orders/:order") { request, context -> Response in
            let user = try await self.gate(request, bucket: .read, signed: true)!
            let id = try context.parameters.require("order")
            let json: JSON = try self.exchange { ex in
                guard let o = ex.order(id), o.userID == user else { throw KalshiSimError.notFound("order \(id) not found") }
                return .object([("order", PortfolioViews.order(o, shard: ex.config.exchangeIndex))])
            }
            return self.respond(json)
        }
    }
}
