import BusKit
import Foundation
import Money
import ProbabilityModel

/// The `[plugin.model]` section of `bus.conf`.
public struct ModelSettings: Sendable {
    /// The keys the section may hold.
    public static let keys: Set<String> = [
        "model", "tables", "strikes", "watchlist_min_volume", "watchlist_max_ask", "min_probability", "min_edge", "series", "book_interval",
    ]
    /// `model`: `vol` (default) or `fingerprint`.
    public var modelName = "vol"
    /// `tables`: the fingerprint tables (default `$RECIO_HOME/model/fingerprints.json`); needed only by `fingerprint`.
    public var tables: String
    /// The tables, loaded when `model = fingerprint`.
    public var fingerprintTables: FingerprintTables?
    /// `strikes`: strikes per table, nearest the price (21).
    public var strikes = 21
    /// `watchlist_min_volume`, `watchlist_max_ask` (dollars), `min_probability` (percent), `min_edge` (dollars).
    public var filter = WatchlistFilter()
    /// `series`: the series followed (`KXBTCD`).
    public var series = "KXBTCD"
    /// `book_interval`: the least time between two tables of an event when only its books changed (0.2 s).
    public var bookInterval = 0.2

    /// Reads and validates the section (and loads the tables for `fingerprint`); every problem names file, line and key.
    public init(configuration: BusConfiguration, plugin: String = "model", home: String = ProcInfo.recioHome) throws(ModelPluginError) {
        var r = SectionReader(file: configuration.file, name: "plugin.\(plugin)")
        for key in ["enabled", "host", "command"] { _ = r.raw(key) }  // the kit's own keys
        modelName = r.string("model", default: modelName)
        if modelName != "vol" && modelName != "fingerprint" {
            r.fail("model", line: r.raw("model")?.line, "expected vol or fingerprint, got '\(modelName)'")
        }
        tables = r.optionalString("tables") ?? configuration.layout(home: home).modelTables
        if modelName == "fingerprint" {
            let line = r.raw("tables")?.line
            if !FileManager.default.fileExists(atPath: tables) {
                r.fail("tables", line: line, "model = fingerprint needs fingerprint tables, none at '\(tables)' (run `recio model fit`)")
            } else {
                do { fingerprintTables = try FingerprintTables.read(from: tables) } catch { r.fail("tables", line: line, error.message) }
            }
        }
        strikes = r.int("strikes", default: strikes, range: 1...200)
        filter.minVolume = Contracts(whole: Int64(r.int("watchlist_min_volume", default: 1_000, range: 0...100_000_000)))
        filter.maxAsk = Self.dollars(&r, "watchlist_max_ask", default: filter.maxAsk, range: Dollars.zero...Dollars(cents: 100))
        filter.minEdge = Self.dollars(&r, "min_edge", default: filter.minEdge, range: Dollars(cents: -100)...Dollars(cents: 100))
        let percent = r.string("min_probability", default: "37")
        if let p = Double(percent), (0...100).contains(p) { filter.minProbability = p / 100 } else {
            r.fail("min_probability", line: r.raw("min_probability")?.line, "expected a percentage 0…100, got '\(percent)'")
        }
        series = r.string("series", default: series)
        if series.isEmpty || series.contains(where: { $0 == "." || $0 == " " || $0 == "-" }) {
            r.fail("series", line: r.raw("series")?.line, "expected a series ticker such as KXBTCD, got '\(series)'")
        }
        bookInterval = r.seconds("book_interval", default: bookInterval, range: 0...60)
        let errors = r.finish()
        if !errors.isEmpty { throw ModelPluginError(configuration: errors) }
    }

    /// The model the settings name.
    public var model: any ProbabilityModel {
        if modelName == "fingerprint", let t = fingerprintTables { return FingerprintModel(tables: t) }
        return VolatilityModel()
    }

    /// A dollar amount key such as `0.98`.
    private static func dollars(_ r: inout SectionReader, _ key: String, default fallback: Dollars, range: ClosedRange<Dollars>) -> Dollars {
        let text = r.string(key, default: fallback.description)
        if let d = Dollars(text), range.contains(d) { return d }
        r.fail(key, line: r.raw(key)?.line, "expected dollars between \(range.lowerBound) and \(range.upperBound), got '\(text)'")
        return fallback
    }
}

/// The model plugin's one error type: configuration problems, each naming file, line and key.
public struct ModelPluginError: Error, Sendable, CustomStringConvertible {
    /// The configuration problems, all at once.
    public let configuration: [ConfigError]
    /// An error from configuration problems.
    public init(configuration: [ConfigError]) { self.configuration = configuration }
    /// Every problem, one a line.
    public var description: String { configuration.map(\.description).joined(separator: "\n") }
}
