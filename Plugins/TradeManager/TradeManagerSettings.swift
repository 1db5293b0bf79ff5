import BusKit
import BusWire

/// The `[plugin.trade-manager]` section of `bus.conf`.
public struct TradeManagerSettings: Sendable, Hashable {
    /// The keys the section may hold.
    public static let keys: Set<String> = ["database", "series", "open_publish_interval", "stats_interval", "stuck_after", "adopt_foreign_orders"]

    /// `database`: the SQLite file (default `$RECIO_HOME/<mode>/trades.sqlite`).
    public var database: String
    /// `series`: the series whose market events and lifecycle messages are read (`KXBTCD`).
    public var series = "KXBTCD"
    /// `open_publish_interval`: how often `trade.state.open` is republished without a change (default 5s).
    public var openPublishInterval = 5.0
    /// `stats_interval`: how often `trade.stats.summary` is republished without a final transition (default 60s).
    public var statsInterval = 60.0

    /// `stuck_after`: seconds a `pending` entry or a `closing` trade may wait for its answer before the executor is
    /// asked what became of it (default 60s).
    public var stuckAfter = 60.0

    /// `adopt_foreign_orders`: take venue orders rec.io did not place (no `client_order_id`) as trades (default false:
    /// they are reported, not adopted).
    public var adoptForeignOrders = false

    /// Reads and validates the section; every problem names the file, line and key.
    public init(configuration: BusConfiguration, plugin: String = "trade-manager", home: String = ProcInfo.recioHome)
        throws(TradeManagerError) {
        var r = SectionReader(file: configuration.file, name: "plugin.\(plugin)")
        for key in ["enabled", "host", "command"] { _ = r.raw(key) }  // the kit's own keys
        database = r.optionalString("database") ?? configuration.layout(home: home).tradeStore
        series = r.string("series", default: series)
        if series.isEmpty || series.contains(".") { r.fail("series", line: r.raw("series")?.line, "expected a series such as KXBTCD") }
        openPublishInterval = r.seconds("open_publish_interval", default: openPublishInterval, range: 0.1...3_600)
        statsInterval = r.seconds("stats_interval", default: statsInterval, range: 1...86_400)
        stuckAfter = r.seconds("stuck_after", default: stuckAfter, range: 5...86_400)
        adoptForeignOrders = r.bool("adopt_foreign_orders", default: false)
        let errors = r.finish()
        if !errors.isEmpty { throw TradeManagerError(configuration: errors) }
    }
}

/// The trade manager's one error type: configuration problems (each naming file, line and key) or a database
/// failure.
public struct TradeManagerError: Error, Sendable, CustomStringConvertible {
    /// The configuration problems, all at once.
    public let configuration: [ConfigError]
    /// Anything else.
    public let message: String?

    /// Configuration problems.
    public init(configuration: [ConfigError]) { self.configuration = configuration; message = nil }
    /// Another failure.
    public init(_ message: String) { configuration = []; self.message = message }

    public var description: String { message ?? configuration.map(\.description).joined(separator: "\n") }
}
