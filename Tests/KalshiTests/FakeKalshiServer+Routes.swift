import Foundation
import Synchronization
import Hummingbird

extension FakeKalshiServer {
    static let event = "KXBTCD-25MAY1522"

    /// A market as Kalshi sends it, with fields our models do not know.
    static func marketJSON(_ strike: String) -> String {
        """
        {"ticker":"\(event)-T\(strike)","event_ticker":"\(event)","market_type":"binary","status":"active",
         "open_time":"2025-05-16T01:00:00Z","close_time":"2025-05-16T02:00:00Z",
         "created_time":"2025-05-15T20:01:57.529868Z","strike_type":"greater","floor_strike":\(strike),
         "yes_bid_dollars":"0.4200","yes_ask_dollars":"0.4400","no_bid_dollars":"0.5600","no_ask_dollars":"0.5800",
         "yes_bid_size_fp":"13.00","yes_ask_size_fp":"5.50","volume_fp":"1234.00","result":"",
         "price_ranges":[{"start":"0.0000","end":"1.0000","step":"0.0100"}],"brand_new_field":{"x":[1,2]},
         "settlement_bounds_type":"default","liquidity_dollars":"0.0000"}
        """
    }

    /// Pages of `GET /markets`, keyed by the cursor asked for ("" = first page).
    static let marketPages: [String: (strikes: [String], next: String?)] = [
        "": (["105999.99", "106249.99"], "\"c2\""),
        "c2": (["106499.99", "106749.99"], "\"c3\""),
        "c3": (["106999.99"], "\"\""),
    ]

    func route(_ method: String, _ path: String, _ query: [String: String], _ body: String) -> Response {
        switch (method, path) {
        case ("GET", "/exchange/status"):
            return json(200, #"{"exchange_active":true,"trading_active":false,"exchange_estimated_resume_time":null}"#)
        case ("GET", "/series/KXBTCD"):
            return json(200, #"{"series":{"ticker":"KXBTCD","frequency":"hourly","title":"Bitcoin price Above/below","fee_type":"quadratic","fee_multiplier":1,"tags":null}}"#)
        case ("GET", "/markets"):
            guard let page = Self.marketPages[query["cursor"] ?? ""] else { return json(400, #"{"code":"bad_cursor","message":"bad cursor"}"#) }
            return json(200, #"{"markets":[\#(page.strikes.map(Self.marketJSON).joined(separator: ","))],"cursor":\#(page.next ?? "null")}"#)
        case ("GET", "/events"):
            if query["cursor"] == "e2" {
                return json(200, #"{"events":[{"event_ticker":"KXBTCD-25MAY1523","series_ticker":"KXBTCD","markets":[]}],"cursor":null}"#)
            }
            let markets = ["105999.99", "106249.99", "106499.99"].map(Self.marketJSON).joined(separator: ",")
            return json(200, #"{"events":[{"event_ticker":"\#(Self.event)","series_ticker":"KXBTCD","mutually_exclusive":false,"strike_date":"2025-05-16T02:00:00Z","markets":[\#(markets)]}],"cursor":"e2"}"#)
        case ("GET", "/events/\(Self.event)"):
            return json(200, #"{"event":{"event_ticker":"\#(Self.event)"},"markets":[\#(Self.marketJSON("106249.99"))]}"#)
        case ("GET", "/markets/\(Self.event)-T106249.99"):
            return json(200, #"{"market":\#(Self.marketJSON("106249.99"))}"#)
        case ("GET", "/markets/\(Self.event)-T106249.99/orderbook"):
            return json(200, #"{"orderbook_fp":{"yes_dollars":[["0.4000","10.00"],["0.4200","13.00"]],"no_dollars":[["0.5500","2.00"],["0.5600","7.50"]]}}"#)
        case ("GET", "/markets/orderbooks"):
            return json(200, #"{"orderbooks":[{"ticker":"A","orderbook_fp":{"yes_dollars":[["0.1000","1.00"]]}},{"ticker":"B","orderbook_fp":{}}]}"#)
        case ("GET", "/portfolio/balance"):
            return json(200, #"{"balance":123456,"balance_dollars":"1234.5678","portfolio_value":5000,"updated_ts":1747360800,"balance_breakdown":[{"exchange_index":0,"balance":"34.5678"},{"exchange_index":2,"balance":"1200.0000"}]}"#)
        case ("GET", "/portfolio/positions"):
            return json(200, #"{"market_positions":[{"ticker":"\#(Self.event)-T106249.99","position_fp":"-3.00","market_exposure_dollars":"1.6800","last_updated_ts":"2025-05-16T01:10:00Z"}],"event_positions":[{"event_ticker":"\#(Self.event)","total_cost_dollars":"1.6800"}],"cursor":""}"#)
        case ("GET", "/portfolio/fills"):
            return json(200, #"{"fills":[{"fill_id":"f1","trade_id":"f1","order_id":"o1","ticker":"\#(Self.event)-T106249.99","outcome_side":"no","book_side":"ask","count_fp":"3.00","yes_price_dollars":"0.4400","no_price_dollars":"0.5600","is_taker":true,"fee_cost":"0.0500","ts":1747360200}],"cursor":""}"#)
        case ("GET", "/portfolio/settlements"):
            return json(200, #"{"settlements":[{"ticker":"\#(Self.event)-T106249.99","event_ticker":"\#(Self.event)","market_result":"no","no_count_fp":"3.00","no_total_cost_dollars":"1.6800","revenue":300,"value":0,"settled_time":"2025-05-16T02:01:00Z","fee_cost":"0.0500"}]}"#)
        case ("GET", "/portfolio/orders"):
            let list = orders.filter { query["ticker"] == nil || $0["ticker"] == query["ticker"] }.map(Self.orderJSON)
            return json(200, #"{"orders":[\#(list.joined(separator: ","))],"cursor":""}"#)
        case ("POST", "/portfolio/events/orders"):
            return create(body)
        case ("DELETE", _) where path.hasPrefix("/portfolio/events/orders/") && !path.hasSuffix("batched"):
            // Cancels a resting order; an unknown or already cancelled one is "not found", as Kalshi answers.
            let id = String(path.dropFirst("/portfolio/events/orders/".count))
            let canceled = state.withLock { s -> [String: String]? in
                guard let i = s.orders.firstIndex(where: { $0["order_id"] == id && $0["status"] != "canceled" }) else { return nil }
                s.orders[i]["status"] = "canceled"
                return s.orders[i]
            }
            guard let o = canceled else { return json(404, #"{"error":{"code":"not_found","message":"order not found"}}"#) }
            return json(200, #"{"order_id":"\#(id)","client_order_id":"\#(o["client_order_id"]!)","reduced_by":"\#(o["count"]!)","ts_ms":1747360800123}"#)
        case ("DELETE", "/portfolio/events/orders/batched"):
            let items = ((try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["orders"] as? [[String: Any]]) ?? []
            let answers = items.map { item -> String in
                let id = item["order_id"] as? String ?? ""
                let one = route("DELETE", "/portfolio/events/orders/\(id)", [:], "")
                let found = one.status == .ok
                return found ? #"{"order_id":"\#(id)","reduced_by":"1.00","error":null}"#
                    : #"{"order_id":"\#(id)","reduced_by":"0.00","error":{"code":"not_found","message":"order not found","details":""}}"#
            }
            return json(200, #"{"orders":[\#(answers.joined(separator: ","))]}"#)
        case ("POST", _) where path.hasPrefix("/portfolio/events/orders/") && path.hasSuffix("/amend"):
            let id = path.split(separator: "/")[3]
            return json(200, #"{"order_id":"\#(id)","client_order_id":"am-2","remaining_count":"4.00","fill_count":"0.00","ts_ms":1747360800123}"#)
        case ("POST", _) where path.hasPrefix("/portfolio/events/orders/") && path.hasSuffix("/decrease"):
            let id = path.split(separator: "/")[3]
            return json(200, #"{"order_id":"\#(id)","client_order_id":"d-1","remaining_count":"1.00","ts_ms":1747360800123}"#)
        case ("POST", "/portfolio/intra_exchange_instance_transfer"):
            return json(200, #"{"transfer_id":"tr-1"}"#)
        case ("POST", "/portfolio/events/orders/batched"):
            guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
                let list = object["orders"] as? [[String: Any]]
            else { return json(400, #"{"error":{"code":"invalid_order","message":"no orders"}}"#) }
            let items = list.map { o -> String in
                if o["price"] as? String == "0.0000" { return #"{"order_id":null,"error":{"code":"invalid_order","message":"bad price"}}"# }
                let (status, text) = createOne(o)
                return status == 201 ? text : #"{"order_id":null,"client_order_id":null,"error":\#(text.dropFirst(9).dropLast())}"#
            }
            return json(201, #"{"orders":[\#(items.joined(separator: ","))]}"#)
        default:
            if method == "GET", path.hasPrefix("/portfolio/orders/") {
                let id = String(path.dropFirst("/portfolio/orders/".count))
                guard let o = orders.first(where: { $0["order_id"] == id }) else { return json(404, #"{"error":{"code":"not_found","message":"order not found"}}"#) }
                return json(200, #"{"order":\#(Self.orderJSON(o))}"#)
            }
            return json(404, #"{"error":{"code":"not_found","message":"no route \#(method) \#(path)"}}"#)
        }
    }

    static func orderJSON(_ o: [String: String]) -> String {
        #"{"order_id":"\#(o["order_id"]!)","client_order_id":"\#(o["client_order_id"]!)","ticker":"\#(o["ticker"]!)","status":"\#(o["status"] ?? "resting")","book_side":"\#(o["side"]!)","outcome_side":"yes","yes_price_dollars":"\#(o["price"]!)","fill_count_fp":"0.00","remaining_count_fp":"\#(o["count"]!)","initial_count_fp":"\#(o["count"]!)","type":"limit"}"#
    }

    /// V2 create: refuses a repeated `client_order_id` with 409, as Kalshi does.
    private func create(_ body: String) -> Response {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            return json(400, #"{"error":{"code":"invalid_order","message":"not JSON"}}"#)
        }
        let (status, text) = createOne(object)
        return json(status, text)
    }

    /// Creates one order from a decoded body; answers the status and body Kalshi would send.
    private func createOne(_ object: [String: Any]) -> (Int, String) {
        guard let ticker = object["ticker"] as? String, let cid = object["client_order_id"] as? String,
            let count = object["count"] as? String, let price = object["price"] as? String, let side = object["side"] as? String,
            object["time_in_force"] is String, object["self_trade_prevention_type"] is String
        else { return (400, #"{"error":{"code":"invalid_order","message":"missing fields"}}"#) }
        let created = state.withLock { s -> [String: String]? in
            if s.orders.contains(where: { $0["client_order_id"] == cid }) { return nil }
            let o = ["order_id": "ord-\(s.orders.count + 1)", "client_order_id": cid, "ticker": ticker, "count": count, "price": price, "side": side]
            s.orders.append(o)
            return o
        }
        guard let o = created else {
            return (409, #"{"error":{"code":"duplicate_client_order_id","message":"order with this client_order_id already exists"}}"#)
        }
        return (201, #"{"order_id":"\#(o["order_id"]!)","client_order_id":"\#(cid)","fill_count":"0.00","remaining_count":"\#(count)","ts_ms":1747360800123}"#)
    }
}
