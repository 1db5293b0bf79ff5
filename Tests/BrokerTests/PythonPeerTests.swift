import Broker
import BusKit
import BusTestSupport
import BusWire
import Foundation
import Testing

/// The example pyzmq strategy (examples/python/strategy.py) as an independent peer: another ZeroMQ build, another
/// language, its own credentials.
@Suite("A Python plugin joins with its own identity")
struct PythonPeerTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/python/strategy.py").path

    static var hasPyZMQ: Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import zmq"]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    @Test("the strategy reads a strike table, its intent passes and its halt is refused and counted")
    func strategyPlugin() async throws {
        guard Self.hasPyZMQ else {
            print("skipped: python3 with pyzmq is not installed")
            return
        }
        let b = try IdentityBroker()
        let model = try b.connect("model@test", as: "model")
        let watcher = try b.connect("watcher@test", as: "watcher")
        defer { [model, watcher].forEach { $0.close(flushSeconds: 0) } }
        let seen = Received(watcher.subscribe([.all]))
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", Self.script, "--config", "/nonexistent", "--host", "test", "--once", "--probe-forbidden",
                            "--frontend", b.test.broker.frontendEndpoint, "--backend", b.test.broker.backendEndpoint,
                            "--password-file", b.store.folder + "/strategy.password"]
        try python.run()
        defer { if python.isRunning { python.terminate() } }
        // The model publishes its table until the strategy has answered (the table's last value reaches it anyway).
        let table = #"{"series":"KXBTCD","event_ticker":"KXBTCD-26DEC0718","model":"vol","btc_price":"100000","ttc_seconds":600,"close_ts":0,"rows":[{"ticker":"KXBTCD-26DEC0718-T99999.99","strike":"99999.99","distance":"0.01","probability_yes":0.6,"win_probability":0.6,"fair_yes":"0.6","fair_no":"0.4","yes_ask":"0.5","edge_yes":"0.1","active_side":"yes"}],"time":"2026-12-07T17:50:00Z"}"#
        let topic = try Topic(validating: "model.strikes.KXBTCD-26DEC0718")
        let answered = await eventually(attempts: 1200) {
            try? model.publish(topic, type: "model.strikes", data: Array(table.utf8))
            return seen.all.contains { $0.topic == "order.intent.strategy" }
        }
        #expect(answered)
        let intent = try #require(seen.all.first { $0.topic == "order.intent.strategy" })
        #expect(intent.src == "strategy@test")
        #expect(String(decoding: intent.data, as: UTF8.self).contains(#""limit_price":"0.5""#))
        #expect(await eventually {
            seen.stats?.refused?.contains { $0.identity == "strategy" && $0.topic == "sys.control.trading" && $0.reason == "topic not permitted" && $0.messages == 1 } ?? false
        })
        #expect(!seen.all.contains { $0.topic == "sys.control.trading" })
        #expect(await eventually { !python.isRunning })
        #expect(!python.isRunning && python.terminationStatus == 0)
    }
}
