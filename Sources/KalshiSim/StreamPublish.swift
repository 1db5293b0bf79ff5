import Money
import SimExchange
import Synchronization

extension StreamHub {
    /// Fans exchange events out to every matching subscription.
    func publish(_ events: [ExchangeEvent], exchange ex: Exchange) {
        guard !events.isEmpty else { return }
        var tickers: [String] = []
        var seen: Set<String> = []
        var outgoing: [(AsyncStream<String>.Continuation, String)] = []
        state.withLock { s in
            for id in s.connections.keys.sorted() {
                guard var conn = s.connections[id] else { continue }
                for event in events {
                    for sid in conn.subs.keys.sorted() {
                        guard var sub = conn.subs[sid] else { continue }
                        if let text = message(event, &sub, user: conn.user, ex) { outgoing.append((conn.out, text)) }
                        conn.subs[sid] = sub
                    }
                }
                s.connections[id] = conn
            }
        }
        for event in events { if case .ticker(let t) = event, seen.insert(t).inserted { tickers.append(t) } }
        let tickerFrames: [(String, JSON)] = tickers.compactMap { t in ex.market(t).map { (t, tickerMessage($0, ex)) } }
        state.withLock { s in
            for id in s.connections.keys.sorted() {
                guard let conn = s.connections[id] else { continue }
                for sub in conn.subs.values.sorted(by: { $0.sid < $1.sid }) where sub.channel == "ticker" {
                    for (t, msg) in tickerFrames where sub.tickers?.contains(t) ?? true {
                        outgoing.append((conn.out, StreamHub.frame(type: "ticker", sid: sub.sid, seq: nil, msg: msg)))
                    }
                }
            }
        }
        for (out, text) in outgoing { out.yield(text) }
    }

    private func message(_ event: ExchangeEvent, _ sub: inout Subscription, user: String, _ ex: Exchange) -> String? {
        func wants(_ ticker: String) -> Bool { sub.tickers?.contains(ticker) ?? true }
        switch event {
        case .bookDelta(let ticker, let side, let price, let delta, let owner, let cid, let ms):
            guard sub.channel == "orderbook_delta", wants(ticker), delta != .zero else { return nil }
            let legPrice = side == .bid || sub.useYesPrice ? price : oneDollar - price
            var msg: [(String, JSON)] = [
                ("market_ticker", .string(ticker)), ("market_id", .string(StreamHub.marketID(ticker))),
                ("price_dollars", .dollars(legPrice)), ("delta_fp", .count(delta)), ("side", .string(side == .bid ? "yes" : "no")),
            ]
            if let owner, owner == user, let cid, !cid.isEmpty { msg.append(("client_order_id", .string(cid))) }
            msg.append(("ts_ms", .int(ms)))
            msg.append(("ts", .time(ms)))
            return StreamHub.frame(type: "orderbook_delta", sid: sub.sid, seq: nextSeq(&sub), msg: .object(msg))
        case .trade(let t):
            guard sub.channel == "trade", wants(t.ticker) else { return nil }
            let taker: OutcomeSide = t.takerSide == .bid ? .yes : .no
            return StreamHub.frame(type: "trade", sid: sub.sid, seq: nil, msg: .object([
                ("trade_id", .string(t.tradeID)), ("market_ticker", .string(t.ticker)), ("yes_price_dollars", .dollars(t.price)),
                ("no_price_dollars", .dollars(oneDollar - t.price)), ("count_fp", .count(t.count)),
                ("taker_outcome_side", .string(taker.rawValue)), ("taker_book_side", .string(t.takerSide.rawValue)),
                ("taker_side", .string(taker.rawValue)), ("is_block_trade", .bool(false)), ("ts_ms", .int(t.createdMs)),
                ("ts", .int(t.createdMs / 1000)),
            ]))
        case .fill(let f):
            guard sub.channel == "fill", f.userID == user, wants(f.ticker) else { return nil }
            return StreamHub.frame(type: "fill", sid: sub.sid, seq: nil, msg: .object([
                ("trade_id", .string(f.tradeID)), ("order_id", .string(f.orderID)), ("market_ticker", .string(f.ticker)),
                ("exchange_index", .int(Int64(ex.config.exchangeIndex))), ("is_taker", .bool(f.isTaker)),
                ("yes_price_dollars", .dollars(f.price)), ("count_fp", .count(f.count)), ("fee_cost", .dollars(f.fee)),
                ("outcome_side", .string(f.outcomeSide.rawValue)), ("book_side", .string(f.side.rawValue)),
                ("side", .string(f.outcomeSide.rawValue)), ("action", .string("buy")), ("post_position_fp", .count(f.postPosition)),
                ("client_order_id", .string(f.clientOrderID)), ("ts_ms", .int(f.createdMs)), ("ts", .int(f.createdMs / 1000)),
            ]))
        case .order(let o):
            guard sub.channel == "user_orders", o.userID == user, wants(o.ticker) else { return nil }
            return StreamHub.frame(type: "user_order", sid: sub.sid, seq: nil, msg: .object([
                ("order_id", .string(o.orderID)), ("user_id", .string(o.userID)), ("ticker", .string(o.ticker)),
                ("status", .string(o.status.rawValue)), ("outcome_side", .string(o.outcomeSide.rawValue)),
                ("book_side", .string(o.side.rawValue)), ("side", .string(o.outcomeSide.rawValue)), ("yes_price_dollars", .dollars(o.price)),
                ("fill_count_fp", .count(o.fillCount)), ("remaining_count_fp", .count(o.remainingCount)),
                ("initial_count_fp", .count(o.initialCount)), ("taker_fill_cost_dollars", .dollars(o.takerFillCost)),
                ("maker_fill_cost_dollars", .dollars(o.makerFillCost)), ("taker_fees_dollars", .dollars(o.takerFees)),
                ("maker_fees_dollars", .dollars(o.makerFees)), ("client_order_id", .string(o.clientOrderID)),
                ("self_trade_prevention_type", .string(o.selfTradePrevention.rawValue)), ("created_ts_ms", .int(o.createdMs)),
                ("last_updated_ts_ms", .int(o.updatedMs)), ("subaccount_number", .int(0)),
            ]))
        case .position(let owner, let ticker):
            guard sub.channel == "market_positions", owner == user, wants(ticker) else { return nil }
            let p = ex.positions(user).first { $0.ticker == ticker } ?? SimPosition(ticker: ticker)
            return StreamHub.frame(type: "market_position", sid: sub.sid, seq: nil, msg: .object([
                ("user_id", .string(user)), ("market_ticker", .string(ticker)), ("position_fp", .count(p.position)),
                ("position_cost_dollars", .dollars(p.cost)), ("realized_pnl_dollars", .dollars(p.realizedPnL)),
                ("fees_paid_dollars", .dollars(p.feesPaid)), ("position_fee_cost_dollars", .dollars(p.feesPaid)),
                ("volume_fp", .count(p.volume)),
            ]))
        case .lifecycle(let l):
            guard sub.channel == "market_lifecycle_v2", let m = ex.market(l.ticker) else { return nil }
            var msg: [(String, JSON)] = [("event_type", .string(l.kind.rawValue)), ("market_ticker", .string(l.ticker))]
            switch l.kind {
            case .created:
                msg += [("open_ts", .int(m.openMs / 1000)), ("close_ts", .int(m.closeMs / 1000)), ("exchange_index", .int(Int64(ex.config.exchangeIndex)))]
            case .determined:
                msg += [("result", .string(m.result?.rawValue ?? "")), ("determination_ts", .int(l.ms / 1000)),
                        ("settlement_value", .dollars(m.result == .yes ? oneDollar : .zero))]
            case .settled:
                msg += [("settled_ts", .int(l.ms / 1000))]
            }
            return StreamHub.frame(type: "market_lifecycle_v2", sid: sub.sid, seq: nil, msg: .object(msg))
        case .ticker:
            return nil
        }
    }

    func tickerMessage(_ m: SimMarket, _ ex: Exchange) -> JSON {
        let top = ex.topOfBook(m.ticker)
        let now = ex.now
        return .object([
            ("market_ticker", .string(m.ticker)), ("market_id", .string(StreamHub.marketID(m.ticker))),
            ("price_dollars", .dollars(m.lastPrice)), ("yes_bid_dollars", .dollars(top.bid?.price ?? .zero)),
            ("yes_ask_dollars", .dollars(top.ask?.price ?? oneDollar)), ("yes_bid_size_fp", .count(top.bid?.count ?? .zero)),
            ("yes_ask_size_fp", .count(top.ask?.count ?? .zero)), ("volume_fp", .count(m.volume)),
            ("open_interest_fp", .count(m.openInterest)), ("dollar_volume", .int(m.volume.whole)),
            ("dollar_open_interest", .int(m.openInterest.whole)), ("ts_ms", .int(now)), ("ts", .int(now / 1000)),
            ("time", .time(now)),
        ])
    }
}
