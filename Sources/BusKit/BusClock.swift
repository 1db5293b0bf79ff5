import BusWire
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The one clock a plugin reads. Production uses ``SystemClock``; tests use ``TestClock`` and advance it by hand,
/// so no test sleeps and no decision reads the time on its own.
public protocol BusClock: Sendable {
    /// The current wall time.
    var now: BusTime { get }
    /// Suspends until `seconds` have passed on this clock.
    func sleep(seconds: Double) async throws
}

/// Wall time from the operating system.
public struct SystemClock: BusClock {
    public init() {}

    public var now: BusTime {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return BusTime(microseconds: Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000)
    }

    public func sleep(seconds: Double) async throws {
        try await Task.sleep(for: .microseconds(Int64(seconds * 1e6)))
    }
}

/// A clock that moves only when a test calls ``advance(seconds:)``; sleepers wake when their deadline passes.
public final class TestClock: BusClock {
    private struct State {
        var now: BusTime
        var sleepers: [(deadline: BusTime, continuation: CheckedContinuation<Void, any Error>)] = []
    }
    private let state: Mutex<State>

    /// A clock starting at `start`.
    public init(start: BusTime = BusTime(seconds: 1_750_000_000)) { state = Mutex(State(now: start)) }

    public var now: BusTime { state.withLock { $0.now } }

    public func sleep(seconds: Double) async throws {
        let deadline = now.adding(seconds: seconds)
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            let ready = state.withLock { s -> Bool in
                if s.now >= deadline { return true }
                s.sleepers.append((deadline, c))
                return false
            }
            if ready { c.resume() }
        }
    }

    /// Moves the clock forward and wakes every sleeper whose deadline has passed.
    public func advance(seconds: Double) {
        let due = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
            s.now = s.now.adding(seconds: seconds)
            let now = s.now
            let due = s.sleepers.filter { $0.deadline <= now }.map(\.continuation)
            s.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        due.forEach { $0.resume() }
    }

    /// How many tasks are waiting on this clock (lets a test wait until a loop has gone to sleep).
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }
}
