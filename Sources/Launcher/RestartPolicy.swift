import BusKit
import BusWire

/// How a supervised process is restarted: exponential backoff with jitter, a cap, and a fatal state.
/// Plain numbers; ``Supervision`` applies them.
public struct RestartPolicy: Sendable, Equatable {
    /// First delay in seconds; it doubles with each consecutive short run.
    public var initial: Double
    /// The longest delay before jitter.
    public var maximum: Double
    /// Random spread: each delay is stretched by up to this fraction (0…1).
    public var jitter: Double
    /// Consecutive short runs after which the process is fatal and not restarted.
    public var maxFailures: Int
    /// A run at least this long is healthy: it resets the count of short runs.
    public var stableAfter: Double
    /// Seconds between SIGTERM and SIGKILL when stopping.
    public var stopTimeout: Double

    /// A policy from plain numbers (seconds).
    public init(initial: Double, maximum: Double, jitter: Double, maxFailures: Int, stableAfter: Double, stopTimeout: Double = 10) {
        self.initial = initial; self.maximum = maximum; self.jitter = jitter; self.maxFailures = maxFailures
        self.stableAfter = stableAfter; self.stopTimeout = stopTimeout
    }

    /// The policy the `[launcher]` section of `bus.conf` describes.
    public init(_ s: BusConfiguration.LauncherSettings) {
        self.init(initial: s.restartInitial, maximum: s.restartMax, jitter: s.restartJitter, maxFailures: s.maxFailures,
                  stableAfter: s.stableAfter, stopTimeout: s.stopTimeout)
    }

    /// The delay before the next start after `failures` consecutive short runs (0 after a stable run):
    /// `initial × 2^(failures − 1)`, at most `maximum`, then stretched by `jitter × random` (`random` in 0..<1).
    public func delay(failures: Int, random: Double) -> Double {
        let base = min(maximum, initial * Double(1 << min(max(failures - 1, 0), 30)))
        return base * (1 + jitter * min(max(random, 0), 1))
    }
}
