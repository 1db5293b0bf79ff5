import Foundation
import KalshiSim
import NIOHTTP1
import SimExchange
import Testing

@Suite struct ShardTests {
    static let orders = "/trade-api/v2/portfolio/events/orders"

    func rest(_ sim: SimFixture, _ cid: String) async throws -> String {
        let body: [String: Any] = ["ticker": atm, "side": "bid", "count": "2", "price": "0.20", "time_in_force": "good_till_canceled",
                                   "self_trade_prevention_type": "taker_at_cross", "client_order_id": cid]
        let created = try await sim.call(.POST, Self.orders, body: body)
        return try #require(dict(created.json)["order_id"] as? String)
    }

    @Test func marketsEventsAndSeriesReportShardTwo() async throws {
        try await withSim { sim in
            let market = try await sim.call(.GET, "/trade-api/v2/markets/\(atm)", signed: false)
            #expect(dict(market.json["market"])["exchange_index"] as? Int == 2)
            let event = try await sim.call(.GET, "/trade-api/v2/events/KXBTCD-26SEP0920", signed: false)
            #expect(dict(event.json["event"])["exchange_index"] as? Int == 2)
            let series = try await sim.call(.GET, "/trade-api/v2/series/KXBTCD", signed: false)
            #expect(dict(series.json["series"])["exchange_index"] as? Int == 2)
            let status = try await sim.call(.GET, "/trade-api/v2/exchange/status", signed: false)
            #expect(list(status.json["exchange_index_statuses"]).compactMap { $0["exchange_index"] as? Int } == [0, 1, 2, 3])
            let id = try await rest(sim, "s-0")
            let order = try await sim.call(.GET, "/trade-api/v2/portfolio/orders/\(id)")
            #expect(dict(order.json["order"])["exchange_index"] as? Int == 2)
        }
    }

    @Test func writesRoutedToTheWrongShardAnswer404() async throws {
        try await withSim { sim in
            let id = try await rest(sim, "s-1")
            // Naming neither market_ticker nor exchange_index goes to shard 0, which does not know the order.
            for path in ["\(Self.orders)/\(id)", "\(Self.orders)/\(id)?exchange_index=0", "\(Self.orders)/\(id)?exchange_index=3"] {
                let r = try await sim.call(.DELETE, path)
                #expect(r.status == 404 && dict(r.json["error"])["code"] as? String == "not_found", "\(path)")
            }
            let decrease = try await sim.call(.POST, "\(Self.orders)/\(id)/decrease", body: ["reduce_by": "1"])
            #expect(decrease.status == 404)
            let amend = try await sim.call(.POST, "\(Self.orders)/\(id)/amend", body: ["side": "bid", "price": "0.21", "count": "2"])
            #expect(amend.status == 404)
            let batch = try await sim.call(.DELETE, "\(Self.orders)/batched", body: ["orders": [["order_id": id], ["order_id": id, "exchange_index": 1]]])
            #expect(list(batch.json["orders"]).map { dict($0["error"])["code"] as? String } == ["not_found", "not_found"])
            let create = try await sim.call(.POST, Self.orders, body: ["ticker": atm, "side": "bid", "count": "1", "price": "0.20",
                                                                       "time_in_force": "good_till_canceled", "self_trade_prevention_type": "maker",
                                                                       "exchange_index": 0])
            #expect(create.status == 404)
            let still = try await sim.call(.GET, "/trade-api/v2/portfolio/orders/\(id)")
            #expect(dict(still.json["order"])["status"] as? String == "resting" && dict(still.json["order"])["remaining_count_fp"] as? String == "2.00")

            // Routed by the market's ticker, or straight to shard 2, each write finds it.
            #expect(try await sim.call(.POST, "\(Self.orders)/\(id)/decrease", body: ["reduce_by": "1", "exchange_index": 2]).status == 200)
            #expect(try await sim.call(.POST, "\(Self.orders)/\(id)/amend", body: ["ticker": atm, "side": "bid", "price": "0.21", "count": "2"]).status == 200)
            let cancel = try await sim.call(.DELETE, "\(Self.orders)/\(id)?exchange_index=-1&market_ticker=\(atm)")
            #expect(cancel.status == 200 && dict(cancel.json)["reduced_by"] as? String == "2.00")
            let other = try await rest(sim, "s-2")
            let routed = try await sim.call(.DELETE, "\(Self.orders)/batched", body: ["orders": [["order_id": other, "market_ticker": atm]]])
            #expect(list(routed.json["orders"]).first?["error"] is NSNull)
        }
    }

    @Test func balancePerShardAndTransfersBetweenThem() async throws {
        try await withSim { sim in
            func shards(_ json: Any?) -> [Int: String] {
                Dictionary(uniqueKeysWithValues: list(dict(json)["balance_breakdown"]).map { ($0["exchange_index"] as? Int ?? -1, $0["balance"] as? String ?? "") })
            }
            let before = try await sim.call(.GET, "/trade-api/v2/portfolio/balance")
            #expect(dict(before.json)["balance"] as? Int == 100_000)
            #expect(shards(before.json) == [0: "0.0000", 1: "0.0000", 2: "1000.0000", 3: "0.0000"])
            let move: [String: Any] = ["source": "event_contract", "destination": "event_contract", "amount": 2_500_000,
                                       "source_exchange_shard": 2, "destination_exchange_shard": 0, "client_transfer_id": "5b1c6a38-0f6d-4a53-9d1e-3c1a5f6a7b80"]
            let transfer = try await sim.call(.POST, "/trade-api/v2/portfolio/intra_exchange_instance_transfer", body: move)
            #expect(transfer.status == 200 && dict(transfer.json)["transfer_id"] is String)
            let again = try await sim.call(.POST, "/trade-api/v2/portfolio/intra_exchange_instance_transfer", body: move)
            #expect(dict(again.json)["transfer_id"] as? String == dict(transfer.json)["transfer_id"] as? String)
            let after = try await sim.call(.GET, "/trade-api/v2/portfolio/balance")
            #expect(dict(after.json)["balance"] as? Int == 100_000)  // the sum over shards
            #expect(shards(after.json)[0] == "250.0000" && shards(after.json)[2] == "750.0000")
            let trading = try await sim.call(.GET, "/trade-api/v2/portfolio/balance?exchange_index=2")
            #expect(dict(trading.json)["balance"] as? Int == 75_000 && dict(trading.json)["balance_dollars"] as? String == "750.0000")
            var tooMuch = move
            tooMuch["amount"] = 2_500_001
            tooMuch["client_transfer_id"] = nil
            tooMuch["source_exchange_shard"] = 0
            tooMuch["destination_exchange_shard"] = 2
            let refused = try await sim.call(.POST, "/trade-api/v2/portfolio/intra_exchange_instance_transfer", body: tooMuch)
            #expect(refused.status == 400 && dict(refused.json["error"])["code"] as? String == "insufficient_balance", "\(refused.text)")
        }
    }

    @Test func reduceOnlyAnswersAsDocumented() async throws {
        try await withSim(makers: true) { sim in
            func order(_ side: String, _ count: String, _ price: String, _ tif: String, reduceOnly: Bool) -> [String: Any] {
                ["ticker": atm, "side": side, "count": count, "price": price, "time_in_force": tif,
                 "self_trade_prevention_type": "taker_at_cross", "reduce_only": reduceOnly]
            }
            let gtc = try await sim.call(.POST, Self.orders, body: order("ask", "1", "0.01", "good_till_canceled", reduceOnly: true))
            #expect(gtc.status == 400 && dict(gtc.json["error"])["code"] as? String == "invalid_order")
            let flat = try await sim.call(.POST, Self.orders, body: order("ask", "1", "0.01", "immediate_or_cancel", reduceOnly: true))
            #expect(flat.status == 400 && dict(flat.json["error"])["code"] as? String == "reduce_only_no_position")
            let buy = try await sim.call(.POST, Self.orders, body: order("bid", "3", "0.99", "immediate_or_cancel", reduceOnly: false))
            #expect(dict(buy.json)["fill_count"] as? String == "3.00")
            let close = try await sim.call(.POST, Self.orders, body: order("ask", "10", "0.01", "immediate_or_cancel", reduceOnly: true))
            #expect(close.status == 201 && dict(close.json)["fill_count"] as? String == "3.00")
            let positions = try await sim.call(.GET, "/trade-api/v2/portfolio/positions?ticker=\(atm)")
            #expect(list(positions.json["market_positions"]).first?["position_fp"] as? String == "0.00")
        }
    }
}
