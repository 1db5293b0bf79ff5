import BusWire

/// The life of one supervised process as a pure state machine: given what happened and the time, it changes
/// state and answers with what to do. It never reads a clock, spawns or signals, so tests drive it with made-up
/// times and a seeded random generator.
///
/// ```
/// waiting ──tick (due)──▶ spawn ──spawned──▶ starting ──heartbeat / alive stable_after──▶ running
///    ▲                                          │                                          │
///    └──── restart after backoff ◀── exited ────┴──────────────────────────────────────────┘
///                                   (max_failures short runs in a row ▶ fatal)
/// stop: starting/running ▶ stopping (SIGTERM; SIGKILL after stop_timeout) ▶ stopped; waiting ▶ stopped;
///       fatal stays fatal
/// ```
public struct Supervision: Sendable, Equatable {
    /// Where the process is in its life.
    public enum Phase: Sendable, Equatable {
        /// Not running; due to start at the given time (at once the first time).
        case waiting(until: BusTime)
        /// Spawned; no heartbeat yet.
        case starting
        /// Heartbeating, or alive for at least `stable_after`.
        case running
        /// Asked to stop at the given time; `killed` once SIGKILL was sent.
        case stopping(since: BusTime, killed: Bool)
        /// Stopped on request; never started again.
        case stopped
        /// Too many short runs in a row; not restarted.
        case fatal
    }

    /// Something that happened to the process, or the passing of time.
    public enum Event: Sendable, Equatable {
        /// Time passed; check deadlines.
        case tick
        /// The process was started.
        case spawned
        /// The process could not be started (counts as a run of zero length).
        case spawnFailed(String)
        /// A heartbeat from the current process arrived.
        case heartbeat
        /// The process ended, described as `exit 1` or `signal 9`.
        case exited(String)
        /// Shutdown: stop the process and never restart it.
        case stop
    }

    /// What the owner must do.
    public enum Action: Sendable, Equatable {
        /// Start the process now, then report ``Event/spawned`` or ``Event/spawnFailed(_:)``.
        case spawn
        /// The process ended and will be started again at `at` (after `delay` seconds).
        case restartScheduled(at: BusTime, delay: Double)
        /// The process is fatal and will not be restarted; tell a person why.
        case fatal(String)
        /// Send SIGTERM.
        case terminate
        /// Send SIGKILL.
        case kill
        /// SIGKILL did not end it within the grace period; stop waiting for it.
        case abandon
    }

    /// Seconds to wait after SIGKILL before giving up on a process (it may be stuck in the kernel).
    public static let killGrace = 5.0

    public let policy: RestartPolicy
    public private(set) var phase: Phase
    /// When the current (or last) process started.
    public private(set) var startedAt: BusTime?
    /// Consecutive runs shorter than `stable_after`.
    public private(set) var failures = 0
    /// Restarts so far.
    public private(set) var restarts = 0
    /// How the last process ended.
    public private(set) var lastExit: String?

    /// A process due to start at `start`.
    public init(policy: RestartPolicy, start: BusTime) {
        self.policy = policy
        phase = .waiting(until: start)
    }

    /// Whether a process is (or may still be) alive.
    public var isAlive: Bool {
        switch phase {
        case .starting, .running, .stopping: true
        case .waiting, .stopped, .fatal: false
        }
    }

    /// Applies `event` at `now`; `random` supplies the jitter.
    public mutating func handle(_ event: Event, now: BusTime, random: inout some RandomNumberGenerator) -> [Action] {
        switch (event, phase) {
        case (.tick, .waiting(let due)) where now >= due:
            return [.spawn]
        case (.tick, .starting) where startedAt.map { $0.seconds(until: now) >= policy.stableAfter } ?? false:
            phase = .running
            return []
        case (.tick, .stopping(let since, let killed)):
            let waited = since.seconds(until: now)
            if !killed && waited >= policy.stopTimeout {
                phase = .stopping(since: since, killed: true)
                return [.kill]
            }
            if killed && waited >= policy.stopTimeout + Self.killGrace {
                phase = .stopped
                return [.abandon]
            }
            return []
        case (.spawned, .waiting):
            phase = .starting
            startedAt = now
            return []
        case (.spawnFailed(let why), .waiting):
            startedAt = now
            return ended(why, now: now, random: &random)
        case (.heartbeat, .starting):
            phase = .running
            return []
        case (.exited(let how), .starting), (.exited(let how), .running):
            return ended(how, now: now, random: &random)
        case (.exited(let how), .stopping):
            lastExit = how
            phase = .stopped
            return []
        case (.stop, .starting), (.stop, .running):
            phase = .stopping(since: now, killed: false)
            return [.terminate]
        case (.stop, .waiting):
            phase = .stopped
            return []
        default:
            return []
        }
    }

    /// A run ended on its own: restart after a backoff, or give up.
    private mutating func ended(_ how: String, now: BusTime, random: inout some RandomNumberGenerator) -> [Action] {
        lastExit = how
        let ran = (startedAt ?? now).seconds(until: now)
        failures = ran >= policy.stableAfter ? 0 : failures + 1
        if failures >= policy.maxFailures {
            phase = .fatal
            return [.fatal("ended \(failures) times in a row within \(format(policy.stableAfter)) of starting (last: \(how)); not restarting")]
        }
        let delay = policy.delay(failures: failures, random: Double.random(in: 0..<1, using: &random))
        let at = now.adding(seconds: delay)
        restarts += 1
        phase = .waiting(until: at)
        return [.restartScheduled(at: at, delay: delay)]
    }

    /// The state shown in `recio status`.
    public var state: PluginState {
        switch phase {
        case .waiting, .starting: .starting
        case .running: .running
        case .stopping: .stopping
        case .stopped: .stopped
        case .fatal: .fatal
        }
    }

    /// When the next start is due, while waiting.
    public var nextStart: BusTime? {
        if case .waiting(let at) = phase, startedAt != nil { return at }
        return nil
    }
}

/// Seconds for people, to the millisecond: `30s`, `0.104s`.
func format(_ seconds: Double) -> String {
    let ms = Int((seconds * 1000).rounded())
    return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(Double(ms) / 1000)s"
}
