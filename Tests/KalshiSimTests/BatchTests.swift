import Foundation
import KalshiSim
import NIOHTTP1
import SimExchange
import Testing

@Suite struct BatchTests {
    @Test func batchCreateReportsPerItemErrorsAndBatchCancelCancels() async throws {
        try await withSim { sim in
            func order(_ price: String, _ cid: String) -> [String: Any] {
                ["ticker": atm, "side": "bid", "count": "2", "price": price, "time_in_force": "good_till_canceled",
                 "self_trade_prevention_type": "taker_at_cross", "client_order_id": cid]
            }
            let batch = try await sim.call(.POST, "/trade-api/v2/portfolio/events/orders/batched",
                                           body: ["orders": [order("0.30", "b-1"), order("0.31", "b-1"), order("1.50", "b-3")]])
            #expect(batch.status == 201)
            let items = list(batch.json["orders"])
            #expect(items.count == 3)
            #expect(items[0]["error"] is NSNull)
            #expect(dict(items[1]["error"])["code"] as? String == "order_already_exists")
            #expect(dict(items[2]["error"])["code"] as? String == "invalid_order")
            let id = try #require(items[0]["order_id"] as? String)

            let cancel = try await sim.call(.DELETE, "/trade-api/v2/portfolio/events/orders/batched",
                                            body: ["orders": [["order_id": id, "market_ticker": atm], ["order_id": "missing", "market_ticker": atm]]])
            #expect(cancel.status == 200)
            let results = list(cancel.json["orders"])
            #expect(results.first?["reduced_by"] as? String == "2.00")
            #expect(dict(results.last?["error"])["code"] as? String == "not_found")
            let o = try await sim.call(.GET, "/trade-api/v2/portfolio/orders/\(id)")
            #expect(dict(o.json["order"])["status"] as? String == "canceled")
        }
    }

    @Test func decreaseShrinksARestingOrder() async throws {
        try await withSim { sim in
            let body: [String: Any] = ["ticker": atm, "side": "ask", "count": "10", "price": "0.70", "time_in_force": "good_till_canceled",
                                       "self_trade_prevention_type": "maker"]
            let created = try await sim.call(.POST, "/trade-api/v2/portfolio/events/orders", body: body)
            let id = try #require(dict(created.json)["order_id"] as? String)
            let by = try await sim.call(.POST, "/trade-api/v2/portfolio/events/orders/\(id)/decrease", body: ["reduce_by": "4", "market_ticker": atm])
            #expect(by.status == 200)
            #expect(dict(by.json)["remaining_count"] as? String == "6.00")
            let to = try await sim.call(.POST, "/trade-api/v2/portfolio/events/orders/\(id)/decrease", body: ["reduce_to": "1", "market_ticker": atm])
            #expect(dict(to.json)["remaining_count"] as? String == "1.00")
            let book = try await sim.call(.GET, "/trade-api/v2/markets/\(atm)/orderbook", signed: false)
            #expect(dict(book.json["orderbook_fp"])["no_dollars"] as? [[String]] == [["0.3000", "1.00"]])
            let both = try await sim.call(.POST, "/trade-api/v2/portfolio/events/orders/\(id)/decrease", body: ["reduce_by": "1", "reduce_to": "0", "market_ticker": atm])
            #expect(both.status == 400)
        }
    }

    @Test func amendMovesAnOrder() async throws {
        try await withSim { sim in
            let body: [String: Any] = ["ticker": atm, "side": "bid", "count": "3", "price": "0.20", "time_in_force": "good_till_canceled",
                                       "self_trade_prevention_type": "maker", "client_order_id": "am-1"]
            let created = try await sim.call(.POST, "/trade-api/v2/portfolio/events/orders", body: body)
            let id = try #require(dict(created.json)["order_id"] as? String)
            let amend: [String: Any] = ["ticker": atm, "side": "bid", "price": "0.25", "count": "4", "client_order_id": "am-1",
                                        "updated_client_order_id": "am-2"]
            let r = try await sim.call(.POST, "/trade-api/v2/portfolio/events/orders/\(id)/amend", body: amend)
            #expect(r.status == 200)
            #expect(dict(r.json)["remaining_count"] as? String == "4.00")
            #expect(dict(r.json)["client_order_id"] as? String == "am-2")
            let book = try await sim.call(.GET, "/trade-api/v2/markets/\(atm)/orderbook", signed: false)
            #expect(dict(book.json["orderbook_fp"])["yes_dollars"] as? [[String]] == [["0.2500", "4.00"]])
            let wrongSide = try await sim.call(.POST, "/trade-api/v2/portfolio/events/orders/\(id)/amend", body: ["ticker": atm, "side": "ask", "price": "0.3", "count": "4"])
            #expect(dict(wrongSide.json["error"])["code"] as? String == "order_side_mismatch")
        }
    }
}
