import AutoEntry
import BusKit
import Model
import Money
import ProbabilityModel
import TradeSupervisor

/// A strategy: the settings the model, auto-entry and trade-supervisor plugins read, as values.
public struct Strategy: Sendable {
    /// A label for reports.
    public var name: String
    /// The `[plugin.model]` probability model.
    public var model: any ProbabilityModel
    /// Strikes per table.
    public var strikes: Int
    /// The watchlist filter.
    public var filter: WatchlistFilter
    /// The series.
    public var series: String
    /// The least time between two tables of an event when only its books changed.
    public var bookInterval: Double
    /// `[plugin.auto-entry]`.
    public var entry: AutoEntrySettings
    /// `[plugin.trade-supervisor]`.
    public var supervisor: SupervisorSettings

    /// A strategy from parts.
    public init(name: String, model: any ProbabilityModel, strikes: Int = 21, filter: WatchlistFilter = WatchlistFilter(), series: String = "KXBTCD",
                bookInterval: Double = 0.2, entry: AutoEntrySettings, supervisor: SupervisorSettings) {
        self.name = name; self.model = model; self.strikes = strikes; self.filter = filter; self.series = series
        self.bookInterval = bookInterval; self.entry = entry; self.supervisor = supervisor
    }

    /// The strategy of a `bus.conf`-style configuration: its `[plugin.model]`, `[plugin.auto-entry]` and
    /// `[plugin.trade-supervisor]` sections, read by the plugins' own readers. `auto_entry` is forced on (a
    /// backtest of a switched-off strategy trades nothing); `tables`, when given, replace the model with the
    /// fingerprint model over them (walk-forward).
    public static func from(configuration: BusConfiguration, tables: FingerprintTables? = nil, home: String = ProcInfo.recioHome) throws(BacktestError) -> Strategy {
        do {
            let m = try ModelSettings(configuration: configuration, plugin: ModelPlugin.name, home: home)
            var (entry, _) = try AutoEntrySettings.load(configuration: configuration, plugin: AutoEntry.name, home: home)
            let (supervisor, _) = try SupervisorSettings.load(configuration: configuration, plugin: TradeSupervisor.name, home: home)
            entry.enabled = true
            let model: any ProbabilityModel = tables.map { FingerprintModel(tables: $0) } ?? m.model
            return Strategy(name: "strategy", model: model, strikes: m.strikes, filter: m.filter, series: m.series, bookInterval: m.bookInterval,
                            entry: entry, supervisor: supervisor)
        } catch { throw BacktestError("\(configuration.file.path): \(error)") }
    }

    /// REC.IO's original default rules (recio-original-system.md §2.8, §3): the fingerprint model when tables are
    /// given (else `vol`), the UPC watchlist filter, auto-entry at min_probability 25 % and min_differential 0 with
    /// its hidden 0.5¢ slack, 1 contract, 10 s cooldown, no caps on positions or risk, re-entry not enforced, the
    /// spike pause 40/30/15 min; auto-stop below 25 % after 60 s since entry with no verification period, closing
    /// at the current ask; the ripcord at 35.
    public static func original(tables: FingerprintTables?) -> Strategy {
        var e = AutoEntrySettings()
        e.enabled = true
        e.minProbabilityPercent = 25
        e.minEdge = Dollars(micros: -5_000)
        e.cooldown = 10
        e.allowReEntry = true
        e.maxOpenPositions = 1_000
        e.maxRiskPerEvent = Dollars(cents: 100_000_000)
        e.maxRiskPerHour = Dollars(cents: 100_000_000)
        var s = SupervisorSettings()
        s.autoStop = true
        s.stopProbabilityPercent = 25
        s.confirmationSeconds = 0
        s.minSecondsSinceEntry = 60
        s.maxSlippage = .zero
        s.ripcordEnabled = true
        s.ripcordThreshold = 35
        let model: any ProbabilityModel = tables.map { FingerprintModel(tables: $0) } ?? VolatilityModel()
        return Strategy(name: "original REC.IO defaults (\(model.name))", model: model, entry: e, supervisor: s)
    }
}
