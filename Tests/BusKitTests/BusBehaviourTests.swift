import BusKit
import BusTestSupport
import BusWire
import Testing

/// Which bus a behaviour test runs on: the same test body runs in memory and over a real broker.
enum Transport: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inMemory, zeroMQ
    var testDescription: String { rawValue }
}

/// A pair of connections on one bus plus the means to tear it down.
final class Harness: Sendable {
    let publisher: any Bus
    let subscriber: any Bus
    private let broker: TestBroker?

    init(_ transport: Transport) throws {
        switch transport {
        case .inMemory:
            let bus = InMemoryBus(source: "pub@test")
            publisher = bus
            subscriber = bus
            broker = nil
        case .zeroMQ:
            let broker = try TestBroker()
            self.broker = broker
            publisher = try broker.connect(as: "pub@test")
            subscriber = try broker.connect(as: "sub@test")
        }
    }

    /// Publishes `make()` on `topic` until `subscription` yields a match (covers ZeroMQ's slow joiner).
    func publishUntilSeen(_ topic: Topic, on subscription: Subscription, match: @escaping @Sendable (Envelope) -> Bool,
                          make: @escaping @Sendable (Int) -> [UInt8]) async throws -> Envelope? {
        let publisher = self.publisher
        let pump = Task {
            var i = 0
            while !Task.isCancelled && i < 2000 {
                try? publisher.publish(topic, type: "test", data: make(i))
                i += 1
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        defer { pump.cancel() }
        return await subscription.first(within: 20, where: match)
    }

    func close() {
        publisher.close()
        subscriber.close()
        broker?.stop()
    }
}

@Suite("Bus behaviour, in memory and over the real broker")
struct BusBehaviourTests {
    @Test("a published message reaches a subscriber with its envelope intact", arguments: Transport.allCases)
    func publishSubscribe(_ transport: Transport) async throws {
        let h = try Harness(transport)
        defer { h.close() }
        let sub = h.subscriber.subscribe([try TopicFilter(validating: "test.a.")])
        _ = await h.publisher.waitUntilConnected(timeoutSeconds: 10)
        let got = try await h.publishUntilSeen(try Topic(validating: "test.a.x"), on: sub, match: { _ in true }) { i in Array(#"{"i":\#(i)}"#.utf8) }
        let e = try #require(got)
        #expect(e.topic == "test.a.x")
        #expect(e.src == "pub@test")
        #expect(e.type == "test")
        #expect(e.dataText.hasPrefix(#"{"i":"#))
    }

    @Test("a subscription to …T1. never sees …T10.", arguments: Transport.allCases)
    func prefixFiltering(_ transport: Transport) async throws {
        let h = try Harness(transport)
        defer { h.close() }
        let t1 = try Topic(validating: "market.KXBTCD-25MAY1522-T1.book")
        let t10 = try Topic(validating: "market.KXBTCD-25MAY1522-T10.book")
        let sub = h.subscriber.subscribe([try TopicFilter(validating: "market.KXBTCD-25MAY1522-T1.")])
        _ = await h.publisher.waitUntilConnected(timeoutSeconds: 10)
        // Interleave T10 traffic with a marker on T1; everything before the marker must be T1 only.
        let publisher = h.publisher
        let got = try await h.publishUntilSeen(t1, on: sub, match: { $0.dataText.contains("marker") || $0.topic != t1.rawValue }) { i in
            try? publisher.publish(t10, type: "test", data: Array(#"{"n":\#(i)}"#.utf8))
            return Array(#"{"marker":\#(i)}"#.utf8)
        }
        #expect(got?.topic == t1.rawValue)
        #expect(h.subscriber.counters.received >= 1)
    }

    @Test("a late joiner gets the last value of every state topic at once", arguments: Transport.allCases)
    func lastValues(_ transport: Transport) async throws {
        let h = try Harness(transport)
        defer { h.close() }
        _ = await h.publisher.waitUntilConnected(timeoutSeconds: 10)
        let hb = Topic.heartbeat(plugin: "alpha")
        for i in 1...3 { try h.publisher.publish(hb, type: "sys.heartbeat", data: Array(#"{"n":\#(i)}"#.utf8)) }
        // Wait until the broker has it (an early subscriber sees the third one), then join late.
        let early = h.subscriber.subscribe([.heartbeats])
        #expect(await early.first(within: 20) { $0.dataText == #"{"n":3}"# } != nil)
        let late = h.subscriber.subscribe([TopicFilter(hb)])
        let first = await late.first(within: 20) { _ in true }
        #expect(first?.dataText == #"{"n":3}"#)
        #expect(first?.seq == 3)
    }

    @Test("a repeated message is dropped by (src, seq) and counted", arguments: Transport.allCases)
    func duplicatesDropped(_ transport: Transport) async throws {
        let h = try Harness(transport)
        defer { h.close() }
        _ = await h.publisher.waitUntilConnected(timeoutSeconds: 10)
        let hb = Topic.heartbeat(plugin: "beta")
        try h.publisher.publish(hb, type: "sys.heartbeat", data: Array(#"{"n":1}"#.utf8))
        let a = h.subscriber.subscribe([TopicFilter(hb)])
        #expect(await a.first(within: 20) { _ in true }?.seq == 1)
        // A second subscription makes the broker replay the last value: the first subscription must not see it twice.
        let b = h.subscriber.subscribe([TopicFilter(hb)])
        #expect(await b.first(within: 20) { _ in true }?.seq == 1)
        try h.publisher.publish(hb, type: "sys.heartbeat", data: Array(#"{"n":2}"#.utf8))
        #expect(await a.first(within: 20) { _ in true }?.seq == 2)
        if transport == .zeroMQ { #expect(h.subscriber.counters.duplicates >= 1) }
    }

    @Test("publishing refuses data that is not one JSON object", arguments: Transport.allCases)
    func refusesBadData(_ transport: Transport) throws {
        let h = try Harness(transport)
        defer { h.close() }
        for bad in ["", "[1]", "{", #"{"a":1} {"#, "12"] {
            #expect(throws: BusError.self) { try h.publisher.publish(Topic.alert(source: "t"), type: "x", data: Array(bad.utf8)) }
        }
    }

    @Test("closing ends every subscription")
    func closeEndsSubscriptions() async throws {
        for transport in Transport.allCases {
            let h = try Harness(transport)
            let sub = h.subscriber.subscribe([.all])
            h.close()
            var count = 0
            for await _ in sub { count += 1 }
            #expect(count >= 0)  // reaching here means the sequence ended
        }
    }

    /// A consumer's task cancelled while the bus is handing it a batch: the stream's end runs under the task's lock
    /// while the bus's delivering thread, holding the bus's lock, waits for that task lock. A bus that took its own
    /// lock on the stream's end hung here now and then (found as a hung model-plugin test in CI).
    @Test("consumers cancelled while messages stream in never stall the bus", arguments: Transport.allCases)
    func cancelledConsumers(_ transport: Transport) async throws {
        let h = try Harness(transport)
        defer { h.close() }
        _ = await h.publisher.waitUntilConnected(timeoutSeconds: 10)
        let topic = try Topic(validating: "test.burst.x"), publisher = h.publisher
        let pump = Task {
            var i = 0
            while !Task.isCancelled {
                for _ in 0..<50 { try? publisher.publish(topic, type: "test", data: Array(#"{"i":\#(i)}"#.utf8)); i += 1 }
                try? await Task.sleep(for: .milliseconds(1))
            }
        }
        defer { pump.cancel() }
        for _ in 0..<100 {
            let sub = h.subscriber.subscribe([TopicFilter(topic)])
            let consumer = Task { for await _ in sub {} }
            // Cancelled as soon as something reached it, i.e. while later batches are being handed over.
            _ = await h.subscriber.subscribe([TopicFilter(topic)]).first(within: 20) { _ in true }
            consumer.cancel()
            _ = await consumer.value
        }
        let last = h.subscriber.subscribe([TopicFilter(topic)])
        #expect(await last.first(within: 20) { _ in true } != nil)
    }
}
