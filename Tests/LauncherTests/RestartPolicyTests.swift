import BusKit
import BusWire
import Launcher
import Testing

@Suite("Restart policy: backoff, jitter, cap, fatal, reset")
struct RestartPolicyTests {
    let policy = RestartPolicy(initial: 0.5, maximum: 8, jitter: 0.2, maxFailures: 6, stableAfter: 30)
    let t0 = BusTime(seconds: 1_000)

    @Test("delays double from the initial value and stop at the cap")
    func doubling() {
        #expect((1...7).map { policy.delay(failures: $0, random: 0) } == [0.5, 1, 2, 4, 8, 8, 8])
    }

    @Test("jitter stretches each delay by at most the jitter fraction", arguments: [0.0, 0.25, 0.5, 0.999])
    func jitterBounds(_ r: Double) {
        for n in 1...6 {
            let d = policy.delay(failures: n, random: r)
            let base = policy.delay(failures: n, random: 0)
            #expect(d >= base && d <= base * 1.2)
        }
    }

    @Test("quick failures in a row end in fatal; the restart times follow the backoff")
    func fatalAfterQuickFailures() {
        var failures = 0
        var now = t0
        var decisions: [RestartPolicy.Decision] = []
        for _ in 0..<6 {
            let started = now
            now = started.adding(seconds: 1)  // each run lasts one second
            decisions.append(policy.decide(startedAt: started, now: now, failures: &failures, random: 0))
            if case .restart(let at) = decisions.last! { now = at }
        }
        #expect(decisions.dropLast().allSatisfy { if case .restart = $0 { true } else { false } })
        #expect(decisions.last == .fatal)
        #expect(failures == 6)
    }

    @Test("a run longer than stable_after resets the count")
    func stableRunResets() {
        var failures = 4
        let d = policy.decide(startedAt: t0, now: t0.adding(seconds: 31), failures: &failures, random: 0)
        #expect(failures == 1)
        #expect(d == .restart(at: t0.adding(seconds: 31.5)))
    }

    @Test("bus.conf settings map onto the policy")
    func fromSettings() {
        var s = BusConfiguration.LauncherSettings()
        s.restartInitial = 2
        s.maxFailures = 3
        let p = RestartPolicy(s)
        #expect(p.initial == 2)
        #expect(p.maxFailures == 3)
        #expect(p.maximum == s.restartMax)
    }
}
