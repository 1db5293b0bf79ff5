import BusWire
@testable import FailureDetector
import Testing
import TradingWire

private let t0 = BusTime(seconds: 1_800_000_000)
private func at(_ s: Double) -> BusTime { t0.adding(seconds: s) }
private func beat(_ plugin: String, _ state: PluginState = .running, books: Double? = nil) -> Heartbeat {
    Heartbeat(plugin: plugin, host: "h", pid: 1, state: state, uptime: 1, rss: 1, dataAges: books.map { ["books": $0] } ?? [:])
}
private func commands(_ outputs: [Detector.Output]) -> [String: TradingCommand.Action] {
    var out: [String: TradingCommand.Action] = [:]
    for case .command(let action, let holder, _) in outputs { out[holder] = action }
    return out
}
private func alerts(_ outputs: [Detector.Output]) -> [(Alert.Severity, String)] {
    outputs.compactMap { if case .alert(let s, let m) = $0 { (s, m) } else { nil } }
}

/// A detector watching only `required`, already past its start-up grace unless told otherwise.
private func detector(required: [String] = ["a", "b", "c"]) -> Detector {
    var s = DetectorSettings()
    s.required = required
    s.startupGrace = 0
    return Detector(settings: s, now: t0)
}

@Suite("Failure detector decisions")
struct DetectorTests {
    @Test func aPluginIsStaleAfterThreeMissedBeatsAndDeadAfterTheDeadTime() {
        var d = detector(required: ["a"])
        d.heartbeat(beat("a"), at: at(0))
        #expect(d.verdict("a", now: at(3)) == .alive)
        #expect(d.verdict("a", now: at(3.6)) == .stale)
        #expect(d.verdict("a", now: at(10.1)) == .dead)
        d.heartbeat(beat("a", .fatal), at: at(11))
        #expect(d.verdict("a", now: at(11)) == .dead)
    }

    @Test func aStaleBTCPriceStopsEntriesAndFreshDataResumesThem() {
        var d = detector(required: [])
        d.tick(at: at(0))
        #expect(commands(d.evaluate(now: at(1)))[Holder.btc] != .reduce)
        let stale = d.evaluate(now: at(6))
        #expect(commands(stale)[Holder.btc] == .reduce)
        d.tick(at: at(6.5))
        #expect(commands(d.evaluate(now: at(7)))[Holder.btc] == .resume)
        #expect(d.health(now: at(7)).holds.isEmpty)
    }

    @Test func noPriceAtAllAfterTheGraceIsStaleToo() {
        var s = DetectorSettings()
        s.required = []
        s.startupGrace = 10
        var d = Detector(settings: s, now: t0)
        #expect(commands(d.evaluate(now: at(5)))[Holder.btc] != .reduce)
        #expect(commands(d.evaluate(now: at(11)))[Holder.btc] == .reduce)
    }

    @Test func staleBooksFromTheMarketFeedsHeartbeatStopEntries() {
        var d = detector(required: ["market-feed"])
        d.tick(at: at(0))
        d.heartbeat(beat("market-feed", books: 61), at: at(0))
        #expect(commands(d.evaluate(now: at(0.5)))[Holder.books] == .reduce)
        d.tick(at: at(1))
        d.heartbeat(beat("market-feed", books: 0.2), at: at(1))
        #expect(commands(d.evaluate(now: at(1.2)))[Holder.books] == .resume)
    }

    @Test func aMissingRequiredPluginReducesUntilItIsBack() {
        var d = detector(required: ["trade-supervisor"])
        d.tick(at: at(0))
        let first = d.evaluate(now: at(0.1))
        #expect(commands(first)[Holder.plugin("trade-supervisor")] == .reduce)
        #expect(alerts(first).contains { $0.0 == .critical && $0.1.contains("trade-supervisor is dead") })
        d.heartbeat(beat("trade-supervisor"), at: at(1))
        d.tick(at: at(1))
        let back = d.evaluate(now: at(1.1))
        #expect(commands(back)[Holder.plugin("trade-supervisor")] == .resume)
        #expect(alerts(back).contains { $0.0 == .info })
    }

    @Test func severalFailuresInTheWindowHaltOnceAndLiftAfterRecovery() {
        var d = detector(required: ["a", "b", "c"])
        for p in ["a", "b", "c"] { d.heartbeat(beat(p), at: at(0)) }
        d.tick(at: at(0))
        _ = d.evaluate(now: at(0.5))
        // All three go silent: three deaths inside the minute.
        d.tick(at: at(11))
        let cascade = d.evaluate(now: at(11))
        #expect(commands(cascade)[Holder.cascade] == .halt)
        #expect(alerts(cascade).filter { $0.1.hasPrefix("cascade:") }.count == 1)
        // The halt stays while they are dead, and no second cascade alert is raised.
        d.tick(at: at(20))
        let later = d.evaluate(now: at(20))
        #expect(alerts(later).allSatisfy { !$0.1.hasPrefix("cascade:") })
        #expect(d.health(now: at(20)).cascade)
        // They come back; the halt lifts once no failure was seen for the recovery time.
        for p in ["a", "b", "c"] { d.heartbeat(beat(p), at: at(30)) }
        d.tick(at: at(30))
        _ = d.evaluate(now: at(30))
        for s in stride(from: 40.0, through: 190, by: 10) {
            for p in ["a", "b", "c"] { d.heartbeat(beat(p), at: at(s)) }
            d.tick(at: at(s))
            let out = d.evaluate(now: at(s))
            if commands(out)[Holder.cascade] == .resume {
                #expect(s >= 131, "lifted after \(s) s")
                #expect(alerts(out).contains { $0.1.hasPrefix("cascade over") })
                return
            }
        }
        Issue.record("the cascade halt never lifted")
    }

    @Test func restartsCountedByTheLauncherAreFailures() {
        var d = detector(required: [])
        d.tick(at: at(0))
        d.launcher(LauncherStatus(host: "h", pid: 1, plugins: [PluginStatus(name: "x", state: .running, restarts: 0)]), at: at(0))
        for n in 1...3 {
            d.tick(at: at(Double(n)))
            d.launcher(LauncherStatus(host: "h", pid: 1, plugins: [PluginStatus(name: "x", state: .running, restarts: n)]), at: at(Double(n)))
        }
        #expect(commands(d.evaluate(now: at(3.5)))[Holder.cascade] == .halt)
    }

    @Test func standingHoldsAndReleasesAreRepeatedForAnExecutorThatRestarted() {
        var d = detector(required: ["x"])
        d.heartbeat(beat("x"), at: at(6))
        _ = d.evaluate(now: at(6))  // no price: held
        #expect(commands(d.evaluate(now: at(7))).isEmpty)
        d.heartbeat(beat("x"), at: at(11))
        let repeated = commands(d.evaluate(now: at(11.5)))
        #expect(repeated[Holder.btc] == .reduce)
        #expect(repeated[Holder.books] == .resume && repeated[Holder.cascade] == .resume && repeated[Holder.plugin("x")] == .resume)
    }
}
