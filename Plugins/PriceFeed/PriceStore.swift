import GRDB
import Money

/// The price feed's own SQLite file: one row per second (`btc_price_1s`), WAL mode through a `DatabasePool`.
/// No other plugin opens it.
public final class PriceStore: Sendable {
    private let pool: DatabasePool

    /// Opens (creating when needed) the database at `path`.
    public init(path: String) throws {
        pool = try DatabasePool(path: path)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "btc_price_1s") { t in
                t.primaryKey("second", .integer)
                t.column("price_micros", .integer).notNull()
                t.column("product", .text).notNull()
            }
        }
        try migrator.migrate(pool)
    }

    /// Stores `price` as the value of `second` and deletes every row older than `keepFrom`.
    public func record(second: Int64, price: Dollars, product: String, keepFrom: Int64) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO btc_price_1s (second, price_micros, product) VALUES (?, ?, ?) "
                    + "ON CONFLICT(second) DO UPDATE SET price_micros = excluded.price_micros, product = excluded.product",
                arguments: [second, price.micros, product])
            try db.execute(sql: "DELETE FROM btc_price_1s WHERE second < ?", arguments: [keepFrom])
        }
    }

    /// Every stored second, oldest first.
    public func load() async throws -> [(second: Int64, price: Dollars)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT second, price_micros FROM btc_price_1s ORDER BY second").map { row in
                (second: row["second"] as Int64, price: Dollars(micros: row["price_micros"] as Int64))
            }
        }
    }

    /// The journal mode in force (`wal`).
    public func journalMode() async throws -> String {
        try await pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}
