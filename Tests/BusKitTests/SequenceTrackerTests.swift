import BusKit
import BusWire
import Testing

@Suite("SequenceTracker: duplicates, gaps, restarts")
struct SequenceTrackerTests {
    func env(_ seq: UInt64, ts: Int64, src: String = "a@h", topic: String = "t.x") -> Envelope {
        Envelope(topic: topic, type: "t", src: src, seq: seq, ts: BusTime(seconds: ts), data: Array("{}".utf8))
    }

    @Test("in order, gap, duplicate, restart")
    func verdicts() {
        var t = SequenceTracker()
        #expect(t.observe(env(1, ts: 10)) == .fresh)
        #expect(t.observe(env(2, ts: 11)) == .fresh)
        #expect(t.observe(env(5, ts: 12)) == .gap(missing: 2))
        #expect(t.observe(env(5, ts: 12)) == .duplicate)
        #expect(t.observe(env(3, ts: 11)) == .duplicate)
        #expect(t.observe(env(1, ts: 20)) == .restarted)
        #expect(t.observe(env(2, ts: 21)) == .fresh)
    }

    @Test("numbering is per source and per topic")
    func perSourceAndTopic() {
        var t = SequenceTracker()
        #expect(t.observe(env(1, ts: 1, src: "a@h")) == .fresh)
        #expect(t.observe(env(1, ts: 1, src: "b@h")) == .fresh)
        #expect(t.observe(env(1, ts: 1, topic: "t.y")) == .fresh)
        #expect(t.observe(env(2, ts: 2, src: "b@h")) == .fresh)
    }
}
