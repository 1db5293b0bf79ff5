import GRDB
import Money
import TradingWire

extension AccountStore {
    /// The stored positions, by ticker.
    static func positions(_ db: Database) throws -> [VenuePosition] {
        try Row.fetchAll(db, sql: "SELECT * FROM positions ORDER BY ticker").map { r in
            VenuePosition(ticker: r["ticker"], position: Contracts(centis: r["position_centis"]),
                          marketExposure: (r["exposure_micros"] as Int64?).map(Dollars.init(micros:)),
                          realizedPnl: (r["realized_pnl_micros"] as Int64?).map(Dollars.init(micros:)),
                          feesPaid: (r["fees_paid_micros"] as Int64?).map(Dollars.init(micros:)))
        }
    }

    /// The stored positions snapshot, by ticker.
    public func positions() async throws -> [VenuePosition] { try await pool.read { try Self.positions($0) } }

    /// How many rows a table holds (`fills`, `orders`, `settlements`, `positions`, `balance_history`).
    public func count(_ table: String) async throws -> Int {
        precondition(["fills", "orders", "settlements", "positions", "balance_history"].contains(table))
        return try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }

    /// The newest fill's `ts`, nil when none is stored.
    public func latestFillTs() async throws -> Int64? {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(ts) FROM fills") }
    }

    /// The newest settlement's `settled_ts`, nil when none is stored.
    public func latestSettlementTs() async throws -> Int64? {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(settled_ts) FROM settlements") }
    }

    /// The ids of stored orders that are still resting.
    public func restingOrderIDs() async throws -> [String] {
        try await pool.read { db in try String.fetchAll(db, sql: "SELECT order_id FROM orders WHERE status = 'resting' ORDER BY order_id") }
    }

    /// Whether an order is stored.
    public func hasOrder(_ id: String) async throws -> Bool {
        try await pool.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM orders WHERE order_id = ?)", arguments: [id]) ?? false }
    }

    /// A stored order's status and filled count.
    public func order(_ id: String) async throws -> (status: String, filled: Contracts)? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT status, filled_centis FROM orders WHERE order_id = ?", arguments: [id]).map {
                (status: $0["status"], filled: Contracts(centis: $0["filled_centis"]))
            }
        }
    }

    /// The journal mode in force (`wal`).
    public func journalMode() async throws -> String {
        try await pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}
