import ArgumentParser
import Backtest
import BusKit
import BusTools
import Foundation
import Money
import TradingWire

/// `recio backtest`: the strategy of a `bus.conf` over recorded Kalshi candles and BTC minutes, through the live
/// plugins' own state machines, with the original REC.IO rules beside it.
struct BacktestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest", abstract: "Backtest a strategy on recorded Kalshi candles with the code that trades live.")

    @Option(name: .long, parsing: .upToNextOption, help: "BTC 1-minute candle CSVs (ts,…,close; .gz allowed).") var prices: [String]
    @Option(help: "Kalshi 1-minute market candles (kalshi_kxbtcd_1m_candles_….csv.gz).") var candles: String
    @Option(help: "Kalshi market outcomes (kalshi_kxbtcd_outcomes_….csv).") var outcomes: String
    @Option(help: "The strategy: a bus.conf with [plugin.model], [plugin.auto-entry], [plugin.trade-supervisor] (default: the plugins' defaults).")
    var config: String?
    @Option(help: "First day (YYYY-MM-DD, UTC); default: the first candle.") var from: String?
    @Option(help: "Day after the last (YYYY-MM-DD, UTC); default: the last close.") var to: String?
    @Option(name: .customLong("fit-until"), help: "Walk-forward: fit fingerprint tables on BTC bars ending by this day (≤ --from).")
    var fitUntil: String?
    @Option(help: "The balance auto-entry sees, dollars.") var balance = "10000"
    @Option(help: "Minutes of prices before the window (volatility warm-up).") var warmUp = 1_440
    @Flag(help: "Skip the original-rules comparison.") var noCompare = false
    @Flag(help: "Print the report as JSON.") var json = false
    @Option(help: "Write an HTML report (equity curve, calibration plot) here.") var html: String?

    func run() async throws {
        func day(_ text: String?, _ name: String) throws -> Int64? {
            guard let text else { return nil }
            guard let ts = UTCText.parse(text) else { throw ValidationError("--\(name): expected YYYY-MM-DD, got '\(text)'") }
            return ts
        }
        var o = BacktestOptions(prices: prices, candles: candles, outcomes: outcomes, from: 0, to: 0, fitUntil: try day(fitUntil, "fit-until"))
        guard let b = Money.Dollars(balance) else { throw ValidationError("--balance: expected dollars, got '\(balance)'") }
        o.balance = b
        o.warmUpMinutes = max(0, warmUp)
        o.compare = !noCompare
        let configuration = try config.map { path in
            do { return try BusConfiguration.load(path: path, pluginKeys: builtInPluginKeys) } catch { throw ValidationError("invalid configuration:\n\(error)") }
        }
        printError("reading \(candles), \(outcomes), \(prices.joined(separator: ", "))")
        let (tape, series) = try Backtester.load(o)
        o.from = try day(from, "from") ?? ((tape.rows.map(\.end).min() ?? 0) - 60)
        o.to = try day(to, "to") ?? (tape.events.map(\.closeTs).max() ?? 0)
        let bar = ProgressBar()
        let report = try Backtester.report(tape: tape, prices: series, configuration: configuration, options: o) { name, done in bar.show(name, done) }
        bar.finish()
        if let html { try report.html().write(toFile: html, atomically: true, encoding: .utf8) }
        if json {
            try printJSON(report)
        } else {
            print(report.text(), terminator: "")
            if let html { print("HTML report: \(html)") }
        }
    }
}

/// A one-line progress bar on stderr, redrawn in place.
final class ProgressBar: Sendable {
    func show(_ label: String, _ done: Double) {
        let n = Int((min(1, max(0, done)) * 30).rounded())
        let text = "\r[" + String(repeating: "#", count: n) + String(repeating: " ", count: 30 - n) + "] \(Int(done * 100))% \(label)"
        FileHandle.standardError.write(Data(text.utf8))
    }
    func finish() { FileHandle.standardError.write(Data("\n".utf8)) }
}

/// `recio replay TAPE`: a recorded bus tape through the live plugins, printing the trades they make.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Replay a recorded bus tape through model, auto-entry, trade-supervisor and trade-manager.")

    @Argument(help: "The tape (from recio record).") var tape: String
    @Option(help: "Times real time; 0 = as fast as the plugins go.") var speed = 0.0
    @Option(help: "The bus.conf whose plugin sections configure the plugins (default ./bus.conf when present).") var config: String?
    @Flag(help: "Print the trades as JSON.") var json = false

    func run() async throws {
        let (entries, skipped) = try Tape.read(path: tape)
        if skipped > 0 { printError("\(skipped) malformed tape lines skipped") }
        let path = config ?? (FileManager.default.fileExists(atPath: "bus.conf") ? "bus.conf" : nil)
        var sections = ""
        if let path {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read \(path)") }
            let file = try ConfigFile(path: path, text: text)
            for s in file.sections where ["plugin.model", "plugin.auto-entry", "plugin.trade-supervisor"].contains(s.name) {
                sections += "[\(s.name)]\n" + s.entries.map { "\($0.key) = \($0.value)" }.joined(separator: "\n") + "\n"
            }
        }
        let trades = try await TapeReplay.run(entries: entries, sections: sections, speed: speed) { printError($0) }
        if json {
            try printJSON(trades)
            return
        }
        print("\(trades.count) trades")
        for t in trades {
            print("\(t.id)  \(t.status.rawValue)  \(t.ticker) \(t.side.rawValue) ×\(t.count)  entry \(t.entryPrice?.formatted(decimals: 2) ?? "-")"
                  + "  close \(t.closePrice?.formatted(decimals: 2) ?? "-")  pnl \(t.pnl?.formatted(decimals: 2) ?? "-")  \(t.closeMethod ?? "")")
        }
    }
}

/// `recio bench backtest`: market-minutes per second over the whole shared candle file.
struct BacktestBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backtest", abstract: "Backtest speed over the whole shared Kalshi candle file.")
    @OptionGroup var options: BenchOptions
    @Option(help: "The folder holding the shared data files (default $RECIO_SHARED_DATA, else ../shared/data).")
    var data = BacktestBench.defaultFolder

    func run() async throws { try await options.run([BacktestBench(folder: data)]) }
}
