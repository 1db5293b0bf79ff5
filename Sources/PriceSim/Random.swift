#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SplitMix64: a small, fast, seedable generator whose output depends only on its seed, so every run of a seeded
/// process is identical on every machine.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in (0, 1), never exactly 0 (safe for `log`).
    mutating func unit() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992.0 }

    /// A standard normal variate (Box–Muller).
    mutating func normal() -> Double {
        let u = unit(), v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// A Student-t variate with `dof` degrees of freedom, scaled to unit variance: fat tails, same spread.
    mutating func studentT(dof: Int) -> Double {
        var chi2 = 0.0
        for _ in 0..<dof { let z = normal(); chi2 += z * z }
        let t = normal() / (chi2 / Double(dof)).squareRoot()
        return t * ((Double(dof) - 2) / Double(dof)).squareRoot()
    }
}

/// A stateless hash of a few integers to 64 bits: deterministic per-second "noise" without carrying a generator.
func mix(_ values: Int64...) -> UInt64 {
    var g = SplitMix64(seed: 0x5EED)
    var h: UInt64 = 0
    for v in values {
        g = SplitMix64(seed: h ^ UInt64(bitPattern: v))
        h = g.next()
    }
    return h
}
