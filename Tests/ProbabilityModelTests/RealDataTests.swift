import BusTestSupport
import Foundation
import ProbabilityModel
import Testing

/// The shared data folder: `$RECIO_SHARED_DATA`, else `../shared/data` next to the repository.
enum RealData {
    static let folder: String = {
        if let env = ProcessInfo.processInfo.environment["RECIO_SHARED_DATA"], !env.isEmpty { return env }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repo.deletingLastPathComponent().appendingPathComponent("shared/data").path
    }()
    static let prices = folder + "/btc_usdt_1m_binance_2025-01-01_2025-05-20.csv.gz"
    static let candles = folder + "/kalshi_kxbtcd_1m_candles_2025-04-11_2025-05-16.csv.gz"
    static let outcomes = folder + "/kalshi_kxbtcd_outcomes_2025-04-14_2025-05-16.csv"
    static var available: Bool { [prices, candles, outcomes].allSatisfy { FileManager.default.fileExists(atPath: $0) } }
}

@Suite("the real Kalshi and Binance files")
struct RealDataTests {
    @Test("the vol model and the market beat a coin on Apr–May 2025",
          .enabled(if: RealData.available, "shared data folder absent (set RECIO_SHARED_DATA or put it at ../shared/data): skipped"))
    func realEvaluation() async throws {
        // Seconds of decompression and scoring: on a thread of its own, never on the 2-thread cooperative pool.
        let report = try await offPool {
            ModelEvaluation().run(prices: try MinuteSeries(paths: [RealData.prices]), candles: try KalshiCandles(path: RealData.candles),
                                  outcomes: try KalshiOutcome.read(path: RealData.outcomes), models: [VolatilityModel()])
        }
        #expect(report.outcomes == 9_217)
        for h in report.horizons {
            #expect(h.samples > 5_000)
            #expect(h.scores["vol"]!.brier < 0.2 && h.scores["market"]!.brier < 0.2)
        }
    }
}
