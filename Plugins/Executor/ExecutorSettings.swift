import BusKit
import BusWire
import Foundation
import Kalshi
import Money

/// The `[plugin.executor]` section of `bus.conf`.
public struct ExecutorSettings: Sendable, Hashable {
    /// The keys the section may hold.
    public static let keys: Set<String> = [
        "rest_url", "credentials", "journal", "max_order_contracts", "max_order_cost", "max_market_contracts",
        "max_event_cost", "orders_per_minute", "require_reconciliation", "status_interval", "resolve_interval",
        "max_total_cost", "max_hourly_cost", "max_daily_loss", "series", "confirm_prod_key_id",
    ]
    /// `bus.mode`: `sim`, `paper`, `demo` or `prod`.
    public var mode: RunMode
    /// `rest_url`: Kalshi's REST root including `/trade-api/v2` (default per mode, `KalshiEndpoints.rest`).
    public var restURL: URL
    /// `credentials`: the folder with `key_id` and `private_key.pem` (default `$RECIO_HOME/credentials/<mode>`, ``DataLayout/credentials``).
    public var credentials: String
    /// `journal`: the executor's SQLite file (default `$RECIO_HOME/<mode>/executor.sqlite`).
    public var journal: String
    /// The risk limits (`max_order_contracts`, `max_order_cost`, `max_market_contracts`, `max_event_cost`,
    /// `max_total_cost`, `max_hourly_cost`, `max_daily_loss`, `orders_per_minute`, and `series`, the series allowed).
    public var limits: RiskLimits
    /// `require_reconciliation`: hold REDUCING until `account.reconciliation` passes (default true; false in paper).
    public var requireReconciliation: Bool
    /// `status_interval`: seconds between republished trading states (default 5 s).
    public var statusInterval: Double
    /// `resolve_interval`: seconds between look-ups of orders whose outcome is unknown (default 5 s).
    public var resolveInterval: Double
    /// `confirm_prod_key_id`: in mode `prod`, the key id of the prod credentials, confirming that real money is meant
    /// (or `recio up --confirm-prod KEY_ID`); see ``ProdConfirmation``.
    public var confirmProdKeyID: String?
    /// The `bus.conf` these settings came from.
    public var configPath: String

    /// Reads and validates the section; every problem names the file, line and key.
    public init(configuration: BusConfiguration, plugin: String = "executor", home: String = ProcInfo.recioHome) throws(ExecutorError) {
        var r = SectionReader(file: configuration.file, name: "plugin.\(plugin)")
        for key in ["enabled", "host", "command"] { _ = r.raw(key) }  // the kit's own keys
        mode = configuration.bus.mode
        let fallback = KalshiEndpoints.rest(mode: mode.rawValue).absoluteString
        let text = r.string("rest_url", default: fallback)
        if let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil {
            restURL = url
        } else {
            r.fail("rest_url", line: r.raw("rest_url")?.line, "expected an http:// or https:// URL, got '\(text)'")
            restURL = URL(string: fallback)!
        }
        let layout = configuration.layout(home: home)
        credentials = r.optionalString("credentials") ?? layout.credentials
        journal = r.optionalString("journal") ?? layout.executorJournal
        var limits = RiskLimits()
        limits.maxOrderContracts = Contracts(whole: Int64(r.int("max_order_contracts", default: 100, range: 1...1_000_000)))
        limits.maxMarketContracts = Contracts(whole: Int64(r.int("max_market_contracts", default: 250, range: 1...10_000_000)))
        limits.maxOrderCost = Self.dollars(&r, "max_order_cost", default: limits.maxOrderCost)
        limits.maxEventCost = Self.dollars(&r, "max_event_cost", default: limits.maxEventCost)
        limits.maxTotalCost = Self.dollars(&r, "max_total_cost", default: limits.maxTotalCost)
        limits.maxHourlyCost = Self.dollars(&r, "max_hourly_cost", default: limits.maxHourlyCost)
        limits.maxDailyLoss = Self.dollars(&r, "max_daily_loss", default: limits.maxDailyLoss)
        limits.ordersPerMinute = r.int("orders_per_minute", default: limits.ordersPerMinute, range: 1...10_000)
        let series = r.list("series", default: limits.series.sorted())
        if let bad = series.first(where: { $0.isEmpty || !$0.allSatisfy { $0.isUppercase || $0.isNumber } }) {
            r.fail("series", line: r.raw("series")?.line, "expected series tickers such as KXBTCD, got '\(bad)'")
        } else if series.isEmpty {
            r.fail("series", line: r.raw("series")?.line, "at least one series, such as KXBTCD")
        } else {
            limits.series = Set(series)
        }
        self.limits = limits
        requireReconciliation = r.bool("require_reconciliation", default: mode != .paper)
        statusInterval = r.seconds("status_interval", default: 5, range: 0.05...3_600)
        resolveInterval = r.seconds("resolve_interval", default: 5, range: 0.05...3_600)
        confirmProdKeyID = r.optionalString("confirm_prod_key_id")
        configPath = configuration.path
        let errors = r.finish()
        if !errors.isEmpty { throw ExecutorError(configuration: errors) }
    }

    /// A positive dollar amount such as `50` or `12.50`.
    private static func dollars(_ r: inout SectionReader, _ key: String, default fallback: Dollars) -> Dollars {
        guard let entry = r.raw(key) else { return fallback }
        let text = r.string(key, default: fallback.description)
        guard let value = Dollars(text), value > .zero else {
            r.fail(key, line: entry.line, "expected a positive dollar amount such as 50 or 12.50, got '\(text)'")
            return fallback
        }
        return value
    }
}

/// The executor's one error type: configuration problems (each naming file, line and key), unusable credentials,
/// or a journal that cannot be opened.
public struct ExecutorError: Error, Sendable, CustomStringConvertible {
    /// The configuration problems, all at once.
    public let configuration: [ConfigError]
    /// Anything else.
    public let message: String?

    /// Configuration problems.
    public init(configuration: [ConfigError]) { self.configuration = configuration; message = nil }
    /// Any other problem.
    public init(_ message: String) { configuration = []; self.message = message }

    /// Every problem, one a line.
    public var description: String { message ?? configuration.map(\.description).joined(separator: "\n") }
}
