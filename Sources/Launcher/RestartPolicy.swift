import BusKit
import BusWire

/// When to restart a plugin that exited: exponential backoff with jitter, a cap, and a fatal state.
/// A pure value: the clock and the randomness are passed in.
public struct RestartPolicy: Sendable, Equatable {
    /// First delay in seconds; it doubles with each consecutive failure.
    public var initial: Double
    /// The longest delay.
    public var maximum: Double
    /// Random spread: each delay is stretched by up to this fraction.
    public var jitter: Double
    /// Consecutive short runs after which the plugin is fatal.
    public var maxFailures: Int
    /// A run at least this long is healthy and resets the count.
    public var stableAfter: Double

    public init(initial: Double, maximum: Double, jitter: Double, maxFailures: Int, stableAfter: Double) {
        self.initial = initial; self.maximum = maximum; self.jitter = jitter; self.maxFailures = maxFailures
        self.stableAfter = stableAfter
    }

    /// The policy `bus.conf` describes.
    public init(_ s: BusConfiguration.LauncherSettings) {
        self.init(initial: s.restartInitial, maximum: s.restartMax, jitter: s.restartJitter, maxFailures: s.maxFailures,
                  stableAfter: s.stableAfter)
    }

    /// What to do about an exit.
    public enum Decision: Equatable, Sendable {
        /// Start again at this time.
        case restart(at: BusTime)
        /// Give up: too many quick failures in a row.
        case fatal
    }

    /// Decides after a process that started at `startedAt` exited at `now`; `failures` is the running count of
    /// consecutive short runs, updated here. `random` is uniform in 0..<1.
    public func decide(startedAt: BusTime, now: BusTime, failures: inout Int, random: Double) -> Decision {
        if startedAt.seconds(until: now) >= stableAfter { failures = 0 }
        failures += 1
        if failures >= maxFailures { return .fatal }
        return .restart(at: now.adding(seconds: delay(failures: failures, random: random)))
    }

    /// The delay before restart number `failures` (1-based).
    public func delay(failures: Int, random: Double) -> Double {
        let base = min(maximum, initial * Double(1 << min(max(failures - 1, 0), 30)))
        return base * (1 + jitter * min(max(random, 0), 1))
    }
}
