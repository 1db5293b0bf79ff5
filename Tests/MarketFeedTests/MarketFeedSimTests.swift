import BusKit
import BusTestSupport
import BusWire
import Foundation
import Kalshi
import KalshiSim
import MarketFeed
import MarketWire
import Money
import SimExchange
import Testing

@Suite("market-feed plugin against the real Kalshi simulator")
struct MarketFeedSimTests {
    @Test("in memory: both hours' events are published, books appear and follow an order placed on the exchange")
    func inMemory() async throws {
        try await withSim { sim in
            let bus = InMemoryBus(source: "market-feed@test")
            defer { bus.close() }
            let inbox = Inbox()
            let collecting = inbox.collect(bus.subscribe([.market]))
            defer { collecting.cancel() }
            let health = Health()
            let plugin = try MarketFeed(context: sim.context(bus: bus, health: health))
            try await running(plugin) {
                #expect(await eventually { inbox.index?.events == [currentEvent, nextEvent] })
                let event = try #require(inbox.event(currentEvent))
                #expect(event.series == "KXBTCD" && event.closeTs == closeMs / 1000 && event.closeTime == "2026-09-10T00:00:00.000000Z")
                #expect(event.strikeSpacing == Dollars("250"))
                #expect(event.markets.count == 17 && event.markets.allSatisfy { $0.strikeType == "greater" && $0.status == "active" })
                #expect(event.markets.map(\.floorStrike) == (0..<17).map { Dollars("97999.99")! + Dollars(micros: Int64($0) * 250_000_000) })
                #expect(inbox.event(nextEvent)?.markets.count == 17)

                // Every market of the trading hour gets a book; the at-the-money one matches the REST book.
                #expect(await eventually { Set(inbox.allBooks.map(\.marketTicker)).isSuperset(of: event.markets.map(\.ticker)) })
                #expect(await eventually { health.current == .running })
                let rest = try sim.trader
                let levels = try await rest.orderbook(atm)
                let first = try #require(inbox.books(atm).last)
                #expect(first.eventTicker == currentEvent)
                #expect(first.yesBid == levels.yes.max { $0.price < $1.price }?.price)
                #expect(first.noBid == levels.no.max { $0.price < $1.price }?.price)
                #expect(first.yesAsk.map { Dollars("1")! - $0 } == first.noBid && first.yesAskSize == first.noBidSize)

                // A better YES bid than the makers' shows up as the new top of book.
                let bid = try #require(first.yesBid) + Dollars("0.01")!
                _ = try await rest.createOrder(CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 7), price: bid,
                                                                  clientOrderId: "market-feed-test-1"))
                #expect(await eventually { inbox.books(atm).last?.yesBid == bid })
                let after = try #require(inbox.books(atm).last)
                #expect(after.yesBidSize == Contracts(whole: 7) && after.noAsk == Dollars("1")! - bid)
                // Prices and sizes travel as decimal strings.
                let raw = try #require(inbox.on(.marketBook(atm)).last).dataText
                #expect(raw.contains(#""yes_bid":""#) && raw.contains(#""yes_bid_size":""#))
            }
        }
    }

    @Test("the hour rolls: the closed event's markets are dropped, lifecycle transitions are published")
    func rollOver() async throws {
        try await withSim { sim in
            let bus = InMemoryBus(source: "market-feed@test")
            defer { bus.close() }
            let inbox = Inbox()
            let collecting = inbox.collect(bus.subscribe([.market]))
            defer { collecting.cancel() }
            let plugin = try MarketFeed(context: sim.context(bus: bus))
            try await running(plugin) {
                #expect(await eventually { inbox.index?.events == [currentEvent, nextEvent] })
                #expect(await eventually { !inbox.books(atm).isEmpty })
                sim.time.advance(seconds: 400)  // past the 8 pm close and the settlement timer
                #expect(await eventually { inbox.index?.events == [nextEvent] })
                #expect(await eventually { inbox.lifecycles.contains { $0.marketTicker == atm && $0.eventType == "determined" } })
                let determined = try #require(inbox.lifecycles.first { $0.marketTicker == atm && $0.eventType == "determined" })
                #expect(determined.result != nil && determined.settlementValue != nil)
                // No more books for the closed hour once it is dropped; the new hour's keep coming.
                let nextATM = "KXBTCD-26SEP0921-T99999.99"
                #expect(await eventually { inbox.books(nextATM).last?.yesBid != nil })  // quoted once it opens
                let closedCount = inbox.allBooks.filter { $0.eventTicker == currentEvent }.count
                let top = try #require(inbox.books(nextATM).last?.yesBid)
                let bid = top + Dollars("0.01")!
                _ = try await sim.trader.createOrder(CreateOrderRequest(ticker: nextATM, side: .bid, count: Contracts(whole: 2), price: bid,
                                                                        clientOrderId: "roll-1"))
                #expect(await eventually { inbox.books(nextATM).last?.yesBid == bid })
                #expect(inbox.allBooks.filter { $0.eventTicker == currentEvent }.count == closedCount)
            }
        }
    }

    @Test("over the real broker: books reach another process's subscriber and a late joiner gets the last one")
    func overBroker() async throws {
        try await withSim { sim in
            let broker = try TestBroker()
            defer { broker.stop() }
            let pluginBus = try broker.connect(as: "market-feed@test")
            defer { pluginBus.close() }
            let tap = try broker.connect(as: "tap@test")
            defer { tap.close() }
            #expect(await pluginBus.waitUntilConnected(timeoutSeconds: 20))
            #expect(await tap.waitUntilConnected(timeoutSeconds: 20))
            let inbox = Inbox()
            let collecting = inbox.collect(tap.subscribe([.market]))
            defer { collecting.cancel() }
            let plugin = try MarketFeed(context: sim.context(bus: pluginBus))
            try await running(plugin) {
                #expect(await eventually { inbox.index?.events == [currentEvent, nextEvent] && !inbox.books(atm).isEmpty })
                let late = try broker.connect(as: "late@test")
                defer { late.close() }
                let book = await late.subscribe([TopicFilter(.marketBook(atm))]).first(within: 20) { _ in true }
                #expect(try book?.decode(MarketTopOfBook.self) == inbox.books(atm).last)
                let event = await late.subscribe([TopicFilter(.marketEvent(currentEvent))]).first(within: 20) { _ in true }
                #expect(try event?.decode(MarketEventSummary.self) == inbox.event(currentEvent))
            }
        }
    }

    @Test("without credentials: the signed WebSocket is refused, so events and books come from the public REST API")
    func unsigned() async throws {
        try await withSim { sim in
            let bus = InMemoryBus(source: "market-feed@test")
            defer { bus.close() }
            let inbox = Inbox()
            let collecting = inbox.collect(bus.subscribe([.market]))
            defer { collecting.cancel() }
            let health = Health()
            let plugin = try MarketFeed(context: sim.context(bus: bus, signed: false, health: health))
            try await running(plugin) {
                #expect(await eventually { inbox.index?.events == [currentEvent, nextEvent] })
                let event = try #require(inbox.event(currentEvent))
                #expect(await eventually { Set(inbox.allBooks.map(\.marketTicker)).isSuperset(of: event.markets.map(\.ticker)) })
                #expect(await eventually { health.current == .running })
                let levels = try await sim.trader.orderbook(atm)
                let top = try #require(inbox.books(atm).last)
                #expect(top.yesBid == levels.yes.max { $0.price < $1.price }?.price)
                #expect(top.noBid == levels.no.max { $0.price < $1.price }?.price)
                // A better bid placed on the exchange reaches the bus through the next REST read.
                let bid = try #require(top.yesBid) + Dollars("0.01")!
                _ = try await sim.trader.createOrder(CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 3), price: bid,
                                                                        clientOrderId: "market-feed-unsigned-1"))
                #expect(await eventually { inbox.books(atm).last?.yesBid == bid })
            }
        }
    }

    @Test("sequence gaps: the book is snapshotted afresh and what is published still matches the exchange")
    func sequenceGaps() async throws {
        var faults = FaultSettings()
        faults.sequenceGapRate = 0.1  // three strikes an hour: the fresh snapshots a gap asks for seldom gap again
        try await withSim(faults: faults, strikesEachSide: 1) { sim in
            let bus = InMemoryBus(source: "market-feed@test")
            defer { bus.close() }
            let inbox = Inbox()
            let collecting = inbox.collect(bus.subscribe([.market]))
            defer { collecting.cancel() }
            let log = LogRecord()
            let plugin = try MarketFeed(context: sim.context(bus: bus, logger: log.logger))
            try await running(plugin) {
                #expect(await eventually { inbox.books(atm).last?.yesBid != nil })
                let rest = try sim.trader
                let best = try #require(inbox.books(atm).last?.yesBid)
                // Bids under the top: each one a sequenced delta, until one of them skips a seq.
                try await placeUntilGap(rest, best: best, log: log)
                #expect(log.gapped)
                let price = best + Dollars("0.01")!
                _ = try await rest.createOrder(CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 7), price: price,
                                                                  clientOrderId: "top"))
                #expect(await eventually { inbox.books(atm).last?.yesBid == price })
                #expect(inbox.books(atm).last?.yesBidSize == Contracts(whole: 7))
                let levels = try await rest.orderbook(atm)
                #expect(levels.yes.max { $0.price < $1.price }?.price == price)
            }
        }
    }
}

/// One-contract YES bids 1, 2, 3... cents under `best` (each one more sequenced delta on the book) until the
/// WebSocket client logs a gap, at most 40.
func placeUntilGap(_ rest: KalshiRESTClient, best: Dollars, log: LogRecord) async throws {
    for n in Int64(1)...40 {
        if log.gapped { return }
        let under = CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 1), price: best - Dollars(micros: n * 10_000),
                                       clientOrderId: "under-\(n)")
        _ = try await rest.createOrder(under)
        _ = await eventually(attempts: 4) { log.gapped }
    }
}

@Suite("market-feed plugin through the simulator's faults")
struct MarketFeedFaultTests {
    @Test("REST errors and a dropped WebSocket are retried; the feed carries on publishing valid books")
    func faults() async throws {
        var faults = FaultSettings()
        faults.errorRate = 0.3
        faults.wsDropEverySeconds = 30
        try await withSim(faults: faults) { sim in
            let bus = InMemoryBus(source: "market-feed@test")
            defer { bus.close() }
            let inbox = Inbox()
            let collecting = inbox.collect(bus.subscribe([.market]))
            defer { collecting.cancel() }
            let log = LogRecord()
            let plugin = try MarketFeed(context: sim.context(bus: bus, logger: log.logger))
            func connections() -> Int { log.all.filter { $0.hasPrefix("Kalshi WebSocket connected") }.count }
            try await running(plugin) {
                #expect(await eventually { inbox.index?.events == [currentEvent, nextEvent] && !inbox.books(atm).isEmpty })
                #expect(connections() == 1)
                sim.time.advance(seconds: 31)  // the simulator drops every session on its next tick
                #expect(await eventually { connections() == 2 })
                #expect(log.all.contains { $0.hasPrefix("Kalshi WebSocket disconnected") })
                let top = try #require(inbox.books(atm).last?.yesBid)
                let bid = top + Dollars("0.01")!
                _ = try await sim.trader.createOrder(CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 3), price: bid,
                                                                        clientOrderId: "fault-1"))
                #expect(await eventually { inbox.books(atm).last?.yesBid == bid })
                #expect(sim.server.webSocketCount == 1)
                #expect(await eventually { log.all.contains { $0.hasPrefix("retrying Kalshi request") } })  // injected 503s, retried
            }
        }
    }
}
