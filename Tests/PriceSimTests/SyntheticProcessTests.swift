import Money
import PriceSim
import Testing

@Suite("Synthetic BTC index")
struct SyntheticProcessTests {
    let start: Int64 = 1_750_000_000

    @Test("the same seed gives the same path, in any order of asking; another seed another path")
    func deterministic() {
        let a = SyntheticProcess(seed: 7, start: start, initialPrice: Dollars("104000")!)
        let b = SyntheticProcess(seed: 7, start: start, initialPrice: Dollars("104000")!)
        let c = SyntheticProcess(seed: 8, start: start, initialPrice: Dollars("104000")!)
        // b is asked backwards, which generates its path in one go; a second by second.
        let late = b.value(atSecond: start + 5_000)
        let forward = (0..<5_001).map { a.value(atSecond: start + Int64($0)) }
        #expect(forward.last! == late)
        #expect(forward == (0..<5_001).map { b.value(atSecond: start + Int64($0)) })
        #expect(forward != (0..<5_001).map { c.value(atSecond: start + Int64($0)) })
        #expect(a.value(atSecond: start) == Dollars("104000"))
        #expect(a.value(atSecond: start - 1) == nil)
    }

    @Test("prices are whole cents and stay plausible for a day")
    func centsAndPlausible() throws {
        let p = SyntheticProcess(seed: 3, start: start, initialPrice: Dollars("104000")!)
        for s in stride(from: start, to: start + 86_400, by: 7) {
            let v = try #require(p.value(atSecond: s))
            #expect(v.micros % 10_000 == 0)
            #expect(v > Dollars("60000")! && v < Dollars("180000")!)
        }
    }

    @Test("volatility changes with the regime, clusters, and has fat tails")
    func volatilityRegimes() throws {
        let p = SyntheticProcess(seed: 11, start: start, initialPrice: Dollars("100000")!)
        var byRegime: [SyntheticProcess.Regime: [Double]] = [:]
        var returns: [Double] = []
        var previous = Double(p.value(atSecond: start)!.micros)
        for s in (start + 1)..<(start + 3 * 86_400) {
            let v = Double(p.value(atSecond: s)!.micros)
            let r = (v - previous) / previous
            previous = v
            returns.append(r)
            byRegime[try #require(p.regime(atSecond: s)), default: []].append(r)
        }
        func rms(_ xs: [Double]) -> Double { (xs.reduce(0) { $0 + $1 * $1 } / Double(xs.count)).squareRoot() }
        let calm = try #require(byRegime[.calm]), normal = try #require(byRegime[.normal]), wild = try #require(byRegime[.turbulent])
        #expect(calm.count > 3_600 && normal.count > 3_600 && wild.count > 3_600, "each regime appears for hours over three days")
        #expect(rms(calm) * 1.5 < rms(normal))
        #expect(rms(normal) * 1.5 < rms(wild))
        // Clustering: absolute returns are positively autocorrelated at a one-minute lag.
        let abs = returns.map { Swift.abs($0) }
        let mean = abs.reduce(0, +) / Double(abs.count)
        var cov = 0.0, variance = 0.0
        for i in 60..<abs.count {
            cov += (abs[i] - mean) * (abs[i - 60] - mean)
            variance += (abs[i] - mean) * (abs[i] - mean)
        }
        #expect(cov / variance > 0.05)
        // Fat tails: excess kurtosis of returns within the normal regime.
        let m2 = normal.reduce(0) { $0 + $1 * $1 } / Double(normal.count)
        let m4 = normal.reduce(0) { $0 + $1 * $1 * $1 * $1 } / Double(normal.count)
        #expect(m4 / (m2 * m2) > 4)
    }
}
