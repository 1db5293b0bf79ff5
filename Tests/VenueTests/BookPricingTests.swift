import BusTestSupport
import Kalshi
import Money
import Testing

/// `use_yes_price` on `orderbook_delta`: sent explicitly, and the NO side parsed in whichever convention was asked.
@Suite("Order books with use_yes_price true and false against the simulator")
struct VenueBookPricingTests {
    @Test("the subscribe command names use_yes_price explicitly")
    func subscribeNamesIt() throws {
        let yes = try StreamCommand.subscribe(id: 1, channels: [.orderbookDelta], marketTickers: [atm], useYesPrice: true).text()
        let no = try StreamCommand.subscribe(id: 1, channels: [.orderbookDelta], marketTickers: [atm], useYesPrice: false).text()
        #expect(yes.contains(#""use_yes_price":true"#) && no.contains(#""use_yes_price":false"#))
    }

    @Test("NO bids from the snapshot and from deltas land at NO prices, the book equal to REST's", arguments: [true, false])
    func noSide(useYesPrice: Bool) async throws {
        try await withVenue(makers: false) { venue in
            let rest = venue.rest()
            // A YES ask at $0.70 is a NO bid at $0.30: one before the subscription (snapshot), one after (delta).
            @Sendable func noBid(_ yesCents: Int64, _ id: String) async throws {
                _ = try await rest.createOrder(CreateOrderRequest(ticker: atm, side: .ask, count: Contracts(whole: 2), price: Dollars(cents: yesCents),
                                                                  clientOrderId: id))
            }
            try await noBid(70, "no-before")
            try await withStream(venue, [.orderbookDelta], markets: [atm], useYesPrice: useYesPrice) { ws, _ in
                #expect(await eventually { await ws.book(atm)?.no[Dollars(cents: 30)] == Contracts(whole: 2) })
                try await noBid(60, "no-after")
                #expect(await eventually { await ws.book(atm)?.bestNoBid?.price == Dollars(cents: 40) })
                #expect(await eventually { await bookMatchesREST(ws, rest) })
                #expect(await ws.book(atm)?.bestYesAsk?.price == Dollars(cents: 60))
            }
        }
    }
}
