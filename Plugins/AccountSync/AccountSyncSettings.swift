import BusKit
import BusWire
import Foundation
import Kalshi
import Money

/// The `[plugin.account-sync]` section of `bus.conf`.
public struct AccountSyncSettings: Sendable, Hashable {
    /// The keys the section may hold (besides the kit's `enabled`, `host`, `command`).
    public static let keys: Set<String> = [
        "rest_url", "ws_url", "credentials", "database", "catchup_interval", "reconcile_interval", "series",
        "recheck_delay", "in_flight_grace", "debounce", "republish_window", "republish_interval", "republish_silence",
        "paper_balance", "settle_interval",
    ]
    /// The mode (`sim`, `paper`, `demo`, `prod`) from `[bus] mode`.
    public var mode: RunMode
    /// `rest_url`: Kalshi's REST root including `/trade-api/v2` (default per mode, ``KalshiEndpoints``).
    public var restURL: URL
    /// `ws_url`: Kalshi's WebSocket, ending in `/trade-api/ws/v2` (default per mode).
    public var wsURL: URL
    /// `credentials`: the folder holding `key_id` and `private_key.pem` (default `$RECIO_HOME/credentials/<mode>`).
    public var credentials: String
    /// `database`: the plugin's SQLite file (default `$RECIO_HOME/<mode>/account.sqlite`).
    public var database: String
    /// `catchup_interval`: seconds between full REST catch-ups (default 60 s).
    public var catchupInterval = 60.0
    /// `reconcile_interval`: seconds between reconciliations (default 60 s).
    public var reconcileInterval = 60.0
    /// `series`: venue positions reconciled are those of this series' markets (`KXBTCD`); `*` reconciles every market.
    public var series = "KXBTCD"
    /// `recheck_delay`: how soon a ticker that disagreed (or was in flight) is checked again (default 5 s).
    public var recheckDelay = 5.0
    /// `in_flight_grace`: a ticker with a fill seen this recently is rechecked rather than failed (default 5 s).
    public var inFlightGrace = 5.0
    /// `debounce`: how long pushes are gathered before the targeted REST refresh they trigger (default 250 ms).
    public var debounce = 0.25
    /// `republish_window`: how far back (before the newest stored order or fill) the venue orders, fills and
    /// settlements published again for a trade manager that may have missed them reach (default 2 h).
    public var republishWindow = 7_200.0
    /// `republish_interval`: the fewest seconds between two republishes of one market, or of the whole window
    /// (default 30 s).
    public var republishInterval = 30.0
    /// `republish_silence`: a trade manager whose `trade.state.open` was not seen for this long counts as having
    /// been away, and the window is published again when it reappears (default 15 s).
    public var republishSilence = 15.0
    /// `paper_balance`: paper mode's starting cash, in dollars (default 1000): the simulated account's balance before
    /// any paper fill or settlement.
    public var paperBalance = Dollars(cents: 100_000)
    /// `settle_interval`: paper mode: how often the markets held are looked up on the venue's public market endpoint
    /// for their result (default 30 s; also at once on a `market.lifecycle` message).
    public var settleInterval = 30.0

    /// Reads and validates the section; every problem names the file, line and key.
    public init(configuration: BusConfiguration, plugin: String = "account-sync", home: String = ProcInfo.recioHome)
        throws(AccountSyncError)
    {
        var r = SectionReader(file: configuration.file, name: "plugin.\(plugin)")
        for key in ["enabled", "host", "command"] { _ = r.raw(key) }  // the kit's own keys
        mode = configuration.bus.mode
        let (rest, ws) = (KalshiEndpoints.rest(mode: mode.rawValue).absoluteString, KalshiEndpoints.webSocket(mode: mode.rawValue).absoluteString)
        restURL = Self.url(&r, "rest_url", default: rest, schemes: ["http", "https"])
        wsURL = Self.url(&r, "ws_url", default: ws, schemes: ["ws", "wss"])
        let layout = configuration.layout(home: home)
        credentials = r.optionalString("credentials") ?? layout.credentials
        database = r.optionalString("database") ?? layout.accountStore
        catchupInterval = r.seconds("catchup_interval", default: catchupInterval, range: 1...86_400)
        reconcileInterval = r.seconds("reconcile_interval", default: reconcileInterval, range: 1...86_400)
        recheckDelay = r.seconds("recheck_delay", default: recheckDelay, range: 0.05...3_600)
        inFlightGrace = r.seconds("in_flight_grace", default: inFlightGrace, range: 0...3_600)
        debounce = r.seconds("debounce", default: debounce, range: 0...60)
        republishWindow = r.seconds("republish_window", default: republishWindow, range: 60...7 * 86_400)
        republishInterval = r.seconds("republish_interval", default: republishInterval, range: 1...86_400)
        republishSilence = r.seconds("republish_silence", default: republishSilence, range: 1...86_400)
        if let entry = r.raw("paper_balance") {
            if let v = Dollars(r.string("paper_balance", default: "")), v >= .zero { paperBalance = v } else {
                r.fail("paper_balance", line: entry.line, "expected a dollar amount such as 1000 or 250.50, got '\(entry.value)'")
            }
        }
        settleInterval = r.seconds("settle_interval", default: settleInterval, range: 0.05...86_400)
        series = r.string("series", default: series)
        if series.isEmpty || series.contains(where: { $0 == "." || $0 == " " || $0 == "-" }) {
            r.fail("series", line: r.raw("series")?.line, "expected a series ticker such as KXBTCD (or *), got '\(series)'")
        }
        let errors = r.finish()
        if !errors.isEmpty { throw AccountSyncError(configuration: errors) }
    }

    /// Whether a market's position takes part in reconciliation.
    public func reconciles(_ ticker: String) -> Bool { series == "*" || ticker.hasPrefix(series + "-") }

    /// A URL key with one of `schemes`; a fallback URL when the value is bad (the error is recorded).
    private static func url(_ r: inout SectionReader, _ key: String, default fallback: String, schemes: [String]) -> URL {
        let text = r.string(key, default: fallback)
        if let url = URL(string: text), let scheme = url.scheme, schemes.contains(scheme), url.host != nil { return url }
        r.fail(key, line: r.raw(key)?.line, "expected a \(schemes.map { $0 + "://" }.joined(separator: " or ")) URL, got '\(text)'")
        return URL(string: fallback)!
    }
}

/// The account sync's one error type: configuration problems (each naming file, line and key), unusable
/// credentials, or a database that cannot be opened.
public struct AccountSyncError: Error, Sendable, CustomStringConvertible {
    /// The configuration problems, all at once.
    public let configuration: [ConfigError]
    /// Anything else.
    public let message: String?

    /// Configuration problems.
    public init(configuration: [ConfigError]) { self.configuration = configuration; message = nil }
    /// Any other problem.
    public init(_ message: String) { configuration = []; self.message = message }

    /// The problems, one per line.
    public var description: String { message ?? configuration.map(\.description).joined(separator: "\n") }
}
