import BusKit
import BusTestSupport
import BusWire
import Logging
import Pong
import Testing

@Suite("Plugins on an injected bus and clock")
struct PongTests {
    func context(bus: any Bus, clock: any BusClock) throws -> PluginContext {
        let config = try BusConfiguration(file: ConfigFile(path: "test.conf", text: "[plugin.pong]\n"), pluginKeys: ["pong": Pong.configKeys])
        return PluginContext(name: Pong.name, host: "test", configuration: config, bus: bus, clock: clock, health: Health(),
                             logger: Logger(label: "test"))
    }

    @Test("pong answers each ping to its requester with the same id and send time")
    func answersPings() async throws {
        let clock = TestClock()
        let bus = InMemoryBus(source: "pong@test", clock: clock)
        defer { bus.close() }
        let pong = try Pong(context: context(bus: bus, clock: clock))
        let running = Task { try await pong.run() }
        defer { running.cancel() }
        let replies = bus.subscribe([.pongs(requester: "me")])
        let ping = Ping(id: 7, requester: "me", sentAt: clock.now)
        // The plugin subscribes asynchronously; repeat the ping until the first answer.
        let pump = Task {
            for _ in 0..<2000 where !Task.isCancelled {
                try? bus.publish(.ping(target: "pong"), ping)
                try? await Task.sleep(for: .milliseconds(2))
            }
        }
        defer { pump.cancel() }
        let reply = await replies.first(within: 20) { _ in true }
        #expect(try reply?.decode(Ping.self) == ping)
        #expect(reply?.topic == "sys.pong.me")
    }

    @Test("heartbeats follow the injected clock and carry state, data ages and counters")
    func heartbeatsFollowClock() async throws {
        let clock = TestClock()
        let bus = InMemoryBus(source: "hb@test", clock: clock)
        defer { bus.close() }
        let health = Health()
        health.set(.degraded, note: "no price yet")
        health.depends(on: "price")
        let service = HeartbeatService(plugin: "hb", host: "test", bus: bus, clock: clock, health: health, interval: 1, logger: Logger(label: "t"))
        let beats = bus.subscribe([TopicFilter(.heartbeat(plugin: "hb"))])
        let running = Task { try await service.run() }
        defer { running.cancel() }
        var iterator = beats.makeAsyncIterator()
        let first = try #require(try await iterator.next()?.decode(Heartbeat.self))
        #expect(first.state == .degraded)
        #expect(first.note == "no price yet")
        #expect(first.dataAges["price"] == .some(nil))
        // Nothing more until the clock moves; then exactly one beat per interval.
        while clock.sleeperCount == 0 { await Task.yield() }
        health.saw("price", at: clock.now)
        health.set(.running)
        clock.advance(seconds: 1)
        let second = try #require(try await iterator.next()?.decode(Heartbeat.self))
        #expect(second.state == .running)
        #expect(second.uptime == 1)
        #expect(second.dataAges["price"] == .some(1.0))
        #expect(second.bus.published >= 1)
    }

    @Test("the first heartbeat waits for the plugin to leave starting, not a whole interval")
    func firstBeatWhenRunning() async throws {
        let clock = TestClock()
        let bus = InMemoryBus(source: "hb@test", clock: clock)
        defer { bus.close() }
        let health = Health()
        #expect(health.current == .starting)
        let service = HeartbeatService(plugin: "hb", host: "test", bus: bus, clock: clock, health: health, interval: 1, logger: Logger(label: "t"))
        let beats = bus.subscribe([TopicFilter(.heartbeat(plugin: "hb"))])
        let running = Task { try await service.run() }
        defer { running.cancel() }
        while clock.sleeperCount == 0 { await Task.yield() }
        health.set(.running)
        clock.advance(seconds: 0.002)
        var iterator = beats.makeAsyncIterator()
        let first = try #require(try await iterator.next()?.decode(Heartbeat.self))
        #expect(first.state == .running)
        #expect(first.uptime < 0.01)
    }
}
