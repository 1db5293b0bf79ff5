import AutoEntry
import BusKit
import Foundation
import Money
import ProbabilityModel
import TradeSupervisor

/// What `recio backtest` is asked to do.
public struct BacktestOptions: Sendable {
    /// BTC 1-minute candle files (`ts,…,close`).
    public var prices: [String]
    /// The Kalshi candles and outcomes files.
    public var candles: String, outcomes: String
    /// The window: rows ending in (from, to], Unix seconds.
    public var from: Int64, to: Int64
    /// Walk-forward: fit fingerprint tables on BTC bars ending by this (must be ≤ from).
    public var fitUntil: Int64?
    /// The fingerprint tables file used for the comparison row when not fitting (`$RECIO_HOME/model/fingerprints.json`).
    public var tables: String
    /// The balance auto-entry sees.
    public var balance = Dollars(cents: 1_000_000)
    /// Minutes of prices replayed before the window (volatility warm-up).
    public var warmUpMinutes = 1_440
    /// Also run the original default rules, and score the models.
    public var compare = true, calibrate = true

    /// Options.
    public init(prices: [String], candles: String, outcomes: String, from: Int64, to: Int64, fitUntil: Int64? = nil,
                tables: String = ProcInfo.recioHome + "/model/fingerprints.json") {
        self.prices = prices; self.candles = candles; self.outcomes = outcomes; self.from = from; self.to = to
        self.fitUntil = fitUntil; self.tables = tables
    }
}

/// Loads the inputs and runs the strategy (and the original rules) into a report.
public enum Backtester {
    /// Reads the BTC minutes and the Kalshi tape. - Throws: ``BacktestError`` naming the file.
    public static func load(_ o: BacktestOptions) throws(BacktestError) -> (tape: MarketTape, prices: MinuteSeries) {
        let prices: MinuteSeries
        do { prices = try MinuteSeries(paths: o.prices) } catch { throw BacktestError(error.message) }
        return (try MarketTape(candles: o.candles, outcomes: o.outcomes), prices)
    }

    /// The report of `configuration`'s strategy (nil: the plugins' defaults with auto-entry on) over the window.
    public static func report(tape: MarketTape, prices: MinuteSeries, configuration: BusConfiguration?, options o: BacktestOptions,
                              progress: (@Sendable (String, Double) -> Void)? = nil) throws(BacktestError) -> BacktestReport {
        guard o.from < o.to else { throw BacktestError("--from must be before --to") }
        var notes: [String] = []
        var tables: FingerprintTables?
        if let cut = o.fitUntil {
            guard cut <= o.from else { throw BacktestError("--fit-until \(UTCText.date(cut)) is after --from \(UTCText.date(o.from)): the fit would see scored data") }
            tables = try WalkForward.fit(prices, endingBy: cut)
            notes.append("walk-forward: fingerprint tables fitted on BTC bars ending by \(UTCText.date(cut)) only; both rows use them")
        }
        let strategy = try configuration.map { c throws(BacktestError) in try Strategy.from(configuration: c, tables: tables) }
            ?? Strategy.defaults(tables: tables)
        let run = BacktestRun.run(tape: tape, prices: prices, strategy: strategy, from: o.from, to: o.to, balance: o.balance,
                                  warmUpMinutes: o.warmUpMinutes) { progress?(strategy.name, $0) }
        var comparison: BacktestRun?
        var originalModel: (any ProbabilityModel)?
        if o.compare {
            var originalTables = tables
            if originalTables == nil, FileManager.default.fileExists(atPath: o.tables) {
                originalTables = try? FingerprintTables.read(from: o.tables)
                if originalTables != nil { notes.append("comparison uses the fingerprint tables at \(o.tables) (not walk-forward)") }
            }
            if originalTables == nil { notes.append("no fingerprint tables (none at \(o.tables), no --fit-until): the comparison row uses the vol model") }
            let original = Strategy.original(tables: originalTables)
            originalModel = original.model
            comparison = BacktestRun.run(tape: tape, prices: prices, strategy: original, from: o.from, to: o.to, balance: o.balance,
                                         warmUpMinutes: o.warmUpMinutes) { progress?(original.name, $0) }
        }
        notes.append("fills at the recorded ask (YES: yes_ask close; NO: 1 - yes_bid close) of the latest candle, never better; size capped by the candle's volume when it shows trades; Kalshi taker fee")
        notes.append("the clock moves a minute at a time: timers (ticks, expiry) fire once a minute; auto-stop confirmation waits for the next minute's table")
        var calibration: EvaluationReport?
        if o.calibrate {
            var models: [any ProbabilityModel] = [strategy.model]
            if let m = originalModel, m.name != strategy.model.name { models.append(m) }
            calibration = Self.calibration(tape: tape, prices: prices, models: models, from: o.from, to: o.to)
        }
        return BacktestReport(run: run, comparison: comparison, from: o.from, to: o.to, calibration: calibration, notes: notes)
    }

    /// The models and the market's mid scored against the outcomes of events closing in the window.
    public static func calibration(tape: MarketTape, prices: MinuteSeries, models: [any ProbabilityModel], from: Int64, to: Int64) -> EvaluationReport {
        var rows: [(String, Int64, Int, Int)] = [], outcomes: [KalshiOutcome] = []
        for m in tape.markets {
            let e = tape.events[m.event]
            guard e.closeTs > from, e.closeTs <= to else { continue }
            for r in m.rows { rows.append((m.ticker, tape.rows[r].end, Int(tape.rows[r].bid), Int(tape.rows[r].ask))) }
            outcomes.append(KalshiOutcome(ticker: m.ticker, yes: m.result == "yes", strike: Double(m.strike.micros) / 1e6, closeTs: e.closeTs))
        }
        return ModelEvaluation().run(prices: prices, candles: KalshiCandles(rows: rows), outcomes: outcomes, models: models)
    }
}

extension Strategy {
    /// The plugins' default settings with auto-entry on (the fingerprint model over `tables` when given, else `vol`).
    public static func defaults(tables: FingerprintTables?) -> Strategy {
        var e = AutoEntrySettings()
        e.enabled = true
        let model: any ProbabilityModel = tables.map { FingerprintModel(tables: $0) } ?? VolatilityModel()
        return Strategy(name: "plugin defaults (\(model.name))", model: model, entry: e, supervisor: SupervisorSettings())
    }
}
