import ArgumentParser
import BusKit
import Foundation
import Money
import ProbabilityModel
import TradingWire

/// `recio model`: fit the fingerprint tables, score the models against settled markets, time the strike tables.
struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "Fit, evaluate and time the probability models.",
        subcommands: [ModelFitCommand.self, ModelEvalCommand.self])

    /// `$RECIO_HOME/model/fingerprints.json`, where the model plugin looks by default.
    static var defaultTables: String { ProcInfo.recioHome + "/model/fingerprints.json" }
}

/// `recio model fit --prices <1m csv>... [--out PATH]`.
struct ModelFitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit", abstract: "Build the fingerprint tables from 1-minute candle files (recent years weigh more).")

    @Option(name: .long, parsing: .upToNextOption, help: "1-minute candle CSVs (ts,open,high,low,close,…; .gz allowed).")
    var prices: [String]

    @Option(help: "Where to write the tables (default $RECIO_HOME/model/fingerprints.json).")
    var out: String = ModelCommand.defaultTables

    func run() async throws {
        guard !prices.isEmpty else { throw ValidationError("--prices: give at least one candle file") }
        let started = Date()
        let series = try MinuteSeries(paths: prices)
        let read = Date()
        let tables = FingerprintFitter().fit(series, source: prices.map { ($0 as NSString).lastPathComponent }.joined(separator: " + "))
        let fitted = Date()
        try FileManager.default.createDirectory(atPath: (out as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try tables.write(to: out)
        let minutes = series.closes.filter { !$0.isNaN }.count
        print("read \(minutes) minutes in \(seconds(read.timeIntervalSince(started))) s; fitted in \(seconds(fitted.timeIntervalSince(read))) s")
        print("buckets: \(tables.buckets.count) of 61 (+ baseline); baseline weight \(Int(tables.baseline.weight))")
        let base = tables.baseline, n = tables.thresholds
        print("baseline: 15 min ≥ +0.25 %: \(percent(base.up[14 * n + 5])); 60 min ≥ +0.25 %: \(percent(base.up[59 * n + 5]))")
        print("wrote \(out)")
    }
}

/// `recio model eval --prices <csv> --candles <csv.gz> --outcomes <csv> [--json] [--plot PATH.svg] [--tables PATH]`.
struct ModelEvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Brier score, log loss and calibration of each model and the market's mid, 5/15/30/45 min before close.")

    @Option(name: .long, parsing: .upToNextOption, help: "BTC 1-minute candle CSVs covering the markets' period.")
    var prices: [String]

    @Option(help: "Kalshi 1-minute market candles (kalshi_kxbtcd_1m_candles_….csv.gz).")
    var candles: String

    @Option(help: "Settled outcomes (kalshi_kxbtcd_outcomes_….csv).")
    var outcomes: String

    @Option(help: "Fingerprint tables (default $RECIO_HOME/model/fingerprints.json; the model is skipped when absent).")
    var tables: String?

    @Option(help: "Write a reliability plot (SVG) here.")
    var plot: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        let started = Date()
        let series = try MinuteSeries(paths: prices)
        let history = try KalshiCandles(path: candles)
        let settled = try KalshiOutcome.read(path: outcomes)
        var models: [any ProbabilityModel] = [VolatilityModel()]
        let tablePath = tables ?? ModelCommand.defaultTables
        if FileManager.default.fileExists(atPath: tablePath) {
            models.append(FingerprintModel(tables: try FingerprintTables.read(from: tablePath)))
        } else if tables != nil {
            throw ValidationError("--tables: no file at \(tablePath)")
        } else if !json {
            print("no fingerprint tables at \(tablePath): scoring vol and the market only (run `recio model fit`)")
        }
        let report = ModelEvaluation().run(prices: series, candles: history, outcomes: settled, models: models)
        if let plot { try ReliabilityPlot.svg(report).write(toFile: plot, atomically: true, encoding: .utf8) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print("outcomes \(report.outcomes), markets lacking candles or a BTC price at some horizon: \(report.skipped); \(seconds(Date().timeIntervalSince(started))) s")
        for h in report.horizons {
            print("\n\(h.minutes) min before close: \(h.samples) markets, \(percent(h.yesRate)) YES")
            print(pad("", 12) + pad("all strikes", 18) + "contested (mid 0.1-0.9): \(h.contestedSamples ?? 0) markets")
            print(pad("forecaster", 12) + pad("brier", 9) + pad("log loss", 9) + pad("brier", 9) + pad("log loss", 9))
            for name in report.forecasters {
                guard let s = h.scores[name] else { continue }
                let c = h.contested?[name]
                print(pad(name, 12) + pad(fixed(s.brier, 4), 9) + pad(fixed(s.logLoss, 4), 9)
                      + pad(c.map { fixed($0.brier, 4) } ?? "-", 9) + pad(c.map { fixed($0.logLoss, 4) } ?? "-", 9))
            }
            print("  calibration (bin: n, mean forecast → observed)")
            for name in report.forecasters {
                guard let s = h.scores[name] else { continue }
                let bins = s.calibration.map { b in b.count == 0 ? "-" : "\(b.count):\(fixed(b.meanForecast ?? 0, 2))→\(fixed(b.observed ?? 0, 2))" }
                print("  " + pad(name, 12) + bins.joined(separator: " "))
            }
        }
        if let plot { print("\nwrote \(plot)") }
    }
}

private func seconds(_ t: Double) -> String { fixed(t, 1) }
private func percent(_ p: Double) -> String { fixed(p * 100, 2) + " %" }
private func fixed(_ v: Double, _ d: Int) -> String { String(format: "%.\(d)f", v) }
private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
