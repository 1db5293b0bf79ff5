import AsyncHTTPClient
import Foundation
import KalshiSim
import NIOHTTP1
import SimExchange
import Testing
import _CryptoExtras

@Suite struct RESTTests {
    @Test func signedOrderRoundTrip() async throws {
        try await withSim { sim in
            let body: [String: Any] = ["ticker": atm, "side": "bid", "count": "5", "price": "0.4200", "time_in_force": "good_till_canceled",
                                       "self_trade_prevention_type": "taker_at_cross", "client_order_id": "cid-1"]
            let created = try await sim.call(.POST, "/trade-api/v2/portfolio/events/orders", body: body)
            #expect(created.status == 201)
            let order = dict(created.json)
            #expect(order["fill_count"] as? String == "0.00")
            #expect(order["remaining_count"] as? String == "5.00")
            #expect(order["client_order_id"] as? String == "cid-1")
            #expect(order["ts_ms"] is NSNumber)
            let id = try #require(order["order_id"] as? String)

            let fetched = try await sim.call(.GET, "/trade-api/v2/portfolio/orders/\(id)")
            let o = dict(fetched.json["order"])
            #expect(o["status"] as? String == "resting")
            #expect(o["book_side"] as? String == "bid")
            #expect(o["outcome_side"] as? String == "yes")
            #expect(o["yes_price_dollars"] as? String == "0.4200")
            #expect(o["no_price_dollars"] as? String == "0.5800")

            let book = try await sim.call(.GET, "/trade-api/v2/markets/\(atm)/orderbook", signed: false)
            #expect(dict(book.json["orderbook_fp"])["yes_dollars"] as? [[String]] == [["0.4200", "5.00"]])

            let balance = try await sim.call(.GET, "/trade-api/v2/portfolio/balance")
            #expect(dict(balance.json)["balance"] as? Int == 99790)
            #expect(dict(balance.json)["balance_dollars"] as? String == "997.9000")

            let cancel = try await sim.call(.DELETE, "/trade-api/v2/portfolio/events/orders/\(id)?market_ticker=\(atm)")
            #expect(cancel.status == 200)
            #expect(dict(cancel.json)["reduced_by"] as? String == "5.00")
            let orders = try await sim.call(.GET, "/trade-api/v2/portfolio/orders?status=canceled")
            #expect(list(orders.json["orders"]).map { $0["order_id"] as? String } == [id])
        }
    }

    @Test func takerFillShowsInFillsAndPositions() async throws {
        try await withSim(makers: true) { sim in
            let body: [String: Any] = ["ticker": atm, "side": "bid", "count": "10", "price": "0.99", "time_in_force": "immediate_or_cancel",
                                       "self_trade_prevention_type": "taker_at_cross"]
            let created = try await sim.call(.POST, "/trade-api/v2/portfolio/events/orders", body: body)
            #expect(created.status == 201)
            #expect(dict(created.json)["fill_count"] as? String == "10.00")
            #expect(dict(created.json)["average_fill_price"] as? String == "0.520000")
            let fills = try await sim.call(.GET, "/trade-api/v2/portfolio/fills")
            let f = try #require(list(fills.json["fills"]).first)
            #expect(f["count_fp"] as? String == "10.00")
            #expect(f["is_taker"] as? Bool == true)
            #expect(f["fee_cost"] as? String == "0.1800")  // 0.07 × 10 × 0.52 × 0.48 = 0.1747
            let positions = try await sim.call(.GET, "/trade-api/v2/portfolio/positions")
            #expect(list(positions.json["market_positions"]).first?["position_fp"] as? String == "10.00")
            #expect(list(positions.json["event_positions"]).first?["event_ticker"] as? String == "KXBTCD-26SEP0920")
        }
    }

    @Test func badSignatureAndStaleTimestampAre401() async throws {
        try await withSim { sim in
            let other = try await TestKeys.other.value
            let forged = try await sim.call(.GET, "/trade-api/v2/portfolio/balance", key: other)
            #expect(forged.status == 401)
            #expect(dict(forged.json["error"])["code"] as? String == "authentication_error")
            let stale = try await sim.call(.GET, "/trade-api/v2/portfolio/balance", timestampMs: sim.clock.now - 60_000)
            #expect(stale.status == 401)
            let unsigned = try await sim.call(.GET, "/trade-api/v2/portfolio/balance", signed: false)
            #expect(unsigned.status == 401)
            // The query string is not signed.
            let withQuery = try await sim.call(.GET, "/trade-api/v2/portfolio/orders?limit=5")
            #expect(withQuery.status == 200)
        }
    }

    @Test func repeatedClientOrderIDIs409() async throws {
        try await withSim { sim in
            let body: [String: Any] = ["ticker": atm, "side": "ask", "count": "1", "price": "0.60", "time_in_force": "good_till_canceled",
                                       "self_trade_prevention_type": "maker", "client_order_id": "same"]
            #expect(try await sim.call(.POST, "/trade-api/v2/portfolio/events/orders", body: body).status == 201)
            let again = try await sim.call(.POST, "/trade-api/v2/portfolio/events/orders", body: body)
            #expect(again.status == 409)
            #expect(dict(again.json["error"])["code"] as? String == "order_already_exists")
            #expect(dict(again.json["error"])["message"] is String)
        }
    }

    @Test func burstIsLimitedWith429() async throws {
        var limits = RateLimits()
        limits.readRate = 20  // 40 tokens: four reads at cost 10, then nothing until the (frozen) clock moves
        try await withSim(rateLimits: limits) { sim in
            var statuses: [Int] = []
            for _ in 0..<6 { statuses.append(try await sim.call(.GET, "/trade-api/v2/exchange/status", signed: false).status) }
            #expect(statuses == [200, 200, 200, 200, 429, 429])
            let limited = try await sim.call(.GET, "/trade-api/v2/exchange/status", signed: false)
            #expect(limited.text == #"{"error":"too many requests"}"#)
            sim.clock.advance(500)  // refills 10 tokens
            #expect(try await sim.call(.GET, "/trade-api/v2/exchange/status", signed: false).status == 200)
            // Another user's bucket is separate.
            #expect(try await sim.call(.GET, "/trade-api/v2/portfolio/balance").status == 200)
        }
    }

    @Test func marketsPaginateWithCursors() async throws {
        try await withSim { sim in
            var cursor = "", tickers: [String] = [], pages = 0
            repeat {
                let r = try await sim.call(.GET, "/trade-api/v2/markets?event_ticker=KXBTCD-26SEP0920&limit=5&cursor=\(cursor)", signed: false)
                #expect(r.status == 200)
                tickers += list(r.json["markets"]).compactMap { $0["ticker"] as? String }
                cursor = r.json["cursor"] as? String ?? ""
                pages += 1
            } while !cursor.isEmpty && pages < 10
            #expect(pages == 4)
            #expect(tickers.count == 17)
            #expect(Set(tickers).count == 17)
            #expect(tickers.contains(atm))
            let bad = try await sim.call(.GET, "/trade-api/v2/markets?status=active", signed: false)
            #expect(bad.status == 400)
        }
    }

    @Test func eventsMarketsAndSeriesCarryKalshiFields() async throws {
        try await withSim { sim in
            let events = try await sim.call(.GET, "/trade-api/v2/events?series_ticker=KXBTCD&status=open&with_nested_markets=true", signed: false)
            let e = try #require(list(events.json["events"]).first)
            #expect(e["event_ticker"] as? String == "KXBTCD-26SEP0920")
            #expect(e["strike_date"] as? String == "2026-09-10T00:00:00Z")
            let m = try #require(list(e["markets"]).first { $0["ticker"] as? String == atm })
            #expect(m["status"] as? String == "active")
            #expect(m["close_time"] as? String == "2026-09-10T00:00:00Z")
            #expect(m["open_time"] as? String == "2026-09-09T23:00:00Z")
            #expect((m["floor_strike"] as? NSNumber)?.doubleValue == 99999.99)
            #expect(m["yes_bid_dollars"] as? String == "0.0000")
            #expect(m["no_ask_dollars"] as? String == "1.0000")
            #expect(m["settlement_bounds_type"] as? String == "default")
            let one = try await sim.call(.GET, "/trade-api/v2/markets/\(atm)", signed: false)
            #expect(dict(one.json["market"])["ticker"] as? String == atm)
            let missing = try await sim.call(.GET, "/trade-api/v2/markets/NOPE", signed: false)
            #expect(missing.status == 404)
            #expect(dict(missing.json["error"])["code"] as? String == "not_found")
            let series = try await sim.call(.GET, "/trade-api/v2/series/KXBTCD", signed: false)
            #expect(dict(series.json["series"])["fee_type"] as? String == "quadratic")
            let legacy = try await sim.call(.POST, "/trade-api/v2/portfolio/orders", body: ["ticker": atm])
            #expect(legacy.status == 410)
        }
    }

    @Test func settlesThroughTheClockAndReportsSettlements() async throws {
        try await withSim(makers: true) { sim in
            let body: [String: Any] = ["ticker": atm, "side": "bid", "count": "2", "price": "0.60", "time_in_force": "fill_or_kill",
                                       "self_trade_prevention_type": "taker_at_cross"]
            #expect(try await sim.call(.POST, "/trade-api/v2/portfolio/events/orders", body: body).status == 201)
            sim.clock.advance(1_800_000)
            let closed = try await sim.call(.GET, "/trade-api/v2/markets/\(atm)", signed: false)
            #expect(dict(closed.json["market"])["status"] as? String == "determined")
            sim.clock.advance(60_000)
            let s = try await sim.call(.GET, "/trade-api/v2/portfolio/settlements")
            let item = try #require(list(s.json["settlements"]).first)
            #expect(item["market_result"] as? String == "yes")  // $100,000 average > $99,999.99
            #expect(item["revenue"] as? Int == 200)
            #expect(item["yes_count_fp"] as? String == "2.00")
            let m = try await sim.call(.GET, "/trade-api/v2/markets/\(atm)", signed: false)
            #expect(dict(m.json["market"])["status"] as? String == "finalized")
            #expect(dict(m.json["market"])["result"] as? String == "yes")
            let next = try await sim.call(.GET, "/trade-api/v2/markets?series_ticker=KXBTCD&status=open", signed: false)
            #expect(list(next.json["markets"]).first?["event_ticker"] as? String == "KXBTCD-26SEP0921")
        }
    }

    @Test func injectedErrorsAnswer503() async throws {
        var faults = FaultSettings()
        faults.errorRate = 1
        try await withSim(faults: faults) { sim in
            let r = try await sim.call(.GET, "/trade-api/v2/exchange/status", signed: false)
            #expect(r.status == 503)
            #expect(dict(r.json["error"])["code"] as? String == "service_unavailable")
        }
    }
}
