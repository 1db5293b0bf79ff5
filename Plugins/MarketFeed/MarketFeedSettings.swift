import BusKit
import BusWire
import Foundation
import Kalshi

/// The `[plugin.market-feed]` section of `bus.conf`.
public struct MarketFeedSettings: Sendable, Hashable {
    /// The keys the section may hold.
    public static let keys: Set<String> = ["rest_url", "ws_url", "series", "refresh_interval", "book_fallback_interval", "stale_after", "credentials"]
    /// `rest_url`: Kalshi's REST root including `/trade-api/v2`.
    public var restURL: URL
    /// `ws_url`: Kalshi's WebSocket, ending in `/trade-api/ws/v2`.
    public var wsURL: URL
    /// `series`: the series whose hourly events are followed (`KXBTCD`).
    public var series = "KXBTCD"
    /// `refresh_interval`: seconds between readings of the series' events (default 15 s).
    public var refreshInterval = 15.0
    /// `book_fallback_interval`: how often markets without a valid WebSocket book (before their snapshot, after a
    /// gap, or with no WebSocket at all) get their top of book from a REST snapshot instead (default 5 s).
    public var bookFallbackInterval = 5.0
    /// `stale_after`: seconds without book data after which the heartbeat says degraded (default 30 s).
    public var staleAfter = 30.0
    /// `credentials`: the folder holding `key_id` and `private_key.pem` (default `$RECIO_HOME/credentials/<mode>`).
    /// When it does not exist the feed runs unsigned on public endpoints.
    public var credentials: String

    /// Reads and validates the section; every problem names the file, line and key.
    public init(configuration: BusConfiguration, plugin: String = "market-feed", home: String = ProcInfo.recioHome) throws(MarketFeedError) {
        var r = SectionReader(file: configuration.file, name: "plugin.\(plugin)")
        for key in ["enabled", "host", "command"] { _ = r.raw(key) }  // the kit's own keys
        let mode = configuration.bus.mode
        let (rest, ws) = (KalshiEndpoints.rest(mode: mode.rawValue).absoluteString, KalshiEndpoints.webSocket(mode: mode.rawValue).absoluteString)
        restURL = Self.url(&r, "rest_url", default: rest, schemes: ["http", "https"])
        wsURL = Self.url(&r, "ws_url", default: ws, schemes: ["ws", "wss"])
        series = r.string("series", default: series)
        if series.isEmpty || series.contains(where: { $0 == "." || $0 == " " || $0 == "-" }) {
            r.fail("series", line: r.raw("series")?.line, "expected a series ticker such as KXBTCD, got '\(series)'")
        }
        refreshInterval = r.seconds("refresh_interval", default: refreshInterval, range: 0.05...3_600)
        bookFallbackInterval = r.seconds("book_fallback_interval", default: bookFallbackInterval, range: 0.05...3_600)
        staleAfter = r.seconds("stale_after", default: staleAfter, range: 0.1...3_600)
        credentials = r.optionalString("credentials") ?? configuration.layout(home: home).credentials
        let errors = r.finish()
        if !errors.isEmpty { throw MarketFeedError(configuration: errors) }
    }

    /// A URL key with one of `schemes`; a fallback URL when the value is bad (the error is recorded).
    private static func url(_ r: inout SectionReader, _ key: String, default fallback: String, schemes: [String]) -> URL {
        let text = r.string(key, default: fallback)
        if let url = URL(string: text), let scheme = url.scheme, schemes.contains(scheme), url.host != nil { return url }
        r.fail(key, line: r.raw(key)?.line, "expected a \(schemes.map { $0 + "://" }.joined(separator: " or ")) URL, got '\(text)'")
        return URL(string: fallback)!
    }
}

/// The market feed's one error type: configuration problems (each naming file, line and key) or unusable
/// credentials.
public struct MarketFeedError: Error, Sendable, CustomStringConvertible {
    /// The configuration problems, all at once.
    public let configuration: [ConfigError]
    /// Anything else.
    public let message: String?

    public init(configuration: [ConfigError]) { self.configuration = configuration; message = nil }
    public init(_ message: String) { configuration = []; self.message = message }

    public var description: String { message ?? configuration.map(\.description).joined(separator: "\n") }
}
