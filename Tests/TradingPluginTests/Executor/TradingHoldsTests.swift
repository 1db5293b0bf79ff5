import BusWire
@testable import Executor
import Money
import Testing
import TradingWire

@Suite("executor: TradingHolds, with an injected clock")
struct TradingHoldsTests {
    let t0 = BusTime(seconds: 1_788_998_100)
    func cmd(_ action: TradingCommand.Action, _ holder: String, _ reason: String = "why") -> TradingCommand {
        TradingCommand(action: action, holder: holder, reason: reason, time: "")
    }
    func report(_ status: ReconciliationReport.Status) -> ReconciliationReport {
        ReconciliationReport(status: status, startup: true, mismatches: status == .failed ? [.init(ticker: "T1", trades: .zero, venue: .zero)] : [],
                             checkedTime: "")
    }

    @Test("starts REDUCING on the reconciliation hold; passed releases it, failed takes it again, pending changes nothing")
    func reconciliation() {
        var h = TradingHolds(requireReconciliation: true, now: t0)
        #expect(h.mode == .reducing && h.allows(.close) && !h.allows(.entry))
        let c1 = h.apply(report(.pending), now: t0)
        #expect(!c1)
        let c2 = h.apply(report(.passed), now: t0.adding(seconds: 1))
        #expect(c2)
        #expect(h.mode == .active && h.holds.isEmpty && h.allows(.entry))
        let c3 = h.apply(report(.failed), now: t0.adding(seconds: 2))
        #expect(c3)
        #expect(h.mode == .reducing && h.holds["reconciliation"]?.reason.contains("T1") == true)
        let c4 = h.apply(report(.failed), now: t0.adding(seconds: 3))
        #expect(!c4)  // the same failure: no change, `since` kept
        #expect(h.holds["reconciliation"]?.since == t0.adding(seconds: 2).description)

        var paper = TradingHolds(requireReconciliation: false, now: t0)
        #expect(paper.mode == .active)
        let c5 = paper.apply(report(.failed), now: t0)
        #expect(!c5 && paper.mode == .active)
    }

    @Test("the most restrictive hold wins; resume releases the holder's own and nothing else; * releases nothing")
    func holds() {
        var h = TradingHolds(requireReconciliation: false, now: t0)
        let c6 = h.apply(cmd(.reduce, "failure-detector.btc-stale"), now: t0)
        #expect(c6)
        #expect(h.mode == .reducing)
        let c7 = h.apply(cmd(.halt, "user"), now: t0)
        #expect(c7)
        #expect(h.mode == .halted && !h.hard && h.allows(.close) && !h.allows(.entry))
        let c8 = h.apply(cmd(.resume, "user"), now: t0)
        #expect(c8)
        #expect(h.mode == .reducing)
        let c9 = h.apply(cmd(.resume, "nobody"), now: t0)
        #expect(!c9)
        let c10 = h.apply(cmd(.haltHard, "user"), now: t0)
        #expect(c10)
        #expect(h.mode == .halted && h.hard && !h.allows(.close))
        let c11 = h.apply(cmd(.halt, "user"), now: t0)
        #expect(c11)  // softened by its holder
        #expect(!h.hard && h.allows(.close))
        let c12 = h.apply(cmd(.halt, ""), now: t0)
        #expect(!c12)  // no holder: ignored
        let c13 = h.apply(cmd(.resume, "*"), now: t0)
        #expect(!c13)
        #expect(h.mode == .halted && Set(h.holds.keys) == ["user", "failure-detector.btc-stale"])
        #expect(h.apply(cmd(.resume, "user"), now: t0) && h.apply(cmd(.resume, "failure-detector.btc-stale"), now: t0))
        #expect(h.mode == .active && h.holds.isEmpty)
    }

    @Test("no command places or releases the executor's own holds: reconciliation and risk answer to the executor only")
    func ownHolds() {
        var h = TradingHolds(requireReconciliation: true, now: t0)
        #expect(!h.apply(cmd(.resume, "*"), now: t0) && !h.apply(cmd(.resume, "reconciliation"), now: t0))
        #expect(!h.apply(cmd(.halt, "risk"), now: t0) && h.mode == .reducing)
        #expect(h.apply(report(.passed), now: t0) && h.mode == .active)
        #expect(h.setRisk("loss limit", now: t0) && h.mode == .reducing)
        #expect(!h.apply(cmd(.resume, "risk"), now: t0) && h.mode == .reducing)
        #expect(h.commandHolds.isEmpty)
        #expect(h.setRisk(nil, now: t0) && h.mode == .active)
        #expect(h.apply(report(.failed), now: t0) && h.mode == .reducing)
    }

    @Test("command holds are what the journal keeps; restoring them never brings back a reconciliation hold")
    func restore() {
        var h = TradingHolds(requireReconciliation: true, now: t0)
        h.apply(cmd(.haltHard, "user", "maintenance"), now: t0)
        #expect(h.commandHolds.map(\.holder) == ["user"])
        var fresh = TradingHolds(requireReconciliation: false, now: t0.adding(seconds: 60))
        fresh.restore(h.holds.values.map { $0 })
        #expect(fresh.mode == .halted && fresh.hard && fresh.holds.keys.sorted() == ["user"])
        #expect(fresh.holds["user"]?.since == t0.description)
    }

    @Test("the published status lists every hold, sorted, with the venue mode")
    func status() {
        var h = TradingHolds(requireReconciliation: true, now: t0)
        h.apply(cmd(.halt, "user", "lunch"), now: t0)
        let s = h.status(venueMode: "paper", now: t0)
        #expect(s.mode == .halted && !s.hard && s.venueMode == "paper" && s.time == t0.description)
        #expect(s.holds.map(\.holder) == ["reconciliation", "user"] && s.holds[1].reason == "lunch")
    }
}
