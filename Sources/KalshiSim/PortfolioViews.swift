import Money
import SimExchange

/// Kalshi's JSON shapes for orders, fills, positions and settlements.
enum PortfolioViews {
    static func order(_ o: SimOrder, shard: Int) -> JSON {
        .object([
            ("order_id", .string(o.orderID)), ("user_id", .string(o.userID)), ("client_order_id", .string(o.clientOrderID)),
            ("ticker", .string(o.ticker)), ("side", .string(o.outcomeSide.rawValue)), ("action", .string("buy")),
            ("outcome_side", .string(o.outcomeSide.rawValue)), ("book_side", .string(o.side.rawValue)), ("type", .string("limit")),
            ("status", .string(o.status.rawValue)), ("yes_price_dollars", .dollars(o.price)), ("no_price_dollars", .dollars(oneDollar - o.price)),
            ("fill_count_fp", .count(o.fillCount)), ("remaining_count_fp", .count(o.remainingCount)),
            ("initial_count_fp", .count(o.initialCount)), ("taker_fill_cost_dollars", .dollars(o.takerFillCost)),
            ("maker_fill_cost_dollars", .dollars(o.makerFillCost)), ("taker_fees_dollars", .dollars(o.takerFees)),
            ("maker_fees_dollars", .dollars(o.makerFees)),
            ("expiration_time", o.expirationSecond.map { .time($0 * 1000) } ?? .null),
            ("created_time", .time(o.createdMs)), ("last_update_time", .time(o.updatedMs)),
            ("self_trade_prevention_type", .string(o.selfTradePrevention.rawValue)), ("order_group_id", .null),
            ("cancel_order_on_pause", .bool(false)), ("subaccount_number", .int(0)), ("exchange_index", .int(Int64(shard))),
        ])
    }

    static func fill(_ f: SimFill, shard: Int) -> JSON {
        .object([
            ("fill_id", .string(f.fillID)), ("trade_id", .string(f.tradeID)), ("order_id", .string(f.orderID)),
            ("ticker", .string(f.ticker)), ("market_ticker", .string(f.ticker)), ("exchange_index", .int(Int64(shard))),
            ("side", .string(f.outcomeSide.rawValue)), ("action", .string("buy")), ("outcome_side", .string(f.outcomeSide.rawValue)),
            ("book_side", .string(f.side.rawValue)), ("count_fp", .count(f.count)), ("yes_price_dollars", .dollars(f.price)),
            ("no_price_dollars", .dollars(oneDollar - f.price)), ("is_taker", .bool(f.isTaker)), ("created_time", .time(f.createdMs)),
            ("fee_cost", .dollars(f.fee)), ("subaccount_number", .int(0)), ("ts", .int(f.createdMs / 1000)),
        ])
    }

    static func position(_ p: SimPosition, shard: Int) -> JSON {
        .object([
            ("ticker", .string(p.ticker)), ("exchange_index", .int(Int64(shard))),
            ("total_traded_dollars", .dollars(p.totalTraded)), ("position_fp", .count(p.position)),
            ("market_exposure_dollars", .dollars(p.cost)), ("realized_pnl_dollars", .dollars(p.realizedPnL)),
            ("fees_paid_dollars", .dollars(p.feesPaid)), ("last_updated_ts", .time(p.updatedMs)),
        ])
    }

    static func eventPosition(_ event: String, _ ps: [SimPosition]) -> JSON {
        let cost = ps.reduce(Dollars.zero) { $0 + $1.cost }
        let shares = ps.reduce(Contracts.zero) { $0 + ($1.position < .zero ? -$1.position : $1.position) }
        return .object([
            ("event_ticker", .string(event)), ("total_cost_dollars", .dollars(cost)), ("total_cost_shares_fp", .count(shares)),
            ("event_exposure_dollars", .dollars(cost)), ("realized_pnl_dollars", .dollars(ps.reduce(.zero) { $0 + $1.realizedPnL })),
            ("fees_paid_dollars", .dollars(ps.reduce(.zero) { $0 + $1.feesPaid })),
        ])
    }

    static func settlement(_ s: SimSettlement, shard: Int) -> JSON {
        .object([
            ("ticker", .string(s.ticker)), ("exchange_index", .int(Int64(shard))), ("event_ticker", .string(s.eventTicker)),
            ("market_result", .string(s.result.rawValue)), ("yes_count_fp", .count(s.yesCount)),
            ("yes_total_cost_dollars", .dollars(s.yesCost)), ("no_count_fp", .count(s.noCount)),
            ("no_total_cost_dollars", .dollars(s.noCost)), ("revenue", .int(s.revenue.cents)), ("settled_time", .time(s.settledMs)),
            ("fee_cost", .dollars(s.fees)), ("value", .int(s.result == .yes ? 100 : 0)),
        ])
    }
}
