/// Exponential backoff with jitter for reconnecting: `initial`, doubling per consecutive failure up to `maximum`,
/// each delay stretched by up to `jitter` (a fraction) at random. The random draw is passed in, so it is pure.
public struct ReconnectBackoff: Sendable, Hashable {
    public var initial: Double
    public var maximum: Double
    public var multiplier: Double
    public var jitter: Double
    /// Consecutive failures so far.
    public private(set) var failures = 0

    public init(initial: Double = 0.5, maximum: Double = 30, multiplier: Double = 2, jitter: Double = 0.2) {
        self.initial = initial; self.maximum = maximum; self.multiplier = multiplier; self.jitter = jitter
    }

    /// The delay before the next attempt; `random` is uniform in 0..<1.
    public mutating func nextDelay(random: Double) -> Double {
        var base = initial
        for _ in 0..<min(failures, 64) { base *= multiplier; if base >= maximum { break } }
        failures += 1
        return min(base, maximum) * (1 + jitter * random)
    }

    /// After a healthy connection: start again from `initial`.
    public mutating func reset() { failures = 0 }
}
