public import BusKit
public import BusWire
public import KalshiSim
public import PriceSim

/// The simulator's clock as everything in one process reads it: the Kalshi exchange, the Coinbase feed and every
/// plugin of an in-process fleet tell the same simulated time, and sleeps last `seconds / speed` real seconds.
public struct SimulatorClock: BusClock, PriceSim.SimClock {
    /// The running exchange whose clock this reads.
    public let host: SimHost
    /// Simulated seconds per real second.
    public let speed: Double

    /// A clock following `host`, which runs `speed` times faster than real time.
    public init(host: SimHost, speed: Double) {
        self.host = host
        self.speed = max(speed, 0.001)
    }

    public var now: BusTime { BusTime(microseconds: host.simNowMs() * 1000) }
    public var nowMicros: Int64 { host.simNowMs() * 1000 }

    public func sleep(seconds: Double) async throws {
        try await Task.sleep(for: .microseconds(max(100, Int64((seconds / speed * 1e6).rounded(.up)))))
    }

    public func sleep(untilMicros micros: Int64) async throws {
        while case let remaining = micros - nowMicros, remaining > 0 {
            try await Task.sleep(for: .microseconds(max(1_000, Int64((Double(remaining) / speed).rounded(.up)))))
        }
        try Task.checkCancellation()
    }
}
