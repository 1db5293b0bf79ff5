import Foundation
import Kalshi
import KalshiSim
import Money
import SimExchange
import Testing

@Suite("REST reads against the simulator")
struct ReadTests {
    @Test("exchange status and series")
    func statusAndSeries() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            let status = try await rest.exchangeStatus()
            #expect(status.exchangeActive == true && status.tradingActive == true)
            let series = try await rest.series(EventNaming.hourlyBTC)
            #expect(series.ticker == EventNaming.hourlyBTC)
            #expect(try await rest.seriesList().map(\.ticker) == [EventNaming.hourlyBTC])
            await #expect(throws: KalshiError.self) { _ = try await rest.series("KXNOPE") }
        }
    }

    @Test("open KXBTCD events with nested markets: names, strikes and spacing derived from them")
    func eventsWithNestedMarkets() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            let events = try await rest.events(seriesTicker: EventNaming.hourlyBTC, status: .open, withNestedMarkets: true)
            let event = try #require(events.first { $0.eventTicker == eventTicker })
            let close = Date(timeIntervalSince1970: TimeInterval(closeMs / 1000))
            #expect(EventNaming.eventTicker(closingAt: close) == event.eventTicker)
            #expect(EventNaming.closeTime(eventTicker: event.eventTicker) == close)
            let markets = try #require(event.markets)
            #expect(markets.count == 2 * venue.server.options.exchange.strikesEachSide + 1)
            #expect(markets.allSatisfy { EventNaming.marketTicker(for: $0) == $0.ticker })
            #expect(EventNaming.strikeSpacing(of: markets) == venue.server.options.exchange.strikeStep)
            #expect(markets.contains { $0.ticker == atm })
            let single = try await rest.event(eventTicker)
            #expect(Set(single.markets?.map(\.ticker) ?? []) == Set(markets.map(\.ticker)))
        }
    }

    @Test("markets follow the cursor across pages, and agree with the one-page answer")
    func marketsPaginate() async throws {
        try await withVenue { venue in
            let paged = try await venue.rest(pageLimit: 4).markets(seriesTicker: EventNaming.hourlyBTC, status: .open)
            let whole = try await venue.rest(pageLimit: 1000).markets(seriesTicker: EventNaming.hourlyBTC, status: .open)
            #expect(paged.count == 17)  // five pages of at most four
            #expect(paged.map(\.ticker) == whole.map(\.ticker))
            #expect(Set(paged.map(\.ticker)).count == paged.count)
            let events = try await venue.rest(pageLimit: 1).events(seriesTicker: EventNaming.hourlyBTC)
            #expect(Set(events.map(\.eventTicker)).count == events.count && !events.isEmpty)
            // A page size above a list's maximum is capped, not refused (events take at most 200).
            let big = try await venue.rest(pageLimit: 1000).events(seriesTicker: EventNaming.hourlyBTC)
            #expect(big.map(\.eventTicker) == events.map(\.eventTicker))
            let one = try await venue.rest().market(atm)
            #expect(one.ticker == atm && one.status == .active && one.floorStrike == Dollars("99999.99"))
        }
    }

    @Test("order book: the makers' ladder, best bid below best ask, single and batched reads agree")
    func orderbook() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            let book = try await rest.orderbook(atm)
            let bid = try #require(book.bestYesBid), ask = try #require(book.bestYesAsk)
            #expect(bid.price < ask.price)
            #expect(book.yes.count == venue.server.options.exchange.marketMaker.levels)
            let batched = try await rest.orderbooks([atm])
            #expect(batched[atm] == book)
            let top = try await rest.orderbook(atm, depth: 1)
            #expect(top.yes.count == 1 && top.bestYesBid == bid)
        }
    }

    @Test("portfolio reads of a fresh account: balance, no positions, fills, settlements or orders")
    func freshPortfolio() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            let balance = try await rest.balance()
            #expect(balance.available == venue.server.options.exchange.initialBalance)
            let positions = try await rest.positions()
            #expect(positions.market.allSatisfy { $0.positionFp == .zero })
            #expect(try await rest.fills().isEmpty)
            #expect(try await rest.settlements().isEmpty)
            #expect(try await rest.orders().isEmpty)
        }
    }

    @Test("portfolio lists paginate: many orders over many pages, each once")
    func ordersPaginate() async throws {
        try await withVenue(makers: false) { venue in
            let rest = venue.rest(pageLimit: 3)
            var ids: [String] = []
            for i in 0..<10 {
                let request = CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 1), price: Dollars(cents: 10 + Int64(i)),
                                                 clientOrderId: "page-\(i)")
                ids.append(try await rest.createOrder(request).orderId)
            }
            let listed = try await rest.orders(ticker: atm, status: .resting)
            #expect(Set(listed.map(\.orderId)) == Set(ids))
            #expect(listed.count == ids.count)
        }
    }
}
