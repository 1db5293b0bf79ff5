import Foundation
import ProbabilityModel
import Testing

@Suite("vol model: fat tails, time, distance, the 60-second average")
struct VolatilityTests {
    let model = VolatilityModel()
    let sigma = 1e-4

    func p(_ strike: Double, _ t: Double, average: Double? = nil, model m: VolatilityModel? = nil) -> Double {
        (m ?? model).probabilityAbove(strike: strike, input: ModelInput(price: 100_000, secondsToClose: t, sigma: sigma, averageSoFar: average))
    }

    @Test("Student-t(4) CDF in closed form matches known values")
    func studentT() {
        #expect(abs(Distributions.studentT4CDF(0) - 0.5) < 1e-12)
        #expect(abs(Distributions.studentT4CDF(1) - 0.81305) < 1e-5)
        #expect(abs(Distributions.studentT4CDF(2) - 0.94194) < 1e-5)
        #expect(abs(Distributions.studentT4CDF(-2) - 0.05806) < 1e-5)
        #expect(abs(Distributions.normalCDF(1.96) - 0.975) < 1e-4)
    }

    @Test("monotone in distance and in time, symmetric in log distance")
    func shape() {
        let strikes = stride(from: 99_000.0, through: 101_000, by: 100).map { p($0, 900) }
        #expect(zip(strikes, strikes.dropFirst()).allSatisfy { $0 > $1 })
        let times = [120.0, 300, 900, 1_800, 3_600].map { p(100_300, $0) }
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        for x in [0.001, 0.003, 0.01] {
            #expect(abs(p(100_000 * exp(x), 900) + p(100_000 * exp(-x), 900) - 1) < 1e-12)
        }
        #expect(abs(p(100_000, 900) - 0.5) < 1e-12)
    }

    @Test("the settlement average: T ≥ 60 s is the walk to the window plus a third of it")
    func averaging() {
        let pointInTime = VolatilityModel(averagingSeconds: 0)
        for strike in [99_900.0, 100_100, 100_400] {
            #expect(abs(p(strike, 60) - p(strike, 20, model: pointInTime)) < 1e-12)
            #expect(abs(p(strike, 600) - p(strike, 560, model: pointInTime)) < 1e-12)
        }
    }

    @Test("the settlement average: below 60 s the known part counts")
    func inTheWindow() {
        // 30 s left, the first 30 s averaged 100,050: YES needs the rest above 2·100,000 − 100,050 = 99,950.
        let expected = Distributions.upperTail(log(99_950.0 / 100_000) / (sigma * sigma * 10).squareRoot(), fatTails: true)
        #expect(abs(p(100_000, 30, average: 100_050) - expected) < 1e-12)
        #expect(p(100_000, 30, average: 100_050) > 0.5)
        // Without a known average the current price stands in; at the close the average decides.
        #expect(abs(p(100_000, 30) - 0.5) < 1e-12)
        #expect(p(99_999, 0, average: 100_000) == 1 && p(100_001, 0, average: 100_000) == 0)
        #expect(p(100_000, 1, average: 200_000) == 1)  // the rest would need a negative average
    }

    @Test("the estimator: EWMA of minute returns, built from ticks, with a floor")
    func estimator() {
        var e = VolatilityEstimator(initialSigma: 1e-4, fastHalfLife: 1, slowHalfLife: 1, fastWeight: 1, floor: 0)
        e.addMinuteReturn(0.002)
        // Half-life 1 minute: half old (1e-8·60) and half new (4e-6) per minute.
        #expect(abs(e.fastVariance - (0.5 * 6e-7 + 0.5 * 4e-6)) < 1e-15)
        #expect(abs(e.sigma - ((0.5 * 6e-7 + 0.5 * 4e-6) / 60).squareRoot()) < 1e-15)
        var t = VolatilityEstimator()
        t.record(second: 0, price: 100); t.record(second: 30, price: 101); t.record(second: 60, price: 102); t.record(second: 125, price: 103)
        #expect(t.count == 1)  // minute 0 closed at 101, minute 1 closed at 102: one return so far
        #expect(VolatilityEstimator(floor: 1).sigma == 1)
    }
}
