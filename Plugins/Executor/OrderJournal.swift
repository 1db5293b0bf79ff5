import BusWire
import Foundation
import GRDB
import TradingWire

/// One intent in the journal: what was asked, how far it got, and the answer.
public struct JournalEntry: Sendable, Hashable {
    /// How far an intent got.
    public enum State: String, Sendable, Hashable {
        /// Recorded, not sent: after a restart it is dropped, so a repeat is judged afresh.
        case received
        /// Sent (or about to be) without an answer yet: resolved by `client_order_id`, never sent again.
        case sent
        /// Answered `error`: the venue's answer is unknown; resolved by `client_order_id` in the background.
        case unknown
        /// Answered for good.
        case answered
    }
    /// The intent's key.
    public var key: String
    /// The `client_order_id` derived from the key.
    public var clientOrderID: String
    /// The intent as first received.
    public var intent: OrderIntent
    /// How far it got.
    public var state: State
    /// The answer, once there is one.
    public var answer: OrderEvent?
    /// When the state last changed.
    public var updated: BusTime
}

/// The executor's own SQLite file (WAL, through a `DatabasePool`): every intent by key with its state and answer,
/// the holds placed by commands, and the paper order counter. No other plugin opens it.
public final class OrderJournal: Sendable {
    private let pool: DatabasePool

    /// Opens (creating when needed) the journal at `path`.
    public init(path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        pool = try DatabasePool(path: path)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "intents") { t in
                t.primaryKey("key", .text)
                t.column("client_order_id", .text).notNull()
                t.column("intent", .text).notNull()
                t.column("state", .text).notNull()
                t.column("answer", .text)
                t.column("updated_us", .integer).notNull()
            }
            try db.create(table: "holds") { t in
                t.primaryKey("holder", .text)
                t.column("hold", .text).notNull()
            }
            try db.create(table: "counters") { t in
                t.primaryKey("name", .text)
                t.column("value", .integer).notNull()
            }
        }
        try migrator.migrate(pool)
    }

    /// The entry for `key`, if any.
    public func entry(_ key: String) async throws -> JournalEntry? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM intents WHERE key = ?", arguments: [key]).map(Self.entry)
        }
    }

    /// Records a new intent as `received`.
    public func insert(_ intent: OrderIntent, clientOrderID: String, at now: BusTime) async throws {
        let text = try Self.json(intent)
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO intents (key, client_order_id, intent, state, answer, updated_us) VALUES (?, ?, ?, 'received', NULL, ?)",
                           arguments: [intent.key, clientOrderID, text, now.microseconds])
        }
    }

    /// Moves `order`'s key to `sent`, keeping `order` as what was sent (a close's count may be capped below the
    /// intent's), so a resolver after a restart answers for the order that went out.
    public func markSent(_ order: OrderIntent, at now: BusTime) async throws {
        let text = try Self.json(order)
        try await pool.write { db in
            try db.execute(sql: "UPDATE intents SET state = 'sent', intent = ?, updated_us = ? WHERE key = ?",
                           arguments: [text, now.microseconds, order.key])
        }
    }

    /// Stores `answer` for its key: `answered`, or `unknown` for an `error` answer still to be resolved.
    public func answer(_ answer: OrderEvent, at now: BusTime) async throws {
        let text = try Self.json(answer)
        let state = answer.outcome == .error ? JournalEntry.State.unknown : .answered
        try await pool.write { db in
            try db.execute(sql: "UPDATE intents SET state = ?, answer = ?, updated_us = ? WHERE key = ?",
                           arguments: [state.rawValue, text, now.microseconds, answer.key])
        }
    }

    /// Entries sent without a final answer (`sent` and `unknown`), oldest first.
    public func unresolved() async throws -> [JournalEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM intents WHERE state IN ('sent', 'unknown') ORDER BY updated_us").map(Self.entry)
        }
    }

    /// Entries answered since `since`, oldest first (to rebuild the risk gate's exposure).
    public func answered(since: BusTime) async throws -> [JournalEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM intents WHERE state = 'answered' AND updated_us >= ? ORDER BY updated_us",
                             arguments: [since.microseconds]).map(Self.entry)
        }
    }

    /// Drops entries never sent (a crash between receiving and sending): a repeat is judged afresh.
    @discardableResult
    public func dropReceived() async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM intents WHERE state = 'received'")
            return db.changesCount
        }
    }

    /// Replaces the kept command holds.
    public func saveHolds(_ holds: [TradingStatus.Hold]) async throws {
        let rows = try holds.map { ($0.holder, try Self.json($0)) }
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM holds")
            for (holder, text) in rows { try db.execute(sql: "INSERT INTO holds (holder, hold) VALUES (?, ?)", arguments: [holder, text]) }
        }
    }

    /// The kept command holds.
    public func holds() async throws -> [TradingStatus.Hold] {
        let texts = try await pool.read { db in try String.fetchAll(db, sql: "SELECT hold FROM holds ORDER BY holder") }
        return try texts.map { try JSONDecoder().decode(TradingStatus.Hold.self, from: Data($0.utf8)) }
    }

    /// The next number of counter `name` (1, 2, ...), kept across restarts.
    public func next(_ name: String) async throws -> Int64 {
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1",
                           arguments: [name])
            return try Int64.fetchOne(db, sql: "SELECT value FROM counters WHERE name = ?", arguments: [name]) ?? 1
        }
    }

    /// The journal mode in force (`wal`).
    public func journalMode() async throws -> String {
        try await pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    private static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    private static func entry(_ row: Row) throws -> JournalEntry {
        let intent = try JSONDecoder().decode(OrderIntent.self, from: Data((row["intent"] as String).utf8))
        let answer = try (row["answer"] as String?).map { try JSONDecoder().decode(OrderEvent.self, from: Data($0.utf8)) }
        return JournalEntry(key: row["key"], clientOrderID: row["client_order_id"], intent: intent,
                            state: JournalEntry.State(rawValue: row["state"]) ?? .sent, answer: answer,
                            updated: BusTime(microseconds: row["updated_us"]))
    }
}
