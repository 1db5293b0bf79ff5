import BusKit
import Foundation

/// The `[plugin.failure-detector]` section of `bus.conf`.
public struct DetectorSettings: Sendable, Hashable {
    /// The keys the section may hold.
    public static let keys: Set<String> = [
        "stale_beats", "dead_after", "btc_stale_after", "books_stale_after", "required", "cascade_failures", "cascade_window",
        "cascade_recovery", "startup_grace", "repeat_interval", "webhook_url", "market_feed",
    ]
    /// This plugin's own name (its heartbeats are not judged).
    var selfName = "failure-detector"
    /// The bus heartbeat interval, from `[bus]`.
    var heartbeatInterval = 1.0
    /// `stale_beats`: heartbeats missed before a plugin is stale (default 3).
    var staleBeats = 3
    /// `dead_after`: seconds of silence before a plugin is dead (default 10 s).
    var deadAfter = 10.0
    /// `btc_stale_after`: seconds without a BTC tick before entries stop (default 5 s).
    var btcStaleAfter = 5.0
    /// `books_stale_after`: the market feed's book age before entries stop (default 60 s).
    var booksStaleAfter = 60.0
    /// `required`: plugins whose absence stops entries (closes go on).
    var required = ["price-feed", "market-feed", "model", "executor", "trade-manager", "trade-supervisor", "account-sync"]
    /// `cascade_failures` within `cascade_window` seconds halt trading (defaults 3 in 60 s).
    var cascadeFailures = 3
    var cascadeWindow = 60.0
    /// `cascade_recovery`: seconds without a failure, every required plugin alive, before a cascade halt lifts (120 s).
    var cascadeRecovery = 120.0
    /// `startup_grace`: seconds after start before a plugin never heard from counts as dead (default 15 s).
    var startupGrace = 15.0
    /// `repeat_interval`: how often standing holds are sent again (default 5 s).
    var repeatInterval = 5.0
    /// `webhook_url`: where alerts are POSTed as JSON, if set.
    var webhookURL: URL?
    /// `market_feed`: the plugin whose heartbeat carries the book age (default `market-feed`).
    var marketFeed = "market-feed"

    /// Seconds of silence before a plugin is stale.
    var staleAfter: Double { Double(staleBeats) * heartbeatInterval + heartbeatInterval / 2 }

    /// Defaults, for tests.
    init() {}

    /// Reads and validates the section; every problem names the file, line and key.
    init(configuration: BusConfiguration, plugin: String) throws(FailureDetectorError) {
        var r = SectionReader(file: configuration.file, name: "plugin.\(plugin)")
        for key in ["enabled", "host", "command"] { _ = r.raw(key) }
        selfName = plugin
        heartbeatInterval = configuration.bus.heartbeatInterval
        staleBeats = r.int("stale_beats", default: staleBeats, range: 1...100)
        deadAfter = r.seconds("dead_after", default: deadAfter, range: 0.1...3_600)
        btcStaleAfter = r.seconds("btc_stale_after", default: btcStaleAfter, range: 0.1...3_600)
        booksStaleAfter = r.seconds("books_stale_after", default: booksStaleAfter, range: 0.1...3_600)
        required = r.list("required", default: required)
        cascadeFailures = r.int("cascade_failures", default: cascadeFailures, range: 1...1_000)
        cascadeWindow = r.seconds("cascade_window", default: cascadeWindow, range: 1...86_400)
        cascadeRecovery = r.seconds("cascade_recovery", default: cascadeRecovery, range: 0...86_400)
        startupGrace = r.seconds("startup_grace", default: startupGrace, range: 0...3_600)
        repeatInterval = r.seconds("repeat_interval", default: repeatInterval, range: 0.1...3_600)
        marketFeed = r.string("market_feed", default: marketFeed)
        if let text = r.optionalString("webhook_url") {
            if let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil { webhookURL = url } else {
                r.fail("webhook_url", line: r.raw("webhook_url")?.line, "expected an http:// or https:// URL, got '\(text)'")
            }
        }
        if deadAfter <= staleAfter {
            r.fail("dead_after", line: r.raw("dead_after")?.line,
                   "must be longer than stale_beats × heartbeat_interval (\(staleAfter) s)")
        }
        let errors = r.finish()
        if !errors.isEmpty { throw FailureDetectorError(configuration: errors) }
    }
}

/// The failure detector's one error type: configuration problems, each naming file, line and key.
public struct FailureDetectorError: Error, Sendable, CustomStringConvertible {
    public let configuration: [ConfigError]
    public var description: String { configuration.map(\.description).joined(separator: "\n") }
}
