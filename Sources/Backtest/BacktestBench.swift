public import BusTools
import Foundation
import Money

/// `recio bench backtest`: market-minutes per second of a backtest over the whole shared Kalshi candle file
/// (April–May 2025, 687k market-minutes), the plugins' default strategy with auto-entry on, the `vol` model, no
/// comparison or calibration. Loading the files is timed apart. Target: the whole file in under 10 s.
public struct BacktestBench: Benchmark {
    /// `backtest`.
    public let name = "backtest"
    /// The input files.
    public var prices: String, candles: String, outcomes: String

    /// Where the shared data lives when nothing says otherwise: `$RECIO_SHARED_DATA`, else `../shared/data`.
    public static var defaultFolder: String {
        if let env = ProcessInfo.processInfo.environment["RECIO_SHARED_DATA"], !env.isEmpty { return env }
        return "../shared/data"
    }

    /// A benchmark over the files in `folder`.
    public init(folder: String = BacktestBench.defaultFolder) {
        prices = folder + "/btc_usdt_1m_binance_2025-01-01_2025-05-20.csv.gz"
        candles = folder + "/kalshi_kxbtcd_1m_candles_2025-04-11_2025-05-16.csv.gz"
        outcomes = folder + "/kalshi_kxbtcd_outcomes_2025-04-14_2025-05-16.csv"
    }

    /// Loads once, then runs the whole window `context.runs` times.
    public func run(_ context: BenchContext) async throws -> [BenchFigure] {
        guard FileManager.default.fileExists(atPath: candles) else {
            context.log("backtest: skipped, \(candles) is absent (set RECIO_SHARED_DATA or pass --data)")
            return []
        }
        var o = BacktestOptions(prices: [prices], candles: candles, outcomes: outcomes, from: 0, to: 0)
        let t0 = Date()
        let (tape, series) = try Backtester.load(o)
        let load = Date().timeIntervalSince(t0)
        o.from = (tape.rows.map(\.end).min() ?? 0) - 60
        o.to = tape.events.map(\.closeTs).max() ?? 0
        var seconds: [Double] = [], rates: [Double] = []
        var minutes = 0, trades = 0
        for i in 0..<max(1, context.runs) {
            let start = Date()
            let run = BacktestRun.run(tape: tape, prices: series, strategy: .defaults(tables: nil), from: o.from, to: o.to, warmUpMinutes: 1_440)
            let s = Date().timeIntervalSince(start)
            seconds.append(s); rates.append(Double(run.marketMinutes) / s)
            minutes = run.marketMinutes; trades = BacktestReport.finished(run).count
            context.log("run \(i + 1): \(run.marketMinutes) market-minutes in \(String(format: "%.2f", s)) s, \(trades) trades")
        }
        let note = "\(minutes) market-minutes, \(trades) trades; \(tape.markets.count) markets, \(tape.events.count) events"
        return [
            BenchFigure(name: "backtest market-minutes/s", runs: rates, unit: "/s", note: note),
            BenchFigure(name: "backtest whole file", runs: seconds, unit: "s", target: .below(10), note: "Apr-May 2025 candle file"),
            BenchFigure(name: "backtest load files", runs: [load], unit: "s"),
        ]
    }
}
