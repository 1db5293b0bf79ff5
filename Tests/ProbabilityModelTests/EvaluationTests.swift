import Foundation
import ProbabilityModel
import Testing

@Suite("evaluation: scores, calibration, market mids, data files")
struct EvaluationTests {
    @Test("Brier score, log loss and calibration bins of a hand-made set")
    func scores() {
        let s = Score(forecasts: [0.9, 0.2, 0.6, 0.65], outcomes: [true, false, false, true])
        #expect(abs(s.brier - (0.01 + 0.04 + 0.36 + 0.1225) / 4) < 1e-12)
        #expect(abs(s.logLoss - -(log(0.9) + log(0.8) + log(0.4) + log(0.65)) / 4) < 1e-12)
        #expect(s.calibration.map(\.count) == [0, 0, 1, 0, 0, 0, 2, 0, 0, 1])
        #expect(s.calibration[6].meanForecast! == 0.625 && s.calibration[6].observed == 0.5 && s.calibration[0].observed == nil)
        let clipped = Score(forecasts: [0, 1], outcomes: [true, false])
        #expect(abs(clipped.logLoss - -log(1e-4)) < 1e-9)
    }

    @Test("the evaluation reads prices at the bar ending at the time and the latest candle at or before it")
    func evaluation() throws {
        // Flat BTC at 100,000 for two hours from 2025-04-14 22:00 UTC; the close at 23:00.
        let start: Int64 = 1_744_668_000, close = start + 3_600
        let prices = MinuteSeries(bars: (0..<120).map { (start + Int64($0) * 60, 100_000) })
        let candles = KalshiCandles(rows: [
            ("A", close - 3_000, 10, 20), ("A", close - 300, 80, 90), ("A", close - 240, 1, 3),
            ("B", close - 200, 40, 60),
        ])
        let outcomes = [KalshiOutcome(ticker: "A", yes: true, strike: 99_000, closeTs: close),
                        KalshiOutcome(ticker: "B", yes: false, strike: 101_000, closeTs: close),
                        KalshiOutcome(ticker: "C", yes: false, strike: 101_000, closeTs: close)]
        let report = ModelEvaluation(horizons: [5, 45]).run(prices: prices, candles: candles, outcomes: outcomes, models: [VolatilityModel()])
        #expect(report.forecasters == ["vol", "market"] && report.outcomes == 3 && report.skipped == 2)
        let five = report.horizons[0], fortyFive = report.horizons[1]
        #expect(five.samples == 1 && fortyFive.samples == 1)
        #expect(abs(five.scores["market"]!.brier - 0.15 * 0.15) < 1e-12)      // mid 85 at 5 min
        #expect(abs(fortyFive.scores["market"]!.brier - 0.85 * 0.85) < 1e-12)  // mid 15 at 45 min
        #expect(five.scores["vol"]!.brier < 0.01)                                  // 1 % in the money, 5 minutes
        let svg = ReliabilityPlot.svg(report)
        #expect(svg.hasPrefix("<svg") && svg.contains("polyline") && svg.contains("45 min before close"))
    }

    @Test("contested strikes: only markets whose mid is from 0.1 to 0.9 at the horizon are scored beside all strikes")
    func contested() {
        let start: Int64 = 1_744_668_000, close = start + 3_600
        let prices = MinuteSeries(bars: (0..<120).map { (start + Int64($0) * 60, 100_000) })
        let candles = KalshiCandles(rows: [("A", close - 300, 80, 90), ("B", close - 300, 94, 96), ("C", close - 300, 4, 6)])
        let outcomes = [KalshiOutcome(ticker: "A", yes: true, strike: 99_000, closeTs: close),
                        KalshiOutcome(ticker: "B", yes: true, strike: 98_000, closeTs: close),
                        KalshiOutcome(ticker: "C", yes: false, strike: 102_000, closeTs: close)]
        let h = ModelEvaluation(horizons: [5]).run(prices: prices, candles: candles, outcomes: outcomes, models: [VolatilityModel()]).horizons[0]
        #expect(h.samples == 3 && h.contestedSamples == 1)
        #expect(abs(h.contested!["market"]!.brier - 0.15 * 0.15) < 1e-12 && h.contested!["vol"]!.count == 1)
        #expect(ModelEvaluation.isContested(0.1) && ModelEvaluation.isContested(0.9) && !ModelEvaluation.isContested(0.95))
    }

    @Test("CSV parsing: numbers, ISO times, gz-or-plain files")
    func parsing() throws {
        let text = "ts,close,when\n60,101.25,2025-04-14T23:00:00+00:00\n120,-0.5,2025-04-14T19:00:00-04:00\n\n"
        let csv = CSVFile(path: "x.csv", bytes: Array(text.utf8))
        var seen: [String] = []
        try csv.forEachRow { (row: borrowing CSVRow) throws(ModelError) in
            seen.append("\(row.int(0)!) \(row.double(1)!) \(UTCDate.parse(row.string(2))!) \(row.line)")
        }
        #expect(seen == ["60 101.25 1744671600 2", "120 -0.5 1744671600 3"])
        #expect(throws: ModelError.self) { try csv.column("open") }
        #expect(UTCDate.year(1_704_067_200) == 2024 && UTCDate.year(1_704_067_199) == 2023)
        let path = NSTemporaryDirectory() + "m-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "ts,open,high,low,close\n0,1,1,1,5\n120,1,1,1,7\n".write(toFile: path, atomically: true, encoding: .utf8)
        let s = try MinuteSeries(paths: [path])
        #expect(s.count == 3 && s.closes[0] == 5 && s.closes[1].isNaN && s.close(endingAt: 180) == 7)
    }
}
