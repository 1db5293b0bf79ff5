import Foundation
import Money
import SimExchange
import Synchronization

extension StreamHub {
    /// Handles one client command (`subscribe`, `unsubscribe`, `update_subscription`, `list_subscriptions`).
    func handle(_ text: String, connection: Int, exchange ex: Exchange) {
        guard let out = state.withLock({ $0.connections[connection]?.out }) else { return }
        guard let obj = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            out.yield(StreamHub.error(id: 0, code: 1, "Unable to process message"))
            return
        }
        let id = (obj["id"] as? NSNumber)?.int64Value ?? 0
        let params = obj["params"] as? [String: Any] ?? [:]
        var replies: [String] = []
        switch obj["cmd"] as? String {
        case "subscribe": replies = subscribe(id: id, params: params, connection: connection, ex)
        case "unsubscribe": replies = unsubscribe(id: id, params: params, connection: connection)
        case "update_subscription": replies = update(id: id, params: params, connection: connection, ex)
        case "list_subscriptions":
            let subs = state.withLock { $0.connections[connection]?.subs.values.sorted { $0.sid < $1.sid } ?? [] }
            let list = JSON.array(subs.map { .object([("channel", .string($0.channel)), ("sid", .int(Int64($0.sid)))]) })
            replies = [JSON.object([("id", .int(id)), ("type", .string("ok")), ("msg", list)]).text]
        default: replies = [StreamHub.error(id: id, code: 5, "Unknown command")]
        }
        for r in replies { out.yield(r) }
    }

    private func tickers(_ params: [String: Any]) -> [String]? {
        if let many = params["market_tickers"] as? [String] { return many }
        if let one = params["market_ticker"] as? String { return [one] }
        return nil
    }

    private func subscribe(id: Int64, params: [String: Any], connection: Int, _ ex: Exchange) -> [String] {
        guard let channels = params["channels"] as? [String], !channels.isEmpty else { return [StreamHub.error(id: id, code: 3, "Channels required")] }
        let wanted = tickers(params)
        if let bad = wanted?.first(where: { ex.market($0) == nil }) { return [StreamHub.error(id: id, code: 16, "Market \(bad) not found")] }
        var replies: [String] = []
        for channel in channels {
            guard StreamHub.channels.contains(channel) else { replies.append(StreamHub.error(id: id, code: 8, "Unknown channel name")); continue }
            if channel == "cfbenchmarks_value", params["index_ids"] == nil {
                replies.append(StreamHub.error(id: id, code: 24, "Index ids required")); continue
            }
            if channel == "orderbook_delta", wanted == nil { replies.append(StreamHub.error(id: id, code: 14, "Market ticker required")); continue }
            var snapshotFor: [String] = []
            let sid: Int = state.withLock { s in
                guard var conn = s.connections[connection] else { return 0 }
                if var existing = conn.subs.values.first(where: { $0.channel == channel }) {
                    let added = (wanted ?? []).filter { !(existing.tickers ?? []).contains($0) }
                    if existing.tickers != nil { existing.tickers = wanted == nil ? nil : (existing.tickers ?? []) + added }
                    conn.subs[existing.sid] = existing
                    s.connections[connection] = conn
                    snapshotFor = added
                    return existing.sid
                }
                let sid = s.nextSid
                s.nextSid += 1
                var sub = Subscription(sid: sid, channel: channel, tickers: wanted)
                sub.useYesPrice = params["use_yes_price"] as? Bool ?? false
                conn.subs[sid] = sub
                s.connections[connection] = conn
                snapshotFor = wanted ?? []
                return sid
            }
            replies.append(JSON.object([("id", .int(id)), ("type", .string("subscribed")),
                                        ("msg", .object([("channel", .string(channel)), ("sid", .int(Int64(sid)))]))]).text)
            if channel == "orderbook_delta" { replies += snapshotFor.compactMap { snapshot(sid: sid, connection: connection, ticker: $0, ex) } }
            if channel == "ticker", params["send_initial_snapshot"] as? Bool == true {
                replies += snapshotFor.compactMap { t in ex.market(t).map { StreamHub.frame(type: "ticker", sid: sid, seq: nil, msg: tickerMessage($0, ex)) } }
            }
        }
        return replies
    }

    /// An `orderbook_snapshot` for one market, taking the subscription's next seq.
    func snapshot(sid: Int, connection: Int, ticker: String, _ ex: Exchange) -> String? {
        guard let book = ex.book(ticker) else { return nil }
        let taken: (seq: Int64, yesPrices: Bool)? = state.withLock { s in
            guard var sub = s.connections[connection]?.subs[sid] else { return nil }
            let n = nextSeq(&sub)
            s.connections[connection]?.subs[sid] = sub
            return (n, sub.useYesPrice)
        }
        guard let (seq, yesPrices) = taken else { return nil }
        // With `use_yes_price`, NO-side levels are quoted on the YES leg (1 − p), still best last.
        let no = yesPrices ? book.no.map { PriceLevel(price: oneDollar - $0.price, count: $0.count) } : book.no
        var msg: [(String, JSON)] = [("market_ticker", .string(ticker)), ("market_id", .string(StreamHub.marketID(ticker)))]
        if !book.yes.isEmpty { msg.append(("yes_dollars_fp", MarketViews.levels(book.yes, depth: 0))) }
        if !no.isEmpty { msg.append(("no_dollars_fp", MarketViews.levels(no, depth: 0))) }
        return StreamHub.frame(type: "orderbook_snapshot", sid: sid, seq: seq, msg: .object(msg))
    }

    private func unsubscribe(id: Int64, params: [String: Any], connection: Int) -> [String] {
        guard let sids = params["sids"] as? [Int], !sids.isEmpty else { return [StreamHub.error(id: id, code: 4, "Sids required")] }
        return sids.map { sid in
            let removed = state.withLock { $0.connections[connection]?.subs.removeValue(forKey: sid) }
            guard let removed else { return StreamHub.error(id: id, code: 7, "Unknown subscription ID") }
            return JSON.object([("id", .int(id)), ("sid", .int(Int64(sid))), ("seq", .int(removed.seq + 1)), ("type", .string("unsubscribed"))]).text
        }
    }

    private func update(id: Int64, params: [String: Any], connection: Int, _ ex: Exchange) -> [String] {
        let sids = (params["sids"] as? [Int]) ?? (params["sid"] as? Int).map { [$0] } ?? []
        guard sids.count == 1, let sid = sids.first else { return [StreamHub.error(id: id, code: 12, "Exactly one subscription ID is required")] }
        guard let action = params["action"] as? String else { return [StreamHub.error(id: id, code: 15, "Action required")] }
        guard let wanted = tickers(params), !wanted.isEmpty else { return [StreamHub.error(id: id, code: 14, "Market ticker required")] }
        if let bad = wanted.first(where: { ex.market($0) == nil }) { return [StreamHub.error(id: id, code: 16, "Market \(bad) not found")] }
        guard let sub = state.withLock({ $0.connections[connection]?.subs[sid] }) else { return [StreamHub.error(id: id, code: 7, "Unknown subscription ID")] }
        var snapshotFor: [String] = []
        switch action {
        case "add_markets":
            let added = wanted.filter { !(sub.tickers ?? []).contains($0) }
            state.withLock { $0.connections[connection]?.subs[sid]?.tickers = (sub.tickers ?? []) + added }
            if sub.channel == "orderbook_delta" { snapshotFor = added }
        case "delete_markets":
            state.withLock { $0.connections[connection]?.subs[sid]?.tickers = (sub.tickers ?? []).filter { !wanted.contains($0) } }
        case "get_snapshot":
            guard sub.channel == "orderbook_delta" else { return [StreamHub.error(id: id, code: 13, "Action not supported")] }
            return wanted.compactMap { snapshot(sid: sid, connection: connection, ticker: $0, ex) }
        default: return [StreamHub.error(id: id, code: 13, "Action not supported")]
        }
        let now = state.withLock { s -> (Int64, [String]) in
            guard var sub = s.connections[connection]?.subs[sid] else { return (0, []) }
            let n = nextSeq(&sub)
            s.connections[connection]?.subs[sid] = sub
            return (n, sub.tickers ?? [])
        }
        let ok = JSON.object([("id", .int(id)), ("sid", .int(Int64(sid))), ("seq", .int(now.0)), ("type", .string("ok")),
                              ("msg", .object([("market_tickers", .array(now.1.map { .string($0) }))]))]).text
        return [ok] + snapshotFor.compactMap { snapshot(sid: sid, connection: connection, ticker: $0, ex) }
    }
}
