import BusKit
import BusTestSupport
import BusWire
import Foundation
import GRDB
import Logging
import MarketWire
import Money
import PriceFeed
import PriceSim
import Testing

@Suite("price-feed plugin fed by the simulated Coinbase feed")
struct PriceFeedTests {
    /// The rows of the plugin's history table.
    func storedSeconds(_ path: String) throws -> [Int64] {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in try Int64.fetchAll(db, sql: "SELECT second FROM btc_price_1s ORDER BY second") }
    }

    @Test("in memory: ticks and momentum appear on price.btc.*, the history is written and pruned")
    func inMemory() async throws {
        let h = PriceFeedHarness()
        try await h.run { port in
            let bus = InMemoryBus(source: "price-feed@test")
            defer { bus.close() }
            let inbox = Inbox()
            let collecting = inbox.collect(bus.subscribe([.btcPrice]))
            defer { collecting.cancel() }
            let plugin = try PriceFeed(context: h.context(bus: bus, port: port))
            let running = Task { try await plugin.run() }
            defer { running.cancel() }
            #expect(await eventually { inbox.ticks.count == 1 })
            for _ in 0..<70 { await h.step(inbox) }

            let ticks = inbox.ticks
            #expect(ticks.count == 71)
            for (i, t) in ticks.enumerated() {
                #expect(t.price == h.process.value(atSecond: PriceFeedHarness.start + Int64(i)))
                #expect(t.product == "BTC-USD" && t.source == "coinbase")
            }
            // Prices travel as decimal strings.
            let raw = try #require(inbox.all.last { $0.topic == "price.btc.tick" }).dataText
            #expect(raw.contains(#""price":""#))

            #expect(await eventually { inbox.momenta.count == 71 })
            let last = try #require(inbox.momenta.last)
            #expect(last.deltas["1m"] != nil && last.deltas["15m"] == nil)
            let p0 = Double(h.process.value(atSecond: PriceFeedHarness.start + 10)!.micros)
            let p1 = Double(h.process.value(atSecond: PriceFeedHarness.start + 70)!.micros)
            #expect(last.deltas["1m"] == Momentum.decimal((p1 - p0) / p0 * 100))
            #expect(last.score != nil && last.scoreX100 != nil)

            // A 30-second window: only the last 31 seconds remain.
            let end = PriceFeedHarness.start + 70
            #expect(await eventually { (try? self.storedSeconds(h.database))?.last == end })
            let seconds = try storedSeconds(h.database)
            #expect(seconds == Array((end - 30)...end))
            #expect(try await PriceStore(path: h.database).journalMode() == "wal")
        }
    }

    @Test("over the real broker: ticks reach another process's subscriber, and a late joiner gets the last one")
    func overBroker() async throws {
        let h = PriceFeedHarness()
        try await h.run { port in
            let broker = try TestBroker()
            defer { broker.stop() }
            let pluginBus = try broker.connect(as: "price-feed@test")
            defer { pluginBus.close() }
            let tap = try broker.connect(as: "tap@test")
            defer { tap.close() }
            #expect(await pluginBus.waitUntilConnected(timeoutSeconds: 20))
            #expect(await tap.waitUntilConnected(timeoutSeconds: 20))
            let inbox = Inbox()
            let collecting = inbox.collect(tap.subscribe([.btcPrice]))
            defer { collecting.cancel() }
            let plugin = try PriceFeed(context: h.context(bus: pluginBus, port: port))
            let running = Task { try await plugin.run() }
            defer { running.cancel() }
            #expect(await eventually { inbox.ticks.count >= 1 })
            for _ in 0..<3 { await h.step(inbox) }
            #expect(inbox.ticks.map(\.price) == (0..<Int64(inbox.ticks.count)).map { h.process.value(atSecond: PriceFeedHarness.start + $0)! })

            let late = try broker.connect(as: "late@test")
            defer { late.close() }
            let first = await late.subscribe([TopicFilter(.btcTick)]).first(within: 20) { _ in true }
            #expect(try first?.decode(BTCTick.self) == inbox.ticks.last)
        }
    }

    @Test("a dropped feed connection is made again; the repeated last trade reaches the bus once")
    func reconnectsWithoutDuplicates() async throws {
        let h = PriceFeedHarness()
        try await h.run { port in
            let bus = InMemoryBus(source: "price-feed@test")
            defer { bus.close() }
            let inbox = Inbox()
            let collecting = inbox.collect(bus.subscribe([.btcPrice]))
            defer { collecting.cancel() }
            let plugin = try PriceFeed(context: h.context(bus: bus, port: port))
            let running = Task { try await plugin.run() }
            defer { running.cancel() }
            #expect(await eventually { inbox.ticks.count == 1 })
            h.feed.faults.dropConnections()
            #expect(await eventually { h.feed.faults.subscriptions == 2 })
            await h.step(inbox)
            let ids = inbox.ticks.map(\.tradeID)
            #expect(ids.count == 2 && ids[1] == ids[0] + 1)
        }
    }

    @Test("no tick for stale_after turns the heartbeat state degraded; the next tick restores it")
    func staleness() async throws {
        let h = PriceFeedHarness()
        try await h.run { port in
            let bus = InMemoryBus(source: "price-feed@test")
            defer { bus.close() }
            let inbox = Inbox()
            let collecting = inbox.collect(bus.subscribe([.btcPrice]))
            defer { collecting.cancel() }
            let health = Health()
            let plugin = try PriceFeed(context: h.context(bus: bus, port: port, health: health))
            let running = Task { try await plugin.run() }
            defer { running.cancel() }
            #expect(await eventually { inbox.ticks.count == 1 && health.current == .running })
            // Simulated time stands still: no more ticks.
            #expect(await eventually { health.current == .degraded })
            await h.step(inbox)
            #expect(await eventually { health.current == .running })
        }
    }
}
