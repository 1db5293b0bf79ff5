import Synchronization

/// Simulated time, in microseconds since the Unix epoch. The feed reads it and sleeps on it, so a test can run the
/// market faster than real time (``ScaledClock``) or move it by hand (``ManualClock``).
public protocol SimClock: Sendable {
    /// Simulated time now, microseconds since the epoch.
    var nowMicros: Int64 { get }
    /// Suspends until simulated time reaches `micros`; throws `CancellationError` when the task is cancelled.
    func sleep(untilMicros micros: Int64) async throws
}

/// Simulated time that starts at `start` and runs `speed` times faster than the machine's monotonic clock.
public struct ScaledClock: SimClock {
    /// Simulated start, microseconds since the epoch.
    public let start: Int64
    /// Simulated seconds per real second.
    public let speed: Double
    private let origin: ContinuousClock.Instant

    /// A clock at `start` (microseconds since the epoch) now, advancing `speed` times faster than real time.
    public init(startMicros start: Int64, speed: Double = 1) {
        precondition(speed > 0, "speed must be positive")
        self.start = start
        self.speed = speed
        origin = ContinuousClock.now
    }

    public var nowMicros: Int64 {
        let elapsed = ContinuousClock.now - origin
        let micros = Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
        return start + Int64(micros * speed)
    }

    public func sleep(untilMicros micros: Int64) async throws {
        let remaining = micros - nowMicros
        if remaining > 0 { try await Task.sleep(for: .microseconds(Int64((Double(remaining) / speed).rounded(.up)))) }
        try Task.checkCancellation()
    }
}

/// Simulated time that moves only when ``advance(seconds:)`` is called. Sleepers wake when their deadline is
/// reached, and a cancelled sleeper wakes at once with `CancellationError`.
public final class ManualClock: SimClock {
    private struct Sleeper {
        let id: UInt64
        let deadline: Int64
        let continuation: CheckedContinuation<Void, any Error>
    }
    private struct State {
        var now: Int64
        var nextID: UInt64 = 0
        var sleepers: [Sleeper] = []
        var cancelled: Set<UInt64> = []
    }
    private let state: Mutex<State>

    /// A clock reading `startMicros`.
    public init(startMicros: Int64) { state = Mutex(State(now: startMicros)) }

    public var nowMicros: Int64 { state.withLock { $0.now } }

    /// How many tasks are waiting on the clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Moves simulated time forward and wakes every sleeper whose deadline has passed.
    public func advance(seconds: Double) {
        let due = state.withLock { s -> [Sleeper] in
            s.now += Int64(seconds * 1e6)
            let now = s.now
            let due = s.sleepers.filter { $0.deadline <= now }
            s.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        due.forEach { $0.continuation.resume() }
    }

    public func sleep(untilMicros micros: Int64) async throws {
        let id = state.withLock { s -> UInt64 in s.nextID += 1; return s.nextID }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                enum Outcome { case ready, cancelled, waiting }
                let outcome = state.withLock { s -> Outcome in
                    if s.cancelled.remove(id) != nil { return .cancelled }
                    if s.now >= micros { return .ready }
                    s.sleepers.append(Sleeper(id: id, deadline: micros, continuation: c))
                    return .waiting
                }
                switch outcome {
                case .ready: c.resume()
                case .cancelled: c.resume(throwing: CancellationError())
                case .waiting: break
                }
            }
        } onCancel: {
            let sleeper = state.withLock { s -> Sleeper? in
                guard let i = s.sleepers.firstIndex(where: { $0.id == id }) else { s.cancelled.insert(id); return nil }
                return s.sleepers.remove(at: i)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}
