import Money

/// Where the exchange reads the BTC index (the settlement reference, one value a second).
public protocol IndexSource: Sendable {
    /// The index value at the given Unix second, or nil when there is none (yet).
    func index(atSecond second: Int64) -> Dollars?
}

/// A deterministic index for tests and the default simulator: a base price plus slow waves plus seeded per-second
/// noise, a pure function of the second (no state, so any second can be asked in any order).
public struct WaveIndexSource: IndexSource {
    public let base: Dollars
    public let seed: UInt64
    /// Amplitude of the slow waves, in dollars.
    public let amplitude: Int64

    public init(base: Dollars = Dollars(cents: 10_000_000), seed: UInt64 = 1, amplitude: Int64 = 400) {
        self.base = base
        self.seed = seed
        self.amplitude = amplitude
    }

    public func index(atSecond second: Int64) -> Dollars? {
        // Triangle waves of periods 47 min and 13 min and a seeded jitter of up to ±$5, all in integer cents.
        func triangle(_ t: Int64, period: Int64) -> Int64 {
            let p = ((t % period) + period) % period
            let half = period / 2
            return p < half ? (p * 200 / half) - 100 : 100 - ((p - half) * 200 / (period - half))
        }
        let waves = amplitude * (triangle(second, period: 2820) * 3 + triangle(second + 300, period: 780)) / 4  // cents
        let jitter = Int64(SplitMix.hash(seed ^ UInt64(bitPattern: second)) % 1001) - 500
        return base + Dollars(cents: waves + jitter)
    }
}

/// A constant index, handy in tests.
public struct ConstantIndexSource: IndexSource {
    public let value: Dollars
    public init(_ value: Dollars) { self.value = value }
    public func index(atSecond second: Int64) -> Dollars? { value }
}

/// SplitMix64: a tiny seeded generator and hash, so the simulator is reproducible from a seed.
public struct SplitMix: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix.mix(state)
    }
    /// A stateless hash of one value.
    public static func hash(_ x: UInt64) -> UInt64 { mix(x &+ 0x9E37_79B9_7F4A_7C15) }
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// An index read through a closure: the seam for plugging in another module's price process.
public struct ClosureIndexSource: IndexSource {
    private let body: @Sendable (Int64) -> Dollars?
    public init(_ body: @escaping @Sendable (_ second: Int64) -> Dollars?) { self.body = body }
    public func index(atSecond second: Int64) -> Dollars? { body(second) }
}
