import GRDB
import Money
import TradingWire

/// Rows of the `trades` and `fills` tables to and from book values.
extension TradeStore {
    static let tradeColumns = [
        "id", "status", "ticker", "event_ticker", "strike_micros", "side", "requested_count_centis", "count_centis",
        "entry_price_micros", "entry_fees_micros", "entry_order_id", "close_order_id", "close_price_micros", "close_fees_micros",
        "exit_value_micros", "pnl_micros", "result", "strategy", "entry_method", "close_method", "probability", "edge_micros",
        "btc_at_entry_micros", "btc_at_close_micros", "momentum", "close_ts", "entered_ts", "finished_ts", "note", "updated_time",
        "entry_cost_micros", "close_cost_micros", "close_key", "parent_id", "entry_from_fills", "close_from_fills",
    ]

    static func upsert(_ t: BookTrade, _ db: Database) throws {
        let r = t.record
        let values: [(any DatabaseValueConvertible)?] = [
            r.id, r.status.rawValue, r.ticker, r.eventTicker, r.strike?.micros, r.side.rawValue, r.requestedCount.centis,
            r.count.centis, r.entryPrice?.micros, r.entryFees.micros, r.entryOrderID, r.closeOrderID, r.closePrice?.micros,
            r.closeFees.micros, r.exitValue?.micros, r.pnl?.micros, r.result?.rawValue, r.strategy, r.entryMethod, r.closeMethod,
            r.probability, r.edge?.micros, r.btcAtEntry?.micros, r.btcAtClose?.micros, r.momentum, r.closeTs, r.enteredTs,
            r.finishedTs, r.note, r.updatedTime, t.entryCost.micros, t.closeCost.micros, t.closeKey, t.parentID,
            t.entryFromFills, t.closeFromFills,
        ]
        let cols = tradeColumns.joined(separator: ", ")
        let marks = Array(repeating: "?", count: tradeColumns.count).joined(separator: ", ")
        let updates = tradeColumns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try db.execute(sql: "INSERT INTO trades (\(cols)) VALUES (\(marks)) ON CONFLICT(id) DO UPDATE SET \(updates)",
                       arguments: StatementArguments(values))
    }

    static func upsert(_ s: StoredFill, _ db: Database) throws {
        let f = s.fill
        try db.execute(
            sql: """
                INSERT INTO fills (fill_id, trade_id, order_id, ticker, side, action, count_centis, price_micros, fee_micros, is_taker, ts)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(fill_id) DO UPDATE SET trade_id = COALESCE(excluded.trade_id, fills.trade_id)
                """,
            arguments: [f.fillID, s.tradeID, f.orderID, f.ticker, f.side.rawValue, f.action, f.count.centis, f.price.micros,
                        f.fee?.micros, f.isTaker, f.ts])
    }

    static func trade(from row: Row) -> BookTrade? {
        func d(_ c: String) -> Dollars? { (row[c] as Int64?).map(Dollars.init(micros:)) }
        func n(_ c: String) -> Contracts { Contracts(centis: row[c] as Int64? ?? 0) }
        guard let status = TradeStatus(rawValue: row["status"] as String? ?? ""),
            let side = TradeSide(rawValue: row["side"] as String? ?? "") else { return nil }
        let record = TradeRecord(
            id: row["id"], status: status, ticker: row["ticker"], eventTicker: row["event_ticker"], strike: d("strike_micros"),
            side: side, requestedCount: n("requested_count_centis"), count: n("count_centis"), entryPrice: d("entry_price_micros"),
            entryFees: d("entry_fees_micros") ?? .zero, entryOrderID: row["entry_order_id"], closeOrderID: row["close_order_id"],
            closePrice: d("close_price_micros"), closeFees: d("close_fees_micros") ?? .zero, exitValue: d("exit_value_micros"),
            pnl: d("pnl_micros"), result: (row["result"] as String?).flatMap(TradeResult.init(rawValue:)), strategy: row["strategy"],
            entryMethod: row["entry_method"], closeMethod: row["close_method"], probability: row["probability"],
            edge: d("edge_micros"), btcAtEntry: d("btc_at_entry_micros"), btcAtClose: d("btc_at_close_micros"),
            momentum: row["momentum"], closeTs: row["close_ts"], enteredTs: row["entered_ts"], finishedTs: row["finished_ts"],
            note: row["note"], updatedTime: row["updated_time"])
        return BookTrade(record: record, entryCost: d("entry_cost_micros") ?? .zero, closeCost: d("close_cost_micros") ?? .zero,
                         closeKey: row["close_key"], parentID: row["parent_id"], entryFromFills: row["entry_from_fills"],
                         closeFromFills: row["close_from_fills"])
    }

    static func fill(from row: Row) -> StoredFill? {
        guard let side = TradeSide(rawValue: row["side"] as String? ?? "") else { return nil }
        let fill = VenueFill(
            fillID: row["fill_id"], orderID: row["order_id"], ticker: row["ticker"], side: side, action: row["action"],
            count: Contracts(centis: row["count_centis"]), price: Dollars(micros: row["price_micros"]),
            fee: (row["fee_micros"] as Int64?).map(Dollars.init(micros:)), isTaker: row["is_taker"], ts: row["ts"])
        return StoredFill(fill: fill, tradeID: row["trade_id"])
    }
}
