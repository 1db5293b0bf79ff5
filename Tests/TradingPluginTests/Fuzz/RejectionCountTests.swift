import BusKit
import BusWire
import Foundation
import Testing

@Suite("rejection counts in heartbeats")
struct RejectionCountTests {
    @Test("Health.rejected counts and remembers the last reason; the heartbeat carries the count")
    func counted() {
        let health = Health()
        health.rejected(topic: "a.b", reason: "bad")
        health.rejected(topic: "c.d", reason: "worse")
        #expect(health.undecodable == 2 && health.lastRejection?.topic == "c.d" && health.lastRejection?.reason == "worse")
        let beat = HeartbeatService(plugin: "p", host: "h", bus: InMemoryBus(source: "p@h"), clock: SystemClock(), health: health,
                                    interval: 1, logger: FuzzCampaign.logger).beat()
        #expect(beat.undecodable == 2)
    }

    @Test("a heartbeat from an older build (no undecodable) decodes as 0; new ones round-trip")
    func compatible() throws {
        let old = #"{"plugin":"p","host":"h","pid":1,"state":"running","uptime":1.5,"rss":10,"dataAges":{"price":0.25},"#
            + #""bus":{"published":1,"received":2,"gaps":0,"duplicates":0,"rejected":0,"dropped":0}}"#
        let beat = try JSONDecoder().decode(Heartbeat.self, from: Data(old.utf8))
        #expect(beat.undecodable == 0 && beat.plugin == "p" && beat.note == nil && beat.bus.received == 2)
        let new = Heartbeat(plugin: "p", host: "h", pid: 1, state: .running, uptime: 1, rss: 1, undecodable: 7)
        #expect(try JSONDecoder().decode(Heartbeat.self, from: JSONEncoder().encode(new)) == new)
        // Missing required fields still fail.
        #expect(throws: (any Error).self) { try JSONDecoder().decode(Heartbeat.self, from: Data(#"{"plugin":"p"}"#.utf8)) }
    }
}
