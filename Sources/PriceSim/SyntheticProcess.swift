import Money
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A synthetic BTC index: a seeded random walk in log price with time-varying volatility.
///
/// Volatility has two layers, as real BTC does: a slow **regime** (calm, normal, turbulent; a Markov chain that
/// switches about every half hour on average) and fast **clustering** within a regime (GARCH(1,1) on the
/// standardised shock). Shocks are Student-t (fat tails). One value per second, rounded to the cent.
///
/// ```swift
/// let btc = SyntheticProcess(seed: 42, start: 1_750_000_000, initialPrice: Dollars("104000")!)
/// btc.value(atSecond: 1_750_000_060)   // the same every run
/// ```
///
/// The path is generated lazily from `start` and cached, so any second can be asked in any order.
public final class SyntheticProcess: PriceProcess {
    /// A volatility regime.
    public enum Regime: Int, Sendable, CaseIterable {
        case calm, normal, turbulent
    }

    /// The shape of the walk.
    public struct Parameters: Sendable {
        /// Annualised volatility of each regime (fractions: 0.5 is 50%), in ``Regime`` order.
        public var annualVolatility: [Double] = [0.25, 0.55, 1.30]
        /// Mean time spent in a regime before switching, in seconds.
        public var meanRegimeSeconds: Double = 1_800
        /// GARCH(1,1) reaction to the last shock.
        public var garchAlpha: Double = 0.05
        /// GARCH(1,1) persistence.
        public var garchBeta: Double = 0.93
        /// Degrees of freedom of the Student-t shocks (more than 2; smaller is fatter-tailed).
        public var tailDegrees: Int = 5
        /// The longest path generated, in seconds (later seconds answer nil).
        public var maxSeconds: Int64 = 40 * 86_400

        public init() {}
    }

    private struct State {
        var generator: SplitMix64
        var logPrices: [Double]
        var regimes: [Regime]
        var variance = 1.0
        var lastShock = 0.0
    }

    /// The first second of the path.
    public let start: Int64
    /// The walk's parameters.
    public let parameters: Parameters
    private let perSecond: [Double]
    private let state: Mutex<State>

    /// A walk from `initialPrice` at `start`, fully determined by `seed`.
    public init(seed: UInt64, start: Int64, initialPrice: Dollars, parameters: Parameters = Parameters()) {
        self.start = start
        self.parameters = parameters
        perSecond = parameters.annualVolatility.map { $0 / (365.0 * 86_400).squareRoot() }
        let p0 = Double(initialPrice.micros) / Double(Dollars.scale)
        state = Mutex(State(generator: SplitMix64(seed: seed), logPrices: [log(p0)], regimes: [.normal]))
    }

    public func value(atSecond second: Int64) -> Dollars? {
        guard let i = index(second) else { return nil }
        let lp = state.withLock { s in extend(&s, to: i); return s.logPrices[i] }
        return .nearestCent(exp(lp))
    }

    /// The volatility regime in force at `second`.
    public func regime(atSecond second: Int64) -> Regime? {
        guard let i = index(second) else { return nil }
        return state.withLock { s in extend(&s, to: i); return s.regimes[i] }
    }

    private func index(_ second: Int64) -> Int? {
        let offset = second - start
        guard offset >= 0, offset < parameters.maxSeconds else { return nil }
        return Int(offset)
    }

    private func extend(_ s: inout State, to i: Int) {
        let p = parameters
        let switchChance = 1 / p.meanRegimeSeconds
        let omega = 1 - p.garchAlpha - p.garchBeta
        while s.logPrices.count <= i {
            var regime = s.regimes[s.regimes.count - 1]
            if s.generator.unit() < switchChance {
                let others = Regime.allCases.filter { $0 != regime }
                regime = others[Int(s.generator.next() % UInt64(others.count))]
            }
            s.variance = omega + p.garchAlpha * s.lastShock * s.lastShock + p.garchBeta * s.variance
            let shock = s.variance.squareRoot() * s.generator.studentT(dof: p.tailDegrees)
            s.lastShock = shock
            let sigma = perSecond[regime.rawValue]
            s.logPrices.append(s.logPrices[s.logPrices.count - 1] + sigma * shock - 0.5 * sigma * sigma)
            s.regimes.append(regime)
        }
    }
}
