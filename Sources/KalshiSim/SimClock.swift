import SimExchange

/// Simulated time: starts at `startMs` when real time is `realStartMs` and runs `speed` times faster.
public struct SimClock: Sendable {
    public let startMs: Millis
    public let realStartMs: Millis
    public let speed: Double

    public init(startMs: Millis, realStartMs: Millis, speed: Double) {
        self.startMs = startMs
        self.realStartMs = realStartMs
        self.speed = max(speed, 0)
    }

    /// The simulated time at a real time (both Unix milliseconds).
    public func simMs(atReal realMs: Millis) -> Millis {
        startMs + Millis((Double(realMs - realStartMs) * speed).rounded(.down))
    }
}

/// Real Unix time in milliseconds.
public func realNowMs() -> Millis {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Millis(ts.tv_sec) * 1000 + Millis(ts.tv_nsec) / 1_000_000
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
