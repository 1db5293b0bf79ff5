import BusKit
import BusTestSupport
import BusWire
import Foundation
import Synchronization
import Testing
import ZeroMQ

/// One topic a plugin reads, with the type it expects there.
struct FuzzTopic: Sendable {
    let topic: Topic
    let type: String
    /// Bytes of the wrong shape for the expected type (they might still decode; `decodes` tells).
    let wrong: @Sendable (inout FuzzRandom) -> [UInt8]
    let decodes: @Sendable ([UInt8]) -> Bool

    /// A topic carrying `M`, with a valid `sample` to break.
    static func on<M: BusMessage>(_ topic: Topic, _ sample: M) -> FuzzTopic {
        FuzzTopic(topic: topic, type: M.typeName, wrong: { r in FuzzGen.wrongShape(of: sample, &r) },
                  decodes: { bytes in (try? JSONDecoder().decode(M.self, from: Data(bytes))) != nil })
    }

    /// One payload that cannot decode as the expected type, and the envelope type to send it under: mostly the right
    /// type name with the wrong shape, sometimes an unknown type name.
    func undecodable(_ r: inout FuzzRandom) -> (type: String, data: [UInt8]) {
        if r.chance(0.15) { return ("fuzz.unknown", FuzzGen.serialize(["fuzz": FuzzGen.text(&r)])) }
        while true {
            let data = wrong(&r)
            if !decodes(data) { return (type, data) }
        }
    }
}

/// A plain ZeroMQ PUB socket on the broker's frontend, for frames no `Bus` would send.
final class RawPublisher: Sendable {
    private let context = Context()
    private let socket: Socket

    init(endpoint: String) throws {
        socket = try Socket(context, .pub)
        try socket.set(.linger, 0)
        try socket.connect(endpoint)
    }

    func send(_ frames: [[UInt8]]) { _ = try? socket.send(frames: frames) }
    func close() { socket.close() }
}

/// The latest broker statistics a subscription saw.
final class BrokerWatch: Sendable {
    private let latest = Mutex<BrokerStats?>(nil)
    private let sentinels = Mutex<Set<String>>([])
    var dropped: UInt64? { latest.withLock { $0?.dropped } }
    func saw(_ sentinel: String) -> Bool { sentinels.withLock { $0.contains(sentinel) } }

    func collect(_ bus: any Bus) -> Task<Void, Never> {
        let s = bus.subscribe([TopicFilter(.brokerStats), try! TopicFilter(validating: "fuzz.sentinel")])
        return Task {
            for await e in s {
                if e.topic == Topic.brokerStats.rawValue, let stats = try? e.decode(BrokerStats.self) {
                    self.latest.withLock { $0 = stats }
                } else {
                    self.sentinels.withLock { _ = $0.insert(e.dataText) }
                }
            }
        }
    }
}

/// Feeds a running plugin bad input over the real bus and checks every piece is refused and counted.
enum FuzzRig {
    /// Wrong shapes on every topic: first one per topic until the plugin counts it (its subscription is live), then
    /// `perTopic` more each. Returns whether the plugin counted exactly one rejection per message.
    static func shapes(_ topics: [FuzzTopic], feed: any Bus, health: Health, seed: UInt64, perTopic: Int = 20) async throws -> Bool {
        var r = FuzzRandom(seed: seed)
        for t in topics {
            var counted = false
            for _ in 0..<40 where !counted {
                let before = health.undecodable
                let (type, data) = t.undecodable(&r)
                try feed.publish(t.topic, type: type, data: data)
                counted = await eventually(attempts: 20, every: .milliseconds(25)) { health.undecodable > before }
            }
            guard counted else { Issue.record("\(t.topic): the plugin never counted a rejection"); return false }
        }
        let expected = health.undecodable + UInt64(topics.count * perTopic)
        for _ in 0..<perTopic {
            for t in topics {
                let (type, data) = t.undecodable(&r)
                try feed.publish(t.topic, type: type, data: data)
            }
        }
        let reached = await eventually { health.undecodable >= expected }
        if health.undecodable != expected { Issue.record("counted \(health.undecodable) rejections, expected \(expected)") }
        return reached && health.undecodable == expected
    }

    /// A message too large for the bus: the publisher refuses it and counts it.
    static func huge(on topic: Topic, feed: any Bus) -> Bool {
        let before = feed.counters.rejected
        let data = Array(#"{"x":""#.utf8) + [UInt8](repeating: 0x61, count: EnvelopeCodec.defaultMaxSize + 10) + Array(#""}"#.utf8)
        do { try feed.publish(topic, type: "fuzz.huge", data: data) } catch {
            return feed.counters.rejected == before + 1
        }
        return false
    }

    /// Raw frames on the plugin's topics: broken envelopes (refused and counted by the plugin's bus connection),
    /// wrong frame counts and oversized envelopes (refused and counted by the broker).
    static func raw(on topics: [Topic], broker: TestBroker, pluginBus: any Bus, tap: any Bus, seed: UInt64, count: Int = 60) async throws -> Bool {
        var r = FuzzRandom(seed: seed)
        let watch = BrokerWatch()
        let watching = watch.collect(tap)
        defer { watching.cancel() }
        let raw = try RawPublisher(endpoint: broker.options.frontend)
        defer { raw.close() }
        let hello = EnvelopeCodec.encode(type: "fuzz.sentinel", src: "raw@test", seq: 1, ts: BusTime(seconds: 1_700_000_000),
                                         data: Array(#"{"n":1}"#.utf8))
        let reached = await eventually(attempts: 200) {
            raw.send([Array("fuzz.sentinel".utf8), hello])
            return watch.saw(#"{"n":1}"#) && watch.dropped != nil
        }
        guard reached else { Issue.record("the raw publisher never reached the broker"); return false }
        let droppedBefore = watch.dropped ?? 0, rejectedBefore = pluginBus.counters.rejected
        var atPlugin: UInt64 = 0, atBroker: UInt64 = 0
        for _ in 0..<count {
            let topic = Array(topics[r.int(0...(topics.count - 1))].rawValue.utf8)
            switch r.int(0...9) {
            case 0:
                raw.send([topic]); atBroker += 1
            case 1:
                raw.send([topic, FuzzGen.brokenEnvelope(&r), r.bytes(3)]); atBroker += 1
            case 2:
                let big = Array(#"{"x":""#.utf8) + [UInt8](repeating: 0x62, count: EnvelopeCodec.defaultMaxSize + r.int(1...50_000)) + Array(#""}"#.utf8)
                raw.send([topic, EnvelopeCodec.encode(type: "fuzz.huge", src: "raw@test", seq: 1, ts: BusTime(seconds: 1_700_000_000), data: big)])
                atBroker += 1
            default:
                raw.send([topic, FuzzGen.brokenEnvelope(&r)]); atPlugin += 1
            }
        }
        let pluginOK = await eventually { pluginBus.counters.rejected - rejectedBefore >= atPlugin }
        let brokerOK = await eventually { (watch.dropped ?? 0) - droppedBefore >= atBroker }
        let plugin = pluginBus.counters.rejected - rejectedBefore, dropped = (watch.dropped ?? 0) - droppedBefore
        if plugin != atPlugin { Issue.record("plugin bus refused \(plugin) envelopes, expected \(atPlugin)") }
        if dropped != atBroker { Issue.record("broker dropped \(dropped) messages, expected \(atBroker)") }
        return pluginOK && brokerOK && plugin == atPlugin && dropped == atBroker
    }
}
