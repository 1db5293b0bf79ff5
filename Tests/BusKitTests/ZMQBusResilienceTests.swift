import Broker
import BusKit
import BusTestSupport
import BusWire
import Testing
import ZeroMQ

@Suite("ZMQBus: a dead broker and bad input cost no data")
struct ZMQBusResilienceTests {
    /// A loopback port that was free a moment ago.
    func freePort() throws -> String {
        let s = try Socket(Context(), .pub)
        try s.bind("tcp://127.0.0.1:*")
        let endpoint = s.lastEndpoint
        s.close()
        return endpoint
    }

    @Test("messages published before the broker starts are delivered once it is up")
    func backlogSurvivesMissingBroker() async throws {
        let front = try freePort(), back = try freePort()
        let publisher = try ZMQBus(source: "early@test", options: .init(frontend: front, backend: back))
        defer { publisher.close() }
        for i in 1...100 { try publisher.publish(Topic.heartbeat(plugin: "early-\(i)"), type: "t", data: Array(#"{"i":\#(i)}"#.utf8)) }
        #expect(!publisher.isConnected)

        let broker = try TestBroker(frontend: front, backend: back)
        defer { broker.stop() }
        #expect(await publisher.waitUntilConnected(timeoutSeconds: 30))
        // Heartbeats are state topics: a late subscriber gets all 100 last values if all 100 reached the broker.
        let subscriber = try broker.connect(as: "late@test")
        defer { subscriber.close() }
        let sub = subscriber.subscribe([.heartbeats])
        let counter = Seen()
        let all = await sub.first(within: 30) { e in
            if e.src == "early@test" { counter.add(e.topic) }
            return counter.count == 100
        }
        #expect(all != nil)
        #expect(publisher.counters.dropped == 0)
    }

    @Test("malformed envelopes are refused and counted, never delivered")
    func malformedCounted() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let bus = try broker.connect(as: "victim@test")
        defer { bus.close() }
        let sub = bus.subscribe([try TopicFilter(validating: "fuzz.")])
        let raw = try Socket(Context(), .pub)
        try raw.set(.linger, 0)
        try raw.connect(broker.broker.frontendEndpoint)
        let good = EnvelopeCodec.encode(type: "t", src: "fuzz@test", seq: 1, ts: BusTime(seconds: 1), data: Array("{}".utf8))
        let bad: [[UInt8]] = [[], Array("not json".utf8), Array(#"{"v":1}"#.utf8), Array(good.dropLast()), [0xFF, 0xFE]]
        // Keep sending bad messages and a valid marker until the marker arrives (the subscription is then live).
        let pump = Task {
            for seq in UInt64(2)..<4000 where !Task.isCancelled {
                for b in bad { _ = try? raw.send(frames: [Array("fuzz.x".utf8), b]) }
                let ok = EnvelopeCodec.encode(type: "t", src: "fuzz@test", seq: seq, ts: BusTime(seconds: Int64(seq)), data: Array("{}".utf8))
                _ = try? raw.send(frames: [Array("fuzz.x".utf8), ok])
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        defer { pump.cancel() }
        let marker = await sub.first(within: 30) { _ in true }
        pump.cancel()
        _ = await pump.value
        #expect(marker?.src == "fuzz@test")
        #expect(bus.counters.rejected >= UInt64(bad.count))
    }
}

import Synchronization
final class Seen: Sendable {
    private let topics = Mutex(Set<String>())
    func add(_ s: String) { topics.withLock { _ = $0.insert(s) } }
    var count: Int { topics.withLock { $0.count } }
}
