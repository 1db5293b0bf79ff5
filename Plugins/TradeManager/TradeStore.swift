import GRDB
import Money
import TradingWire

/// The trade manager's own SQLite file (WAL, through a `DatabasePool`): the `trades` table, one column per
/// ``TradeRecord`` field plus the exact totals behind it (money in integer micros, counts in centis), and the
/// `fills` table (unique fill id). No other plugin opens it; `recio trades list --database` reads it read-only.
public final class TradeStore: Sendable {
    let reader: any DatabaseReader
    private let pool: DatabasePool?

    /// Opens (creating and migrating when needed) the database at `path`; `readOnly` opens it read-only and
    /// never writes or migrates.
    public init(path: String, readOnly: Bool = false) throws {
        if readOnly {
            var config = Configuration()
            config.readonly = true
            reader = try DatabaseQueue(path: path, configuration: config)
            pool = nil
        } else {
            let p = try DatabasePool(path: path)
            try Self.migrator.migrate(p)
            pool = p
            reader = p
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.create(table: "trades") { t in
                t.primaryKey("id", .text)
                t.column("status", .text).notNull().indexed()
                t.column("ticker", .text).notNull().indexed()
                t.column("event_ticker", .text).notNull()
                t.column("strike_micros", .integer)
                t.column("side", .text).notNull()
                t.column("requested_count_centis", .integer).notNull()
                t.column("count_centis", .integer).notNull()
                t.column("entry_price_micros", .integer)
                t.column("entry_fees_micros", .integer).notNull()
                t.column("entry_order_id", .text).indexed()
                t.column("close_order_id", .text).indexed()
                t.column("close_price_micros", .integer)
                t.column("close_fees_micros", .integer).notNull()
                t.column("exit_value_micros", .integer)
                t.column("pnl_micros", .integer)
                t.column("result", .text)
                t.column("strategy", .text).notNull()
                t.column("entry_method", .text).notNull()
                t.column("close_method", .text)
                t.column("probability", .double)
                t.column("edge_micros", .integer)
                t.column("btc_at_entry_micros", .integer)
                t.column("btc_at_close_micros", .integer)
                t.column("momentum", .integer)
                t.column("close_ts", .integer)
                t.column("entered_ts", .integer).notNull()
                t.column("finished_ts", .integer)
                t.column("note", .text)
                t.column("updated_time", .text).notNull()
                t.column("entry_cost_micros", .integer).notNull()
                t.column("close_cost_micros", .integer).notNull()
                t.column("close_key", .text)
                t.column("parent_id", .text)
                t.column("entry_from_fills", .boolean).notNull()
                t.column("close_from_fills", .boolean).notNull()
            }
            try db.create(table: "fills") { t in
                t.primaryKey("fill_id", .text)
                t.column("trade_id", .text).indexed()
                t.column("order_id", .text).notNull().indexed()
                t.column("ticker", .text).notNull()
                t.column("side", .text).notNull()
                t.column("action", .text).notNull()
                t.column("count_centis", .integer).notNull()
                t.column("price_micros", .integer).notNull()
                t.column("fee_micros", .integer)
                t.column("is_taker", .boolean)
                t.column("ts", .integer).notNull()
            }
        }
        m.registerMigration("v2") { db in
            // Trade queries page newest first by entry time.
            try db.create(index: "trades_entered", on: "trades", columns: ["entered_ts", "id"])
        }
        return m
    }

    /// Writes every trade and fill `changes` holds in one transaction.
    public func write(_ changes: BookChanges) async throws {
        guard !changes.isEmpty else { return }
        guard let pool else { throw TradeManagerError("the trades database was opened read-only") }
        try await pool.write { db in
            for t in changes.transitions { try Self.upsert(t.trade, db) }
            for f in changes.fills { try Self.upsert(f, db) }
        }
    }

    /// Every stored trade and fill.
    public func load() async throws -> (trades: [BookTrade], fills: [StoredFill]) {
        try await reader.read { db in
            let trades = try Row.fetchAll(db, sql: "SELECT * FROM trades ORDER BY entered_ts, id").map(Self.trade(from:))
            let fills = try Row.fetchAll(db, sql: "SELECT * FROM fills ORDER BY ts, fill_id").map(Self.fill(from:))
            return (trades.compactMap { $0 }, fills.compactMap { $0 })
        }
    }

    /// The journal mode in force (`wal`).
    public func journalMode() async throws -> String {
        try await reader.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}
