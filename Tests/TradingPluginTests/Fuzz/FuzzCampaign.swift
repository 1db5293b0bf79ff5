import BusKit
import BusTestSupport
import BusWire
import Logging
import Testing

/// The bus connections of one fuzz campaign: the plugin's, a feeder's and a watcher's, all on one real broker.
struct FuzzBuses: Sendable {
    let broker: TestBroker
    let plugin: ZMQBus
    let feed: ZMQBus
    let tap: ZMQBus

    /// Connects three buses to `broker` (the plugin's on `clock`).
    static func connect(_ broker: TestBroker, plugin name: String, clock: any BusClock = SystemClock()) async throws -> FuzzBuses {
        let buses = FuzzBuses(broker: broker, plugin: try broker.connect(as: "\(name)@test", clock: clock),
                              feed: try broker.connect(as: "fuzzer@test"), tap: try broker.connect(as: "fuzz-tap@test"))
        for b in [buses.plugin, buses.feed, buses.tap] { #expect(await b.waitUntilConnected(timeoutSeconds: 20)) }
        return buses
    }

    func close() {
        for b in [plugin, feed, tap] { b.close(flushSeconds: 0) }
    }
}

/// The same sequence for every plugin: it works; wrong shapes, a huge message and raw garbage on every topic it
/// reads are each refused and counted (by the plugin, the publisher, the plugin's bus connection or the broker);
/// the heartbeat carries the plugin's count; it still works.
enum FuzzCampaign {
    /// A quiet logger for plugins under fuzz (every rejection is logged at warning).
    static let logger: Logger = {
        var l = Logger(label: "fuzz")
        l.logLevel = .critical
        return l
    }()

    static func run(_ name: String, topics: [FuzzTopic], buses: FuzzBuses, health: Health, seed: UInt64,
                    live: (_ round: Int) async throws -> Bool) async throws {
        #expect(try await live(1), "\(name) works before the fuzz")
        #expect(try await FuzzRig.shapes(topics, feed: buses.feed, health: health, seed: seed), "\(name): every wrong shape counted")
        #expect(FuzzRig.huge(on: topics[0].topic, feed: buses.feed), "\(name): an oversized message is refused and counted")
        #expect(try await FuzzRig.raw(on: topics.map(\.topic), broker: buses.broker, pluginBus: buses.plugin, tap: buses.tap, seed: seed &+ 1),
                "\(name): raw garbage refused and counted")
        #expect(try await live(2), "\(name) works after the fuzz")
        let beat = HeartbeatService(plugin: name, host: "test", bus: buses.plugin, clock: SystemClock(), health: health, interval: 1,
                                    logger: logger).beat()
        #expect(beat.undecodable == health.undecodable && beat.undecodable > 0, "\(name): the heartbeat carries the count")
        #expect(beat.bus.rejected > 0)
        #expect(health.current != .fatal)
    }
}
