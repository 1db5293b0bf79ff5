import Broker
import BusKit
import BusTestSupport
import BusWire
import Foundation
import Synchronization
import Testing
import ZeroMQ

private struct Note: BusMessage { static let typeName = "test.note"; var n: Int }

/// The notes a subscription delivered so far.
private final class Inbox: Sendable {
    private let received = Mutex<[Int]>([])
    init(_ subscription: Subscription) {
        Task { for await e in subscription { if let note = try? e.decode(Note.self) { self.add(note.n) } } }
    }
    var notes: [Int] { received.withLock { $0 } }
    private func add(_ n: Int) { received.withLock { $0.append(n) } }
}

@Suite("CURVE encryption and the broker's allow-list")
struct CurveTests {
    @Test func onlyAllowedKeysPublishAndSubscribe() async throws {
        let broker = try CurveKeyPair.generate(), good = try CurveKeyPair.generate(), stranger = try CurveKeyPair.generate()
        let test = try TestBroker { $0.curve = (broker, ["good": good.publicKey]) }
        defer { test.stop() }
        func connect(_ name: String, _ keys: CurveKeyPair?) throws -> ZMQBus {
            var o = test.options
            o.curve = keys.map { ($0, broker.publicKey) }
            return try ZMQBus(source: "\(name)@test", options: o)
        }
        let sender = try connect("sender", good), reader = try connect("reader", good)
        let intruder = try connect("intruder", stranger), plain = try connect("plain", nil)
        defer { [sender, reader, intruder, plain].forEach { $0.close(flushSeconds: 0) } }
        let topic = try Topic(validating: "test.curve")
        let goodInbox = Inbox(reader.subscribe([TopicFilter(topic)]))
        let intruded = Inbox(intruder.subscribe([TopicFilter(topic)])), plaintext = Inbox(plain.subscribe([TopicFilter(topic)]))
        // The allowed pair talks; the intruder's and the plaintext client's messages never arrive, nor do they read any.
        var n = 0
        let delivered = await eventually {
            n += 1
            try? intruder.publish(topic, Note(n: -1))
            try? plain.publish(topic, Note(n: -2))
            try? sender.publish(topic, Note(n: n))
            return goodInbox.notes.count >= 20
        }
        #expect(delivered)
        #expect(goodInbox.notes.allSatisfy { $0 > 0 })
        #expect(await eventually { test.broker.refusedClients >= 2 })
        #expect(intruded.notes.isEmpty && plaintext.notes.isEmpty)
    }

    @Test func plaintextIsOnlyForLoopbackAndIPC() throws {
        func config(_ text: String) throws -> BusConfiguration { try BusConfiguration(file: ConfigFile(path: "b.conf", text: text), pluginKeys: [:]) }
        #expect(try !config("[bus]\n").bus.curveRequired)
        #expect(try config("[bus]\nfrontend = tcp://10.0.0.1:7100\n").bus.curveRequired)
        #expect(try config("[bus]\nfrontend = ipc:///tmp/f\nbackend = ipc:///tmp/b\n").bus.curveRequired == false)
        #expect(throws: ConfigErrors.self) { try config("[bus]\nfrontend = tcp://0.0.0.0:7100\ncurve = off\n") }
    }

    @Test func theBrokerNeedsItsKeysAndAnAllowList() throws {
        let home = NSTemporaryDirectory() + "keys-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: home) }
        let config = try BusConfiguration(file: ConfigFile(path: "b.conf", text: "[bus]\ncurve = on\nkeys = \(home)/keys\n"), pluginKeys: [:])
        #expect(throws: BusError.self) { try BrokerOptions.load(config, host: "h", home: home) }
        let store = config.keyStore(home: home)
        try store.generate("broker")
        #expect(throws: BusError.self) { try BrokerOptions.load(config, host: "h", home: home) }  // nobody allowed yet
        let client = try store.generate("client")
        try store.allow(client.publicKey, as: "this-host")
        let options = try BrokerOptions.load(config, host: "h", home: home)
        #expect(options.curve?.allowed == ["this-host": client.publicKey])
        let connection = try config.connectionOptions(identity: "client", home: home)
        #expect(connection.curve?.keys == client)
        #expect(throws: BusError.self) { try store.generate("client") }  // never overwritten
        chmod(store.folder + "/client.secret", 0o644)
        #expect(throws: BusError.self) { try store.pair("client") }
    }
}
