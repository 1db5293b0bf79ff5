import BusKit
import BusWire

/// The `[plugin.price-feed]` section of `bus.conf`.
public struct PriceFeedSettings: Sendable, Hashable {
    /// The keys the section may hold.
    public static let keys: Set<String> = ["url", "product", "history_window", "stale_after", "silence_timeout", "database"]
    /// The simulator's feed (`recio sim`), the default in mode `sim`.
    public static let simulatorURL = "ws://127.0.0.1:7200/coinbase"
    /// The real Coinbase Exchange feed, the default in modes `paper`, `demo` and `prod`.
    public static let coinbaseURL = "wss://ws-feed.exchange.coinbase.com"

    /// `url`: the feed to follow; by default the simulator's in mode `sim`, else the real Coinbase Exchange.
    public var url: String
    /// `product`: the Coinbase product (`BTC-USD`).
    public var product = "BTC-USD"
    /// `history_window`: how much 1-second history the database keeps (default 2h). Momentum keeps the 31 minutes
    /// it needs in memory whatever this is.
    public var historyWindow = 7_200.0
    /// `stale_after`: seconds without a tick after which the heartbeat says degraded.
    public var staleAfter = 5.0
    /// `silence_timeout`: seconds without any message after which the connection is made again.
    public var silenceTimeout = 10.0
    /// `database`: the SQLite file (default `$RECIO_HOME/<mode>/price-feed.sqlite`).
    public var database: String

    /// Reads and validates the section; every problem names the file, line and key.
    public init(configuration: BusConfiguration, plugin: String = "price-feed", home: String = ProcInfo.recioHome) throws(PriceFeedError) {
        var r = SectionReader(file: configuration.file, name: "plugin.\(plugin)")
        for key in ["enabled", "host", "command"] { _ = r.raw(key) }  // the kit's own keys
        url = r.string("url", default: configuration.bus.mode == .sim ? Self.simulatorURL : Self.coinbaseURL)
        if !(url.hasPrefix("ws://") || url.hasPrefix("wss://")) {
            r.fail("url", line: r.raw("url")?.line, "expected a ws:// or wss:// URL, got '\(url)'")
        }
        product = r.string("product", default: product)
        historyWindow = r.seconds("history_window", default: historyWindow, range: 10...(90 * 86_400))
        staleAfter = r.seconds("stale_after", default: staleAfter, range: 0.1...3_600)
        silenceTimeout = r.seconds("silence_timeout", default: silenceTimeout, range: 0.1...3_600)
        database = r.optionalString("database") ?? configuration.layout(home: home).priceHistory
        let errors = r.finish()
        if !errors.isEmpty { throw PriceFeedError(configuration: errors) }
    }
}

/// The price feed's one error type: configuration problems (each naming file, line and key) or a failure to
/// open its database.
public struct PriceFeedError: Error, Sendable, CustomStringConvertible {
    /// The configuration problems, all at once.
    public let configuration: [ConfigError]
    /// Anything else.
    public let message: String?

    public init(configuration: [ConfigError]) { self.configuration = configuration; message = nil }
    public init(_ message: String) { configuration = []; self.message = message }

    public var description: String { message ?? configuration.map(\.description).joined(separator: "\n") }
}

/// Whether the BTC price is fresh enough to trade on. Pure: the clock's reading is passed in.
public enum Staleness {
    /// The plugin state and note for a last tick at `lastTick` (nil: none yet) seen from `now`.
    public static func judge(lastTick: BusTime?, now: BusTime, staleAfter: Double) -> (PluginState, String?) {
        guard let last = lastTick else { return (.degraded, "no BTC tick yet") }
        let age = last.seconds(until: now)
        if age > staleAfter {
            let tenths = (age * 10).rounded() / 10
            return (.degraded, "BTC price stale: no tick for \(tenths) s")
        }
        return (.running, nil)
    }
}
