import Broker
import BusKit
import BusTestSupport
import BusWire
import Testing
import ZeroMQ

@Suite("Broker limits: topic size and last values in bytes")
struct LimitsTests {
    @Test("a topic frame over max_topic_size is refused and counted, never forwarded")
    func topicCap() async throws {
        let broker = try TestBroker { $0.maxTopicSize = 64 }
        defer { broker.stop() }
        let bus = try broker.connect(as: "limits@test")
        defer { bus.close(flushSeconds: 0) }
        let seen = Received(bus.subscribe([.all]))
        let raw = try Socket(Context(), .xpub)
        try raw.connect(broker.broker.frontendEndpoint)
        #expect(await eventually { (try? raw.receiveFrames(dontWait: true))?.first?.first == 1 })
        let long = "state." + String(repeating: "x", count: 100)
        let body = Array(#"{"v":1,"type":"t","src":"x@y","seq":1,"ts":"2026-01-01T00:00:00.000000Z","data":{}}"#.utf8)
        try raw.send(frames: [Array(long.utf8), body])
        try raw.send(frames: [Array("ok.topic".utf8), body])
        #expect(await eventually { seen.all.contains { $0.topic == "ok.topic" } })
        #expect(await eventually { seen.stats?.refused?.contains { $0.reason == "topic too large" && $0.messages == 1 } ?? false })
        #expect(!seen.all.contains { $0.topic == long })
        raw.close()
    }

    @Test("last values stop at their byte limit; a topic whose new value does not fit loses the old one")
    func lastValueBytes() async throws {
        let broker = try TestBroker { $0.lastValueBytes = 4096 }
        defer { broker.stop() }
        let bus = try broker.connect(as: "price-feed@test")
        defer { bus.close(flushSeconds: 0) }
        #expect(await bus.waitUntilConnected(timeoutSeconds: 60))
        let filler = String(repeating: "y", count: 1500)
        for i in 0..<4 { try bus.publish(try Topic(validating: "price.t\(i)"), type: "t", data: Array(#"{"f":"\#(filler)"}"#.utf8)) }
        let stats = Received(bus.subscribe([TopicFilter(.brokerStats)]))
        #expect(await eventually { (stats.stats?.lastValuesRefused ?? 0) >= 2 })
        let s = try #require(stats.stats)
        #expect(s.lastValueBytes ?? .max <= 4096)
        // A late joiner gets only what was kept.
        let late = try broker.connect(as: "late@test")
        defer { late.close(flushSeconds: 0) }
        let replay = Received(late.subscribe([try TopicFilter(validating: "price.")]))
        #expect(await eventually { replay.all.count == 2 })
    }
}
