import Hummingbird
import HummingbirdWebSocket
import Money
import SimExchange

extension KalshiSimServer {
    func addMarketRoutes(_ api: RouterGroup<BasicWebSocketRequestContext>) {
        api.get("exchange/status") { request, _ -> Response in
            _ = try await self.gate(request, bucket: .read, signed: false)
            let names = ["Default", "Combos", "Crypto", "Tennis and baseball"]
            let shards: [JSON] = (0..<self.options.exchange.shardCount).map { i in
                .object([("exchange_index", .int(Int64(i))), ("description", .string(i < names.count ? names[i] : "Shard \(i)")),
                         ("exchange_active", .bool(true)), ("trading_active", .bool(true)), ("intra_exchange_transfers_active", .bool(true))])
            }
            return self.respond(.object([
                ("exchange_active", .bool(true)), ("trading_active", .bool(true)), ("intra_exchange_transfers_active", .bool(true)),
                ("exchange_estimated_resume_time", .null), ("exchange_index_statuses", .array(shards)),
            ]))
        }
        api.get("series") { request, _ -> Response in
            _ = try await self.gate(request, bucket: .read, signed: false)
            return self.respond(.object([("series", .array([MarketViews.series(self.options.exchange.seriesTicker, shard: self.options.exchange.exchangeIndex)]))]))
        }
        api.get("series/:series") { request, context -> Response in
            _ = try await self.gate(request, bucket: .read, signed: false)
            let s = try context.parameters.require("series")
            guard s == self.options.exchange.seriesTicker else { throw KalshiSimError.notFound("series \(s) not found") }
            return self.respond(.object([("series", MarketViews.series(s, shard: self.options.exchange.exchangeIndex))]))
        }
        api.get("events") { request, _ -> Response in
            _ = try await self.gate(request, bucket: .read, signed: false)
            let q = request.uri.queryParameters
            let nested = q.get("with_nested_markets") == "true"
            let status = q.get("status"), series = q.get("series_ticker")
            let tickers = q.get("tickers").map { Set($0.split(separator: ",").map(String.init)) }
            let json: JSON = try self.exchange { ex in
                let events = ex.allEvents.filter { e in
                    let ms = e.marketTickers.compactMap { ex.market($0) }
                    return (series == nil || e.seriesTicker == series) && (tickers?.contains(e.eventTicker) ?? true)
                        && (status == nil || ms.contains { Self.matches($0, status: status!) })
                }
                let page = try Page(events, request: request, defaultLimit: 200, maxLimit: 200)
                let list = page.items.map { e in
                    MarketViews.event(e, markets: nested ? e.marketTickers.compactMap { ex.market($0).map { MarketViews.market($0, ex) } } : nil,
                                     shard: ex.config.exchangeIndex)
                }
                return .object([("events", .array(list)), ("cursor", .string(page.cursor)), ("milestones", .array([]))])
            }
            return self.respond(json)
        }
        api.get("events/:event") { request, context -> Response in
            _ = try await self.gate(request, bucket: .read, signed: false)
            let t = try context.parameters.require("event")
            let nested = request.uri.queryParameters.get("with_nested_markets") == "true"
            let json: JSON = try self.exchange { ex in
                guard let e = ex.event(t) else { throw KalshiSimError.notFound("event \(t) not found") }
                let markets = e.marketTickers.compactMap { ex.market($0).map { MarketViews.market($0, ex) } }
                return .object([("event", MarketViews.event(e, markets: nested ? markets : nil, shard: ex.config.exchangeIndex)), ("markets", .array(nested ? [] : markets))])
            }
            return self.respond(json)
        }
        api.get("markets") { request, _ -> Response in
            _ = try await self.gate(request, bucket: .read, signed: false)
            let q = request.uri.queryParameters
            let status = q.get("status"), event = q.get("event_ticker"), series = q.get("series_ticker")
            if let status, !["unopened", "open", "paused", "closed", "settled"].contains(status) {
                throw KalshiSimError.badRequest("invalid status filter '\(status)'")
            }
            let tickers = q.get("tickers").map { Set($0.split(separator: ",").map(String.init)) }
            let minClose = q.get("min_close_ts").flatMap { Int64($0) }, maxClose = q.get("max_close_ts").flatMap { Int64($0) }
            let json: JSON = try self.exchange { ex in
                let markets = ex.allMarkets.filter { m in
                    (event == nil || m.eventTicker == event) && (series == nil || m.ticker.hasPrefix(series! + "-"))
                        && (tickers?.contains(m.ticker) ?? true) && (status == nil || Self.matches(m, status: status!))
                        && (minClose.map { m.closeMs / 1000 >= $0 } ?? true) && (maxClose.map { m.closeMs / 1000 <= $0 } ?? true)
                }
                let page = try Page(markets, request: request, defaultLimit: 100, maxLimit: 1000)
                return .object([("markets", .array(page.items.map { MarketViews.market($0, ex) })), ("cursor", .string(page.cursor))])
            }
            return self.respond(json)
        }
        api.get("markets/trades") { request, _ -> Response in
            _ = try await self.gate(request, bucket: .read, signed: false)
            let ticker = request.uri.queryParameters.get("ticker")
            let json: JSON = try self.exchange { ex in
                let trades = ex.allTrades.reversed().filter { ticker == nil || $0.ticker == ticker }
                let page = try Page(Array(trades), request: request, defaultLimit: 100, maxLimit: 1000)
                return .object([("trades", .array(page.items.map(Self.trade))), ("cursor", .string(page.cursor))])
            }
            return self.respond(json)
        }
        api.get("markets/orderbooks") { request, _ -> Response in
            _ = try await self.gate(request, bucket: .read, signed: false)
            let tickers = request.uri.queryParameters.getAll("tickers").flatMap { $0.split(separator: ",").map(String.init) }
            guard (1...100).contains(tickers.count) else { throw KalshiSimError.badRequest("tickers must list 1 to 100 markets") }
            let json: JSON = try self.exchange { ex in
                .object([("orderbooks", .array(tickers.compactMap { t in
                    ex.book(t).map { .object([("ticker", .string(t)), ("orderbook_fp", MarketViews.orderbook($0, depth: 0))]) }
                }))])
            }
            return self.respond(json)
        }
        api.get("account/limits") { request, _ -> Response in
            _ = try await self.gate(request, bucket: .read, signed: true)
            let l = self.options.rateLimits
            func bucket(_ rate: Int64) -> JSON { .object([("refill_rate", .int(rate)), ("bucket_capacity", .int(rate * l.capacitySeconds))]) }
            return self.respond(.object([("usage_tier", .string("basic")), ("read", bucket(l.readRate)), ("write", bucket(l.writeRate)),
                                         ("grants", .array([]))]))
        }
        api.get("exchange/schedule") { request, _ -> Response in
            _ = try await self.gate(request, bucket: .read, signed: false)
            let day: JSON = .array([.object([("open_time", .string("00:00")), ("close_time", .string("23:59"))])])
            let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].map { ($0, day) }
            let week: JSON = .object([("start_time", .string("2020-01-01T00:00:00Z")), ("end_time", .string("2100-01-01T00:00:00Z"))] + days)
            return self.respond(.object([("schedule", .object([("standard_hours", .array([week])), ("maintenance_windows", .array([]))]))]))
        }
        api.get("markets/:ticker") { request, context -> Response in
            _ = try await self.gate(request, bucket: .read, signed: false)
            let t = try context.parameters.require("ticker")
            let json: JSON = try self.exchange { ex in
                guard let m = ex.market(t) else { throw KalshiSimError.notFound("market \(t) not found") }
                return .object([("market", MarketViews.market(m, ex))])
            }
            return self.respond(json)
        }
        api.get("markets/:ticker/orderbook") { request, context -> Response in
            _ = try await self.gate(request, bucket: .read, signed: false)
            let t = try context.parameters.require("ticker")
            let depth = request.uri.queryParameters.get("depth").flatMap { Int($0) } ?? 0
            let json: JSON = try self.exchange { ex in
                guard let book = ex.book(t) else { throw KalshiSimError.notFound("market \(t) not found") }
                return .object([("orderbook_fp", MarketViews.orderbook(book, depth: depth))])
            }
            return self.respond(json)
        }
    }

    /// Kalshi's status filter words against stored statuses.
    static func matches(_ m: SimMarket, status: String) -> Bool {
        switch status {
        case "unopened": m.status == .initialized
        case "open": m.status == .active
        case "closed": m.status == .closed || m.status == .determined
        case "settled": m.status == .finalized
        default: false
        }
    }

    static func trade(_ t: SimTrade) -> JSON {
        let taker: OutcomeSide = t.takerSide == .bid ? .yes : .no
        return .object([
            ("trade_id", .string(t.tradeID)), ("ticker", .string(t.ticker)), ("count_fp", .count(t.count)),
            ("yes_price_dollars", .dollars(t.price)), ("no_price_dollars", .dollars(oneDollar - t.price)),
            ("taker_outcome_side", .string(taker.rawValue)), ("taker_book_side", .string(t.takerSide.rawValue)),
            ("taker_side", .string(taker.rawValue)), ("created_time", .time(t.createdMs)), ("is_block_trade", .bool(false)),
        ])
    }
}
