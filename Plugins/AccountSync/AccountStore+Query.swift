import Foundation
import GRDB
public import TradingWire

extension AccountStore {
    /// The default and largest page of an account query.
    static let defaultPage = 200, largestPage = 1_000

    /// One page of stored fills or settlements, newest first, after `cursor` (`<time>:<rowid>` of the last row of the
    /// previous page). The page holds at most `limit` rows whose JSON fits in `byteBudget` (at least one row, so
    /// paging always moves); `nextCursor` is set when more rows follow. A bad cursor is an ``AccountSyncError``.
    public func page(_ query: AccountQuery, byteBudget: Int) async throws -> AccountQueryResult {
        let limit = min(max(query.limit ?? Self.defaultPage, 1), Self.largestPage)
        let after = try query.cursor.map(Self.decodeCursor)
        let (table, time) = query.kind == .fills ? ("fills", "ts") : ("settlements", "settled_ts")
        return try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT rowid AS row_id, * FROM \(table)
                WHERE ? IS NULL OR \(time) < ? OR (\(time) = ? AND rowid < ?)
                ORDER BY \(time) DESC, rowid DESC LIMIT ?
                """, arguments: [after?.ts, after?.ts, after?.ts, after?.rowID, limit + 1])
            return Self.fit(rows, query, time: time, limit: limit, byteBudget: byteBudget)
        }
    }

    /// The rows that fit in `byteBudget` (at least one), decoded, and the cursor after the last when more follow.
    private static func fit(_ rows: [Row], _ query: AccountQuery, time: String, limit: Int, byteBudget: Int) -> AccountQueryResult {
        let encoder = JSONEncoder()
        var used = 0, kept = 0
        var result = AccountQueryResult(requestID: query.requestID)
        for r in rows.prefix(limit) {
            let size: Int
            if query.kind == .fills {
                guard let fill = Self.fill(from: r) else { kept += 1; continue }  // an unreadable side: skipped
                size = (try? encoder.encode(fill).count) ?? byteBudget
                if kept > 0, used + size > byteBudget { break }
                result.fills.append(fill)
            } else {
                let settlement = Self.settlement(from: r)
                size = (try? encoder.encode(settlement).count) ?? byteBudget
                if kept > 0, used + size > byteBudget { break }
                result.settlements.append(settlement)
            }
            used += size + 1; kept += 1
        }
        if kept < rows.count { result.nextCursor = "\(rows[kept - 1][time] as Int64):\(rows[kept - 1]["row_id"] as Int64)" }
        return result
    }

    static func decodeCursor(_ text: String) throws -> (ts: Int64, rowID: Int64) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let ts = Int64(parts[0]), let row = Int64(parts[1]) else {
            throw AccountSyncError("bad cursor '\(text)'")
        }
        return (ts, row)
    }
}
