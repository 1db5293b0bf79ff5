#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The scores of every forecaster at one horizon.
public struct HorizonReport: Codable, Sendable, Hashable {
    /// Minutes before the close.
    public var minutes: Int
    /// Markets scored (each has a BTC price, a market quote and an outcome).
    public var samples: Int
    /// Share of them that settled YES.
    public var yesRate: Double
    /// Scores by forecaster name (`vol`, `fingerprint`, `market`).
    public var scores: [String: Score]
    /// The contested markets only (the market's mid from 0.1 to 0.9: where trades happen and the market is hardest
    /// to beat): how many, and the scores.
    public var contestedSamples: Int?, contested: [String: Score]?

    enum CodingKeys: String, CodingKey { case minutes, samples, yesRate = "yes_rate", scores, contestedSamples = "contested_samples", contested }
}

/// What ``ModelEvaluation`` found.
public struct EvaluationReport: Codable, Sendable, Hashable {
    /// The forecasters, in column order (`market` last).
    public var forecasters: [String]
    /// One report per horizon.
    public var horizons: [HorizonReport]
    /// Outcomes read, and how many had no candles or no BTC price at some horizon.
    public var outcomes: Int, skipped: Int
}

/// Scores the models and the market's own mid price against settled KXBTCD markets at fixed horizons before the
/// close. At evaluation time t = close − h minutes the BTC price is the close of the 1-minute bar ending at t, the
/// volatility comes from the bars before it (``VolatilityEstimator``), the momentum from ``HistoricalMomentum``, and
/// the market's forecast is the mid of the YES bid/ask closes of its latest candle ending at or before t.
public struct ModelEvaluation: Sendable {
    /// Minutes before the close (5, 15, 30, 45).
    public var horizons: [Int]
    /// The volatility estimator's settings (its state is rebuilt from the prices).
    public var estimator: VolatilityEstimator

    /// An evaluation.
    public init(horizons: [Int] = [5, 15, 30, 45], estimator: VolatilityEstimator = VolatilityEstimator()) {
        self.horizons = horizons; self.estimator = estimator
    }

    /// Volatility per √second after each bar of `prices` (from the returns up to and including that bar).
    public func sigmas(_ prices: MinuteSeries) -> [Double] {
        var e = estimator, out = [Double](repeating: e.sigma, count: prices.count)
        var last: (Int, Double)?
        for (i, c) in prices.closes.enumerated() where !c.isNaN {
            if let (j, p) = last { e.addMinuteReturn(log(c / p), minutes: i - j) }
            last = (i, c)
            out[i] = e.sigma
        }
        // Missing bars keep the last value.
        for i in 1..<max(1, out.count) where prices.closes[i].isNaN { out[i] = out[i - 1] }
        return out
    }

    /// A market whose mid is from 0.1 to 0.9.
    public static func isContested(_ mid: Double) -> Bool { mid >= 0.1 && mid <= 0.9 }

    /// Runs the evaluation.
    public func run(prices: MinuteSeries, candles: KalshiCandles, outcomes: [KalshiOutcome], models: [any ProbabilityModel]) -> EvaluationReport {
        let sigma = sigmas(prices)
        let names = models.map(\.name) + ["market"]
        var skipped = Set<String>()
        let reports = horizons.map { h -> HorizonReport in
            var forecasts = [[Double]](repeating: [], count: names.count), results: [Bool] = [], contested: [Int] = []
            for o in outcomes {
                let t = o.closeTs - Int64(h) * 60
                guard let q = candles.quote(o.ticker, atOrBefore: t), let i = prices.index(ofBarStarting: t - 60),
                      !prices.closes[i].isNaN
                else { skipped.insert(o.ticker); continue }
                let momentum = prices.closes.withUnsafeBufferPointer { HistoricalMomentum.at(i, closes: $0) }
                let input = ModelInput(price: prices.closes[i], secondsToClose: Double(h * 60), momentum: momentum, sigma: sigma[i])
                for (k, m) in models.enumerated() { forecasts[k].append(m.probabilityAbove(strike: o.strike, input: input)) }
                let mid = Double(q.bid + q.ask) / 200
                if Self.isContested(mid) { contested.append(results.count) }
                forecasts[models.count].append(mid)
                results.append(o.yes)
            }
            var scores: [String: Score] = [:], close: [String: Score] = [:]
            for (k, name) in names.enumerated() {
                scores[name] = Score(forecasts: forecasts[k], outcomes: results)
                close[name] = Score(forecasts: contested.map { forecasts[k][$0] }, outcomes: contested.map { results[$0] })
            }
            let yes = results.isEmpty ? 0 : Double(results.filter { $0 }.count) / Double(results.count)
            return HorizonReport(minutes: h, samples: results.count, yesRate: yes, scores: scores, contestedSamples: contested.count,
                                 contested: contested.isEmpty ? nil : close)
        }
        return EvaluationReport(forecasters: names, horizons: reports, outcomes: outcomes.count, skipped: skipped.count)
    }
}
