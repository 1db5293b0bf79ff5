import Broker
import BusKit
import BusTestSupport
import BusWire
import Testing
import ZeroMQ

@Suite("Broker: forwarding, statistics, capture, refusals")
struct BrokerTests {
    /// A raw libzmq publisher, to send exactly the frames a test wants.
    func rawPublisher(_ broker: TestBroker) throws -> Socket {
        let s = try Socket(Context(), .pub)
        try s.set(.sendHighWaterMark, 0)
        try s.connect(broker.broker.frontendEndpoint)
        return s
    }

    @Test("statistics count messages per topic and connected sockets")
    func statistics() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let bus = try broker.connect(as: "stats@test")
        defer { bus.close() }
        _ = await bus.waitUntilConnected(timeoutSeconds: 10)
        for i in 0..<50 { try bus.publish(Topic.alert(source: "x"), type: "t", data: Array(#"{"i":\#(i)}"#.utf8)) }
        let stats = bus.subscribe([TopicFilter(.brokerStats)])
        let got = await stats.first(within: 20) { e in
            (try? e.decode(BrokerStats.self))?.topics.contains { $0.topic == "sys.alert.x" && $0.messages == 50 } ?? false
        }
        let s = try #require(try got?.decode(BrokerStats.self))
        #expect(s.messagesIn >= 50)
        #expect(s.publishers >= 1)
        #expect(s.subscribers >= 1)
        #expect(s.dropped == 0)
    }

    @Test("a message that is not exactly two frames is refused and counted, never forwarded")
    func refusesBadFrames() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let bus = try broker.connect(as: "frames@test")
        defer { bus.close() }
        let sub = bus.subscribe([.all])
        let raw = try rawPublisher(broker)
        // Single-frame and three-frame messages, repeated until the broker reports refusing them.
        let stats = bus.subscribe([TopicFilter(.brokerStats)])
        let pump = Task {
            for _ in 0..<400 where !Task.isCancelled {
                _ = try? raw.send(Array("bad.single".utf8))
                _ = try? raw.send(frames: [Array("bad.triple".utf8), [1], [2]])
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        defer { pump.cancel() }
        let refused = await stats.first(within: 20) { (try? $0.decode(BrokerStats.self))?.dropped ?? 0 >= 2 }
        #expect(refused != nil)
        pump.cancel()
        bus.close()
        var leaked = 0
        for await e in sub where e.topic.hasPrefix("bad.") { leaked += 1 }
        #expect(leaked == 0)
    }

    @Test("the capture socket mirrors every message")
    func capture() async throws {
        let broker = try TestBroker { $0.capture = "tcp://127.0.0.1:*" }
        defer { broker.stop() }
        let ctx = Context()
        let tap = try Socket(ctx, .sub)
        try tap.subscribe("")
        try tap.set(.receiveTimeout, 100)
        try tap.connect(try #require(broker.broker.captureEndpoint))
        let bus = try broker.connect(as: "cap@test")
        defer { bus.close() }
        _ = await bus.waitUntilConnected(timeoutSeconds: 10)
        var seen = false
        for i in 0..<200 where !seen {
            try bus.publish(Topic.alert(source: "cap"), type: "t", data: Array(#"{"i":\#(i)}"#.utf8))
            if let frames = try tap.receiveFrames(), frames.count == 2, frames[0] == Array("sys.alert.cap".utf8) {
                seen = (try? EnvelopeCodec.decode(topic: "sys.alert.cap", bytes: frames[1]))?.src == "cap@test"
            }
        }
        #expect(seen)
    }

    @Test("a subscriber that stops reading never stalls the others")
    func slowSubscriberIsolated() async throws {
        let broker = try TestBroker { $0.highWaterMark = 1000 }
        defer { broker.stop() }
        // The slow one: subscribes to everything with a tiny queue and never reads.
        let slow = try Socket(Context(), .sub)
        try slow.set(.receiveHighWaterMark, 10)
        try slow.subscribe("")
        try slow.connect(broker.broker.backendEndpoint)
        let fast = try broker.connect(as: "fast@test")
        defer { fast.close() }
        let sub = fast.subscribe([try TopicFilter(validating: "load.")])
        let pub = try broker.connect(as: "load@test")
        defer { pub.close() }
        _ = await pub.waitUntilConnected(timeoutSeconds: 10)
        let topic = try Topic(validating: "load.x")
        // Warm up until the fast subscription is live, then send a burst far above every queue limit.
        let warm = Task { for _ in 0..<2000 where !Task.isCancelled { try? pub.publish(topic, type: "t", data: Array(#"{"warm":1}"#.utf8)); try? await Task.sleep(for: .milliseconds(5)) } }
        _ = await sub.first(within: 20) { _ in true }
        warm.cancel()
        let n = 20_000
        let counter = Counter()
        let last = Task {
            await sub.first(within: 120) { e in
                guard e.dataText.hasPrefix(#"{"burst""#) else { return false }
                counter.increment()
                return e.dataText == #"{"burst":\#(n - 1)}"#
            }
        }
        // 20,000 messages: far beyond the slow subscriber's queues (1,000 at the broker, 10 at its socket).
        for i in 0..<n {
            try pub.publish(topic, type: "t", data: Array(#"{"burst":\#(i)}"#.utf8))
            if i % 50 == 0 { try await Task.sleep(for: .milliseconds(1)) }  // keep within the fast reader's queue
        }
        #expect(await last.value != nil)
        #expect(counter.value == n)
        slow.close()
    }
}

import Synchronization
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
