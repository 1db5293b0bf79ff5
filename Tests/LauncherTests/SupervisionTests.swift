import BusKit
import BusWire
import Launcher
import Testing

/// A generator that always answers `value`: 0 gives no jitter, `.max` the most.
struct FixedRandom: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

@Suite("Supervision: backoff, jitter, cap, fatal, reset, stop")
struct SupervisionTests {
    let policy = RestartPolicy(initial: 0.5, maximum: 8, jitter: 0.2, maxFailures: 6, stableAfter: 30, stopTimeout: 10)
    let clock = TestClock()

    /// A machine whose first process has just been spawned.
    func started(_ policy: RestartPolicy? = nil) -> Supervision {
        var noJitter = FixedRandom(value: 0)
        var s = Supervision(policy: policy ?? self.policy, start: clock.now)
        #expect(s.handle(.tick, now: clock.now, random: &noJitter) == [.spawn])
        #expect(s.handle(.spawned, now: clock.now, random: &noJitter) == [])
        #expect(s.phase == .starting)
        return s
    }

    /// Lets the process run `seconds`, ends it, and returns the restart delay (nil if it went fatal).
    func crash(_ s: inout Supervision, after seconds: Double, random: inout some RandomNumberGenerator) -> Double? {
        clock.advance(seconds: seconds)
        let actions = s.handle(.exited("exit 1"), now: clock.now, random: &random)
        guard case .restartScheduled(let at, let delay)? = actions.first else {
            #expect(actions.count == 1)
            return nil
        }
        #expect(at == clock.now.adding(seconds: delay))
        #expect(s.phase == .waiting(until: at))
        // Nothing starts before the time is up; it starts once it is.
        clock.advance(seconds: delay * 0.9)
        #expect(s.handle(.tick, now: clock.now, random: &random) == [])
        clock.advance(seconds: delay)  // well past the due time
        #expect(s.handle(.tick, now: clock.now, random: &random) == [.spawn])
        #expect(s.handle(.spawned, now: clock.now, random: &random) == [])
        return delay
    }

    @Test("delays double from restart_initial and stop at restart_max")
    func doublingAndCap() {
        var noJitter = FixedRandom(value: 0)
        var s = started(RestartPolicy(initial: 0.5, maximum: 8, jitter: 0.2, maxFailures: 100, stableAfter: 30))
        var delays: [Double] = []
        for _ in 0..<7 { delays.append(crash(&s, after: 1, random: &noJitter) ?? -1) }
        #expect(delays == [0.5, 1, 2, 4, 8, 8, 8])
        #expect(s.restarts == 7)
        #expect(s.failures == 7)
    }

    @Test("jitter stretches each delay by at most restart_jitter", arguments: [UInt64(0), 1 << 62, 1 << 63, .max])
    func jitterBounds(_ raw: UInt64) {
        var random = FixedRandom(value: raw)
        var s = started()
        for failures in 1...5 {
            let base = policy.delay(failures: failures, random: 0)
            let d = crash(&s, after: 1, random: &random)!
            #expect(d >= base && d <= base * 1.2)
        }
        var most = FixedRandom(value: .max)
        #expect(policy.delay(failures: 3, random: Double.random(in: 0..<1, using: &most)) > 2 * 1.199)
    }

    @Test("a seeded generator gives jittered delays inside the bounds, and the same ones every run")
    func seededJitter() {
        func delays(seed: UInt64) -> [Double] {
            var rng = SplitMix(seed: seed)
            let clock = TestClock()
            var s = Supervision(policy: RestartPolicy(initial: 1, maximum: 4, jitter: 0.5, maxFailures: 50, stableAfter: 30),
                                start: clock.now)
            var out: [Double] = []
            for _ in 0..<10 {
                for action in s.handle(.tick, now: clock.now, random: &rng) where action == .spawn {
                    _ = s.handle(.spawned, now: clock.now, random: &rng)
                }
                clock.advance(seconds: 1)
                if case .restartScheduled(_, let d)? = s.handle(.exited("exit 1"), now: clock.now, random: &rng).first {
                    out.append(d)
                    clock.advance(seconds: d)
                }
            }
            return out
        }
        let a = delays(seed: 7)
        #expect(a == delays(seed: 7))
        #expect(a.count == 10)
        let stretch = a.indices.map { a[$0] / min(4.0, Double(1 << $0)) }
        #expect(stretch.allSatisfy { $0 >= 1 && $0 <= 1.5 })
        #expect(Set(stretch).count > 5, "jitter varies from one restart to the next")
    }

    @Test("max_failures quick runs in a row end in fatal, with a reason, and nothing starts again")
    func fatalAfterQuickFailures() {
        var noJitter = FixedRandom(value: 0)
        var s = started()
        for _ in 0..<5 { #expect(crash(&s, after: 2, random: &noJitter) != nil) }
        clock.advance(seconds: 2)
        let actions = s.handle(.exited("signal 11"), now: clock.now, random: &noJitter)
        guard case .fatal(let why)? = actions.first else { Issue.record("expected fatal, got \(actions)"); return }
        #expect(why.contains("6 times") && why.contains("signal 11"))
        #expect(s.phase == .fatal)
        #expect(s.state == .fatal)
        #expect(s.restarts == 5)
        clock.advance(seconds: 3600)
        #expect(s.handle(.tick, now: clock.now, random: &noJitter) == [])
    }

    @Test("a run longer than stable_after resets the count and the backoff")
    func stableRunResets() {
        var noJitter = FixedRandom(value: 0)
        var s = started()
        for _ in 0..<4 { _ = crash(&s, after: 1, random: &noJitter) }
        #expect(s.failures == 4)
        #expect(crash(&s, after: 31, random: &noJitter) == 0.5)
        #expect(s.failures == 0)
        // The full allowance of quick failures is available again.
        for _ in 0..<5 { #expect(crash(&s, after: 1, random: &noJitter) != nil) }
        #expect(crash(&s, after: 1, random: &noJitter) == nil)
        #expect(s.phase == .fatal)
    }

    @Test("a process that cannot be spawned counts as a quick failure")
    func spawnFailure() {
        var noJitter = FixedRandom(value: 0)
        var s = Supervision(policy: policy, start: clock.now)
        #expect(s.handle(.tick, now: clock.now, random: &noJitter) == [.spawn])
        let actions = s.handle(.spawnFailed("cannot start /nope: No such file or directory"), now: clock.now, random: &noJitter)
        #expect(actions == [.restartScheduled(at: clock.now.adding(seconds: 0.5), delay: 0.5)])
        #expect(s.failures == 1)
        #expect(s.lastExit == "cannot start /nope: No such file or directory")
    }

    @Test("running after its first heartbeat, or after stable_after alive without one")
    func runningState() {
        var noJitter = FixedRandom(value: 0)
        var s = started()
        #expect(s.state == .starting)
        _ = s.handle(.heartbeat, now: clock.now, random: &noJitter)
        #expect(s.phase == .running)

        var quiet = started()
        clock.advance(seconds: 29)
        _ = quiet.handle(.tick, now: clock.now, random: &noJitter)
        #expect(quiet.phase == .starting)
        clock.advance(seconds: 1)
        _ = quiet.handle(.tick, now: clock.now, random: &noJitter)
        #expect(quiet.phase == .running)
    }

    @Test("stop: SIGTERM, SIGKILL after stop_timeout, give up after the kill grace; never restarted")
    func stopEscalates() {
        var noJitter = FixedRandom(value: 0)
        var s = started()
        _ = s.handle(.heartbeat, now: clock.now, random: &noJitter)
        #expect(s.handle(.stop, now: clock.now, random: &noJitter) == [.terminate])
        #expect(s.state == .stopping)
        clock.advance(seconds: 9.9)
        #expect(s.handle(.tick, now: clock.now, random: &noJitter) == [])
        clock.advance(seconds: 0.1)
        #expect(s.handle(.tick, now: clock.now, random: &noJitter) == [.kill])
        #expect(s.handle(.tick, now: clock.now, random: &noJitter) == [])
        clock.advance(seconds: Supervision.killGrace)
        #expect(s.handle(.tick, now: clock.now, random: &noJitter) == [.abandon])
        #expect(s.phase == .stopped)

        var polite = started()
        _ = polite.handle(.stop, now: clock.now, random: &noJitter)
        #expect(polite.handle(.exited("exit 0"), now: clock.now, random: &noJitter) == [])
        #expect(polite.phase == .stopped)
        #expect(polite.restarts == 0)
        clock.advance(seconds: 60)
        #expect(polite.handle(.tick, now: clock.now, random: &noJitter) == [])
    }

    @Test("stop while backing off ends supervision; a fatal process stays fatal")
    func stopWhileWaiting() {
        var noJitter = FixedRandom(value: 0)
        var s = started()
        _ = crash(&s, after: 1, random: &noJitter)
        clock.advance(seconds: 1)
        _ = s.handle(.exited("exit 1"), now: clock.now, random: &noJitter)
        #expect(s.nextStart != nil)
        #expect(s.handle(.stop, now: clock.now, random: &noJitter) == [])
        #expect(s.phase == .stopped)
        clock.advance(seconds: 60)
        #expect(s.handle(.tick, now: clock.now, random: &noJitter) == [])

        var doomed = started(RestartPolicy(initial: 1, maximum: 1, jitter: 0, maxFailures: 1, stableAfter: 30))
        #expect(crash(&doomed, after: 1, random: &noJitter) == nil)
        #expect(doomed.handle(.stop, now: clock.now, random: &noJitter) == [])
        #expect(doomed.phase == .fatal)
    }

    @Test("bus.conf settings map onto the policy")
    func fromSettings() {
        var settings = BusConfiguration.LauncherSettings()
        settings.restartInitial = 2
        settings.maxFailures = 3
        settings.stopTimeout = 4
        let p = RestartPolicy(settings)
        #expect(p.initial == 2)
        #expect(p.maxFailures == 3)
        #expect(p.stopTimeout == 4)
        #expect(p.maximum == settings.restartMax)
        #expect(p.jitter == settings.restartJitter)
        #expect(p.stableAfter == settings.stableAfter)
    }
}
