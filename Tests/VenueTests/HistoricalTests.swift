import Kalshi
import KalshiSim
import Money
import Testing

/// Kalshi's archive against the simulator: past the cutoff, fills and finished orders are only under `/historical`.
@Suite("Historical fills and orders past the cutoff against the simulator")
struct VenueHistoricalTests {
    @Test("after the cutoff moves, the fill and the executed order leave /portfolio for /historical; resting orders stay; allFills and allOrders see each once")
    func archive() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            let bought = try await rest.createOrder(CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 2), price: Dollars(cents: 99),
                                                                       timeInForce: .immediateOrCancel, clientOrderId: "ae-old"))
            let resting = try await rest.createOrder(CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 1), price: Dollars(cents: 1),
                                                                        clientOrderId: "ae-resting"))
            #expect(try await rest.historicalFills().isEmpty)
            #expect(try await rest.historicalOrders().isEmpty)
            let fillsBefore = try await rest.fills()
            #expect(!fillsBefore.isEmpty)

            venue.clock.advance(.seconds(60))
            venue.server.archive(before: venue.clock.now)
            #expect(try await rest.historicalCutoff().tradesCreatedTs != nil)
            #expect(try await rest.fills().isEmpty)
            #expect(try await rest.historicalFills().map(\.orderId) == fillsBefore.map(\.orderId))
            #expect(try await rest.orders().map(\.orderId) == [resting.orderId])
            #expect(try await rest.historicalOrders().map(\.orderId) == [bought.orderId])
            #expect(Set(try await rest.allOrders().map(\.orderId)) == [bought.orderId, resting.orderId])
            #expect(try await rest.allFills().count == fillsBefore.count)
        }
    }
}
