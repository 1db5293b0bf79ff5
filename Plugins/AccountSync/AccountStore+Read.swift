import GRDB
import Money
public import TradingWire

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

    /// Every stored fill and settlement, each oldest first: what paper mode rebuilds its account from.
    public func ledger() async throws -> (fills: [VenueFill], settlements: [VenueSettlement]) {
        try await pool.read { db in
            (try Row.fetchAll(db, sql: "SELECT * FROM fills ORDER BY ts, rowid").compactMap(Self.fill(from:)),
             try Row.fetchAll(db, sql: "SELECT * FROM settlements ORDER BY settled_ts, rowid").map(Self.settlement(from:)))
        }
    }

    /// The journal mode in force (`wal`).
    public func journalMode() async throws -> String {
        try await pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}

/// Stored venue messages to publish again, each kind oldest first.
public struct RecentVenue: Sendable, Hashable {
    /// Orders, by last update.
    public var orders: [VenueOrderUpdate] = []
    /// Fills, by time.
    public var fills: [VenueFill] = []
    /// Settlements, by settled time.
    public var settlements: [VenueSettlement] = []
    /// Nothing.
    public init() {}
    /// True when there is nothing to publish.
    public var isEmpty: Bool { orders.isEmpty && fills.isEmpty && settlements.isEmpty }
}

extension AccountStore {
    /// The stored orders, fills and settlements of `ticker` (of every market when nil) from the last `window`
    /// seconds of the account's activity (before the newest stored order or fill), at most the newest `limit` of
    /// each kind, oldest first: what is published again for a receiver that may have missed it.
    public func recent(ticker: String?, window: Int64, limit: Int) async throws -> RecentVenue {
        try await pool.read { db in
            let newest = try Int64.fetchOne(db, sql: "SELECT MAX(m) FROM (SELECT MAX(ts) AS m FROM fills UNION ALL SELECT MAX(ts) FROM orders)")
            guard let newest else { return RecentVenue() }
            let since = newest - window
            let market = ticker == nil ? "" : " AND ticker = ?"
            func args(_ extra: [any DatabaseValueConvertible]) -> StatementArguments {
                StatementArguments([since] + (ticker.map { [$0] } ?? []) + extra)
            }
            var out = RecentVenue()
            out.orders = try Row.fetchAll(db, sql: """
                SELECT * FROM (SELECT * FROM orders WHERE ts >= ?\(market) ORDER BY ts DESC, order_id DESC LIMIT ?) ORDER BY ts, order_id
                """, arguments: args([limit])).compactMap(Self.order(from:))
            out.fills = try Row.fetchAll(db, sql: """
                SELECT * FROM (SELECT * FROM fills WHERE ts >= ?\(market) ORDER BY ts DESC, fill_id DESC LIMIT ?) ORDER BY ts, fill_id
                """, arguments: args([limit])).compactMap(Self.fill(from:))
            out.settlements = try Row.fetchAll(db, sql: """
                SELECT * FROM (SELECT * FROM settlements WHERE settled_ts >= ?\(market) ORDER BY settled_ts DESC LIMIT ?) ORDER BY settled_ts, ticker
                """, arguments: args([limit])).map(Self.settlement(from:))
            return out
        }
    }

    static func order(from r: Row) -> VenueOrderUpdate? {
        guard let side = TradeSide(rawValue: r["side"] as String? ?? "") else { return nil }
        return VenueOrderUpdate(orderID: r["order_id"], clientOrderID: r["client_order_id"], ticker: r["ticker"], side: side,
                                action: r["action"], status: r["status"], filledCount: Contracts(centis: r["filled_centis"]),
                                remainingCount: Contracts(centis: r["remaining_centis"]),
                                price: (r["price_micros"] as Int64?).map(Dollars.init(micros:)), ts: r["ts"])
    }

    static func fill(from r: Row) -> VenueFill? {
        guard let side = TradeSide(rawValue: r["side"] as String? ?? "") else { return nil }
        return VenueFill(fillID: r["fill_id"], orderID: r["order_id"], ticker: r["ticker"], side: side, action: r["action"],
                         count: Contracts(centis: r["count_centis"]), price: Dollars(micros: r["price_micros"]),
                         fee: (r["fee_micros"] as Int64?).map(Dollars.init(micros:)), isTaker: r["is_taker"], ts: r["ts"])
    }

    static func settlement(from r: Row) -> VenueSettlement {
        VenueSettlement(ticker: r["ticker"], eventTicker: r["event_ticker"], result: r["result"], yesCount: Contracts(centis: r["yes_centis"]),
                        noCount: Contracts(centis: r["no_centis"]), yesTotalCost: (r["yes_cost_micros"] as Int64?).map(Dollars.init(micros:)),
                        noTotalCost: (r["no_cost_micros"] as Int64?).map(Dollars.init(micros:)), revenue: Dollars(micros: r["revenue_micros"]),
                        fee: (r["fee_micros"] as Int64?).map(Dollars.init(micros:)), settledTs: r["settled_ts"])
    }
}
