import BusWire
import Testing

@Suite("Topics: one catalogue, exact bytes, dot-bounded filters")
struct TopicTests {
    @Test("catalogue builds the exact strings")
    func catalogueIsStable() {
        #expect(Topic.heartbeat(plugin: "price-feed").rawValue == "sys.heartbeat.price-feed")
        #expect(Topic.brokerStats.rawValue == "sys.broker.stats")
        #expect(Topic.launcherStatus(host: "h1").rawValue == "sys.launcher.h1.status")
        #expect(Topic.alert(source: "launcher").rawValue == "sys.alert.launcher")
        #expect(Topic.ping(target: "pong").rawValue == "sys.ping.pong")
        #expect(Topic.pong(requester: "cli-1").rawValue == "sys.pong.cli-1")
    }

    @Test("a filter for T1 never matches T10, with or without the trailing dot")
    func prefixIsDotBounded() throws {
        let withDot = try TopicFilter(validating: "market.KXBTCD-25MAY1522-T1.")
        let withoutDot = try TopicFilter(validating: "market.KXBTCD-25MAY1522-T1")
        for f in [withDot, withoutDot] {
            #expect(f.matches("market.KXBTCD-25MAY1522-T1.book"))
            #expect(!f.matches("market.KXBTCD-25MAY1522-T10.book"))
            #expect(!f.matches("market.KXBTCD-25MAY1522-T10"))
        }
        #expect(withoutDot.matches("market.KXBTCD-25MAY1522-T1"))
        #expect(!withDot.matches("market.KXBTCD-25MAY1522-T1"))
        #expect(TopicFilter.all.matches("anything.at.all"))
    }

    @Test("tickers with dots stay whole inside topics")
    func tickersWithDots() throws {
        let t = try Topic(validating: "market.KXBTCD-25MAY1522-T106249.99.book")
        #expect(try TopicFilter(validating: "market.KXBTCD-25MAY1522-T106249.99.").matches(t.rawValue))
        #expect(!(try TopicFilter(validating: "market.KXBTCD-25MAY1522-T106249.9.")).matches(t.rawValue))
    }

    @Test("typed topics refuse wildcards, spaces, empty segments", arguments: ["", "a b", "a.*", "a?", "a..b", ".a", "a.", "a\tb"])
    func refusesBadTopics(_ text: String) {
        #expect(throws: WireError.self) { try Topic(validating: text) }
    }

    @Test("state filters cover heartbeats and broker stats but not alerts or pings")
    func stateFilters() {
        let isState = { (t: Topic) in TopicFilter.state.contains { $0.matches(t.rawValue) } }
        #expect(isState(.heartbeat(plugin: "x")))
        #expect(isState(.brokerStats))
        #expect(isState(.launcherStatus(host: "h")))
        #expect(!isState(.alert(source: "x")))
        #expect(!isState(.ping(target: "pong")))
    }
}
