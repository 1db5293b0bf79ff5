import SimExchange
import Synchronization

/// Faults the simulator injects, switchable per run. Every decision is drawn from one seeded generator.
public struct FaultSettings: Sendable, Equatable {
    /// Share of REST requests answered 503 (0...1).
    public var errorRate = 0.0
    /// Extra latency added to every REST request, in milliseconds.
    public var extraLatencyMs: Int64 = 0
    /// Every this many real seconds, answer every request 429 for `burstLengthMs` (0 = never).
    public var burstEverySeconds: Int64 = 0
    public var burstLengthMs: Int64 = 1000
    /// Every this many real seconds, close every WebSocket connection (0 = never).
    public var wsDropEverySeconds: Int64 = 0
    /// Share of sequenced WebSocket messages whose `seq` skips a number (0...1).
    public var sequenceGapRate = 0.0
    /// Share of successful REST bodies cut short so they are not valid JSON (0...1).
    public var malformedRate = 0.0

    public init() {}

    /// True when nothing is injected.
    public var isQuiet: Bool { self == FaultSettings() }
}

/// Draws fault decisions from a seeded generator.
final class FaultInjector: Sendable {
    let settings: FaultSettings
    private let rng: Mutex<SplitMix>

    init(settings: FaultSettings, seed: UInt64) {
        self.settings = settings
        rng = Mutex(SplitMix(seed: seed ^ 0xFA17))
    }

    private func roll(_ p: Double) -> Bool {
        guard p > 0 else { return false }
        return rng.withLock { Double($0.next() >> 11) / Double(1 << 53) } < p
    }

    func shouldFail() -> Bool { roll(settings.errorRate) }
    func shouldMalform() -> Bool { roll(settings.malformedRate) }
    func shouldSkipSequence() -> Bool { roll(settings.sequenceGapRate) }

    func inBurst(realMs: Millis) -> Bool {
        guard settings.burstEverySeconds > 0 else { return false }
        return realMs % (settings.burstEverySeconds * 1000) < settings.burstLengthMs
    }
}
