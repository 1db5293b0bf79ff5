import Backtest
import BusTestSupport
import Money
import ProbabilityModel
import Testing
import TradingWire

/// A few real days from /work/shared/data (skipped when the folder is absent).
@Suite(.enabled(if: Scenario.hasSharedData, "skipped: the shared Kalshi and BTC files are absent (set RECIO_SHARED_DATA or put them at ../shared/data)"))
struct RealDataTests {
    @Test func threeRealDaysTradeAtTheRecordedAsks() async throws {
        let d = Scenario.dataFolder
        var o = BacktestOptions(prices: [d + "/btc_usdt_1m_binance_2025-01-01_2025-05-20.csv.gz"],
                                candles: d + "/kalshi_kxbtcd_1m_candles_2025-04-11_2025-05-16.csv.gz",
                                outcomes: d + "/kalshi_kxbtcd_outcomes_2025-04-14_2025-05-16.csv",
                                from: UTCText.parse("2025-04-20")!, to: UTCText.parse("2025-04-23")!, fitUntil: UTCText.parse("2025-04-20")!)
        o.calibrate = true
        // Seconds of loading and trading: on a thread of its own, never on the 2-thread cooperative pool.
        let (tape, report) = try await offPool { [o] () throws -> (MarketTape, BacktestReport) in
            let (tape, prices) = try Backtester.load(o)
            return (tape, try Backtester.report(tape: tape, prices: prices, configuration: nil, options: o))
        }
        #expect(report.marketMinutes > 10_000)
        #expect(report.comparison != nil)
        #expect(report.calibration?.horizons.isEmpty == false)
        let filler = CandleFiller(tape: tape)
        for t in report.trades {
            guard let r = filler.latestRow(t.ticker, atOrBefore: t.enteredTs) else { Issue.record("no row for \(t.id)"); continue }
            #expect(t.entryPrice == CandleFiller.ask(tape.rows[r], side: t.side))
        }
        print(report.text())
    }
}
