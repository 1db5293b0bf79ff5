import Foundation
import ProbabilityModel
import Testing

@Suite("fingerprint tables: fitting, interpolation, buckets")
struct FingerprintTests {
    /// Closes 100, 100, 100, 100.1, 100.1 from 1970-01-01 00:00.
    static let tiny = MinuteSeries(bars: [(0, 100), (60, 100), (120, 100), (180, 100.1), (240, 100.1)])

    @Test("historical momentum: weighted lags over the closes, × 10,000, rounded")
    func momentum() {
        let m = HistoricalMomentum.series(Self.tiny)
        // Minute 3: every lag is 100 → +0.1 % → 10. Minute 4: lags 2–4 are 100 (weights .25+.20+.15 of .90) → 6.67 → 7.
        #expect(m == [nil, 0, 0, 10, 7])
    }

    @Test("a tiny series gives the expected cells, with the year weight")
    func fitting() throws {
        var fitter = FingerprintFitter(yearWeights: [1970: 3], minimumWeight: 0)
        fitter.minutes = 1; fitter.thresholds = 3
        let t = fitter.fit(Self.tiny, source: "tiny")
        // Starts with a momentum and a close one minute later: minutes 1 (move 0), 2 (+0.1 %) in bucket 0; 3 (move 0) in bucket 10.
        #expect(t.buckets.map(\.momentum) == [0, 10])
        let zero = t.buckets[0], ten = t.buckets[1]
        #expect(zero.weight == 6 && ten.weight == 3 && t.baseline.weight == 9)
        #expect(zero.up == [1, 0.5, 0.5] && zero.down == [0.5, 0, 0])
        #expect(ten.up == [1, 0, 0] && ten.down == [1, 0, 0])
        #expect(t.baseline.up == [1, 0.333333, 0.333333] && t.baseline.down == [0.666667, 0, 0])
    }

    @Test("tables survive a JSON round trip")
    func roundTrip() throws {
        let t = FingerprintFitter(minimumWeight: 0).fit(Self.tiny, source: "tiny")
        let path = NSTemporaryDirectory() + "fp-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try t.write(to: path)
        #expect(try FingerprintTables.read(from: path) == t)
        #expect(throws: ModelError.self) { try FingerprintTables.read(from: path + ".missing") }
    }

    /// Two minutes, thresholds 0, 0.05, 0.10 %.
    static func handMade() -> FingerprintTables {
        let s = { (m: Int?, shift: Double) in
            FingerprintSurface(momentum: m, weight: 1_000, up: [0.5, 0.3, 0.1, 0.5, 0.4, 0.2].map { $0 + shift },
                               down: [0.5, 0.2, 0.1, 0.5, 0.3, 0.2].map { $0 + shift })
        }
        return FingerprintTables(minutes: 2, step: 0.05, thresholds: 3, source: "hand", baseline: s(nil, 0), buckets: [s(0, 0.01), s(10, 0.02)])
    }

    @Test("bilinear interpolation over (minutes, move %), with the clamps")
    func interpolation() {
        let t = Self.handMade(), up = t.baseline.up
        #expect(abs(FingerprintModel.lookup(up, t, seconds: 90, move: 0.075) - 0.25) < 1e-12)
        #expect(abs(FingerprintModel.lookup(up, t, seconds: 60, move: 0.05) - 0.3) < 1e-12)
        #expect(abs(FingerprintModel.lookup(up, t, seconds: 10, move: 5) - 0.1) < 1e-12)      // ≥ 1 minute, ≤ the largest move
        #expect(abs(FingerprintModel.lookup(up, t, seconds: 9_999, move: 0) - 0.5) < 1e-12)  // ≤ the last minute
    }

    @Test("strikes above use the up table, below one minus the down table; the nearest bucket serves")
    func model() {
        let m = FingerprintModel(tables: Self.handMade())
        // 0.05 % above/below 100,000 at 60 s, baseline.
        #expect(abs(m.probabilityAbove(strike: 100_050, input: ModelInput(price: 100_000, secondsToClose: 60)) - 0.3) < 1e-9)
        #expect(abs(m.probabilityAbove(strike: 99_950, input: ModelInput(price: 100_000, secondsToClose: 60)) - 0.8) < 1e-9)
        // Momentum 7 → bucket 10 (+0.02); 4 → bucket 0 (+0.01); −30 → bucket 0.
        #expect(abs(m.probabilityAbove(strike: 100_050, input: ModelInput(price: 100_000, secondsToClose: 60, momentum: 7)) - 0.32) < 1e-9)
        #expect(abs(m.probabilityAbove(strike: 100_050, input: ModelInput(price: 100_000, secondsToClose: 60, momentum: 4)) - 0.31) < 1e-9)
        #expect(m.surface(momentum: -30).momentum == 0 && m.surface(momentum: 99).momentum == 10 && m.surface(momentum: nil).momentum == nil)
    }
}
