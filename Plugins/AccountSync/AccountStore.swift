import Foundation
import GRDB
import Money
import TradingWire

/// The account sync's own SQLite file (WAL, through a `DatabasePool`): fills keyed by (trade id, order id), orders
/// by order id (updated when they change), settlements by (ticker, settled time), the latest positions snapshot and
/// the balance history. Money is stored as integer micros, counts as integer centis. No other plugin opens it.
public final class AccountStore: Sendable {
    let pool: DatabasePool

    /// Opens (creating when needed) the database at `path`.
    public init(path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        pool = try DatabasePool(path: path)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE fills (
                    fill_id TEXT NOT NULL, order_id TEXT NOT NULL, ticker TEXT NOT NULL, side TEXT NOT NULL, action TEXT NOT NULL,
                    count_centis INTEGER NOT NULL, price_micros INTEGER NOT NULL, fee_micros INTEGER, is_taker INTEGER,
                    ts INTEGER NOT NULL, PRIMARY KEY (fill_id, order_id));
                CREATE INDEX fills_ts ON fills(ts);
                CREATE TABLE orders (
                    order_id TEXT PRIMARY KEY NOT NULL, client_order_id TEXT, ticker TEXT NOT NULL, side TEXT NOT NULL,
                    action TEXT NOT NULL, status TEXT NOT NULL, filled_centis INTEGER NOT NULL, remaining_centis INTEGER NOT NULL,
                    price_micros INTEGER, ts INTEGER NOT NULL);
                CREATE INDEX orders_status ON orders(status);
                CREATE TABLE settlements (
                    ticker TEXT NOT NULL, settled_ts INTEGER NOT NULL, event_ticker TEXT, result TEXT NOT NULL,
                    yes_centis INTEGER NOT NULL, no_centis INTEGER NOT NULL, yes_cost_micros INTEGER, no_cost_micros INTEGER,
                    revenue_micros INTEGER NOT NULL, fee_micros INTEGER, PRIMARY KEY (ticker, settled_ts));
                CREATE TABLE positions (
                    ticker TEXT PRIMARY KEY NOT NULL, position_centis INTEGER NOT NULL, exposure_micros INTEGER,
                    realized_pnl_micros INTEGER, fees_paid_micros INTEGER, updated_time TEXT NOT NULL);
                CREATE TABLE balance_history (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, balance_micros INTEGER NOT NULL, portfolio_value_micros INTEGER,
                    time TEXT NOT NULL);
                """)
        }
        try migrator.migrate(pool)
    }

    /// Stores a fill; true when it was not stored before (publish it then, and only then).
    public func insert(_ f: VenueFill) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO fills (fill_id, order_id, ticker, side, action, count_centis, price_micros, fee_micros, is_taker, ts)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [f.fillID, f.orderID, f.ticker, f.side.rawValue, f.action, f.count.centis, f.price.micros,
                                 f.fee?.micros, f.isTaker, f.ts])
            return db.changesCount > 0
        }
    }

    /// Stores a settlement; true when it was not stored before.
    public func insert(_ s: VenueSettlement) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO settlements (ticker, settled_ts, event_ticker, result, yes_centis, no_centis, yes_cost_micros,
                    no_cost_micros, revenue_micros, fee_micros) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [s.ticker, s.settledTs, s.eventTicker, s.result, s.yesCount.centis, s.noCount.centis,
                                 s.yesTotalCost?.micros, s.noTotalCost?.micros, s.revenue.micros, s.fee?.micros])
            return db.changesCount > 0
        }
    }

    /// Stores an order, or updates the stored one when its status or counts changed; true when it was inserted or
    /// changed (publish it then). An older update (smaller `ts`) never overwrites a newer one.
    public func upsert(_ o: VenueOrderUpdate) async throws -> Bool {
        try await pool.write { db in
            if let row = try Row.fetchOne(db, sql: "SELECT status, filled_centis, remaining_centis, ts FROM orders WHERE order_id = ?",
                                          arguments: [o.orderID]) {
                let same = (row["status"] as String) == o.status && (row["filled_centis"] as Int64) == o.filledCount.centis
                    && (row["remaining_centis"] as Int64) == o.remainingCount.centis
                let older = o.ts < (row["ts"] as Int64) && (row["filled_centis"] as Int64) >= o.filledCount.centis
                if same || older { return false }
                try db.execute(sql: """
                    UPDATE orders SET status = ?, filled_centis = ?, remaining_centis = ?, ts = ?,
                        client_order_id = COALESCE(?, client_order_id), price_micros = COALESCE(?, price_micros) WHERE order_id = ?
                    """, arguments: [o.status, o.filledCount.centis, o.remainingCount.centis, o.ts, o.clientOrderID, o.price?.micros, o.orderID])
                return true
            }
            try db.execute(sql: """
                INSERT INTO orders (order_id, client_order_id, ticker, side, action, status, filled_centis, remaining_centis, price_micros, ts)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [o.orderID, o.clientOrderID, o.ticker, o.side.rawValue, o.action, o.status, o.filledCount.centis,
                                 o.remainingCount.centis, o.price?.micros, o.ts])
            return true
        }
    }

    /// Replaces the positions snapshot; true when it differs from the stored one.
    public func replacePositions(_ positions: [VenuePosition], time: String) async throws -> Bool {
        try await pool.write { db in
            let old = try Self.positions(db)
            if old == positions.sorted(by: { $0.ticker < $1.ticker }) { return false }
            try db.execute(sql: "DELETE FROM positions")
            for p in positions {
                try db.execute(sql: """
                    INSERT OR REPLACE INTO positions (ticker, position_centis, exposure_micros, realized_pnl_micros, fees_paid_micros, updated_time)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [p.ticker, p.position.centis, p.marketExposure?.micros, p.realizedPnl?.micros, p.feesPaid?.micros, time])
            }
            return true
        }
    }

    /// Appends a balance when it differs from the last one stored; true when it did.
    public func recordBalance(_ b: AccountBalance) async throws -> Bool {
        try await pool.write { db in
            let last = try Row.fetchOne(db, sql: "SELECT balance_micros, portfolio_value_micros FROM balance_history ORDER BY id DESC LIMIT 1")
            if let last, (last["balance_micros"] as Int64) == b.balance.micros,
               (last["portfolio_value_micros"] as Int64?) == b.portfolioValue?.micros { return false }
            try db.execute(sql: "INSERT INTO balance_history (balance_micros, portfolio_value_micros, time) VALUES (?, ?, ?)",
                           arguments: [b.balance.micros, b.portfolioValue?.micros, b.time])
            return true
        }
    }
}
