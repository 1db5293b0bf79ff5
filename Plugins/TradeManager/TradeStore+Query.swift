import CivilTime
import Foundation
import GRDB
import Money
import TradingWire

/// Trade queries (`cmd.trades.query`) answered from the database: the filter as SQL, a page newest first by keyset
/// (entry time, then id), and the totals over the whole filter computed by SQLite in integer micros.
extension TradeStore {
    /// The page size when a query names none, and the most a query may ask for.
    public static let defaultPageSize = 500, maxPageSize = 1_000

    /// One page of the trades `query` matches and the totals of all of them. The trades of the page, encoded, take
    /// at most `byteBudget` bytes: a page is cut short (and says where the next starts) rather than outgrow the bus's
    /// message size. Reads run on the pool's reader, never the writer.
    public func query(_ query: TradeQuery, byteBudget: Int) async throws(TradeManagerError) -> TradeQueryResult {
        let filter = try Self.filter(query)
        let after = try query.cursor.map { c throws(TradeManagerError) in try Self.decodeCursor(c) }
        let size = min(max(query.limit ?? Self.defaultPageSize, 1), Self.maxPageSize)
        let rows: (page: [TradeRecord], more: Bool, summary: TradeStatistics.Bucket)
        do {
            rows = try await reader.read { db in
                var sql = "SELECT * FROM trades WHERE \(filter.sql)"
                var arguments = filter.arguments
                if let after {
                    sql += " AND (entered_ts < ? OR (entered_ts = ? AND id < ?))"
                    arguments += [after.enteredTs, after.enteredTs, after.id]
                }
                sql += " ORDER BY entered_ts DESC, id DESC LIMIT ?"
                arguments += [size + 1]
                let found = try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap { Self.trade(from: $0)?.record }
                return (Array(found.prefix(size)), found.count > size, try Self.summary(filter, db))
            }
        } catch {
            throw TradeManagerError("cannot read the trades database: \(error)")
        }
        let page = Self.fit(rows.page, byteBudget: byteBudget)
        let truncated = rows.more || page.count < rows.page.count
        let next = truncated ? page.last.map(Self.cursor(after:)) : nil
        return TradeQueryResult(requestID: query.requestID, trades: page, truncated: truncated, nextCursor: next, summary: rows.summary)
    }

    /// A `WHERE` clause and its arguments.
    struct Filter: Sendable {
        var sql: String
        var arguments: StatementArguments
    }

    /// The query's filters as SQL; a bad day names itself.
    static func filter(_ q: TradeQuery) throws(TradeManagerError) -> Filter {
        var clauses = ["1"]
        var arguments = StatementArguments()
        if let t = q.fromTs { clauses.append("entered_ts >= ?"); arguments += [t] }
        if let t = q.toTs { clauses.append("entered_ts < ?"); arguments += [t] }
        if let d = q.fromDay {
            guard let t = EasternTime.startOfDay(d) else { throw TradeManagerError("bad from_day '\(d)': expected YYYY-MM-DD") }
            clauses.append("entered_ts >= ?"); arguments += [t]
        }
        if let d = q.toDay {
            guard let t = EasternTime.endOfDay(d) else { throw TradeManagerError("bad to_day '\(d)': expected YYYY-MM-DD") }
            clauses.append("entered_ts < ?"); arguments += [t]
        }
        if let list = q.statuses {
            clauses.append("status IN (\(marks(list.count)))")
            arguments += StatementArguments(list.map(\.rawValue))
        }
        if let list = q.results {
            clauses.append("result IN (\(marks(list.count)))")
            arguments += StatementArguments(list.map(\.rawValue))
        }
        if let s = q.strategy { clauses.append("strategy = ?"); arguments += [s] }
        return Filter(sql: clauses.joined(separator: " AND "), arguments: arguments)
    }

    /// `?, ?, ?`; `NULL` for an empty list, which matches nothing.
    private static func marks(_ n: Int) -> String { n == 0 ? "NULL" : Array(repeating: "?", count: n).joined(separator: ", ") }

    /// Counts, PnL and fees of every trade the filter matches, summed by SQLite in integer micros.
    static func summary(_ filter: Filter, _ db: Database) throws -> TradeStatistics.Bucket {
        let row = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS n, COALESCE(SUM(result = 'win'), 0) AS wins, COALESCE(SUM(result = 'loss'), 0) AS losses,
                   COALESCE(SUM(result = 'draw'), 0) AS draws, COALESCE(SUM(pnl_micros), 0) AS pnl,
                   COALESCE(SUM(entry_fees_micros + close_fees_micros), 0) AS fees
            FROM trades WHERE \(filter.sql)
            """, arguments: filter.arguments)
        let wins: Int = row?["wins"] ?? 0, losses: Int = row?["losses"] ?? 0
        return TradeStatistics.Bucket(key: "query", trades: row?["n"] ?? 0, wins: wins, losses: losses, draws: row?["draws"] ?? 0,
                                      winRate: TradeMath.winRate(wins: wins, losses: losses),
                                      pnl: Dollars(micros: row?["pnl"] ?? 0), fees: Dollars(micros: row?["fees"] ?? 0))
    }

    /// The longest prefix of `trades` whose JSON fits in `byteBudget` (at least one trade, so paging always moves).
    static func fit(_ trades: [TradeRecord], byteBudget: Int) -> [TradeRecord] {
        let encoder = JSONEncoder()
        var used = 0
        for (i, t) in trades.enumerated() {
            used += ((try? encoder.encode(t).count) ?? byteBudget) + 1
            if used > byteBudget { return Array(trades.prefix(max(i, 1))) }
        }
        return trades
    }

    /// The cursor that continues after `trade`: `<entered_ts>:<id>`.
    static func cursor(after trade: TradeRecord) -> String { "\(trade.enteredTs):\(trade.id)" }

    static func decodeCursor(_ text: String) throws(TradeManagerError) -> (enteredTs: Int64, id: String) {
        guard let colon = text.firstIndex(of: ":"), let ts = Int64(text[..<colon]) else {
            throw TradeManagerError("bad cursor '\(text)'")
        }
        return (ts, String(text[text.index(after: colon)...]))
    }
}
