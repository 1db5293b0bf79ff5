import BusTestSupport
import Foundation
import Kalshi
import KalshiSim
import Money
import SimExchange
import Testing

/// True once the client's book of `ticker` is valid and equal to the REST order book.
func bookMatchesREST(_ ws: KalshiWebSocketClient, _ rest: KalshiRESTClient, _ ticker: String = atm) async -> Bool {
    guard let book = await ws.book(ticker), let levels = try? await rest.orderbook(ticker) else { return false }
    return book == OrderBook(yes: levels.yes, no: levels.no)
}

/// True once the client's book is valid, equal to the REST book, and holds `count` YES contracts bid at `cents`.
func bookMatchesREST(_ ws: KalshiWebSocketClient, _ rest: KalshiRESTClient, yesAt cents: Int64, _ count: Int64) async -> Bool {
    guard await ws.book(atm)?.yes[Dollars(cents: cents)] == Contracts(whole: count) else { return false }
    return await bookMatchesREST(ws, rest)
}

/// Rests a one-contract bid at `cents`, so the book changes.
@discardableResult
func restBid(_ rest: KalshiRESTClient, cents: Int64, count: Int64 = 1, id: String) async throws -> CreateOrderResponse {
    try await rest.createOrder(CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: count), price: Dollars(cents: cents),
                                                  clientOrderId: id))
}

@Suite("WebSocket client against the simulator")
struct StreamTests {
    @Test("orderbook_delta + ticker: the client's book follows every change and equals the REST book")
    func bookAndTicker() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            try await withStream(venue, [.orderbookDelta, .ticker], markets: [atm]) { ws, log in
                #expect(await eventually { await bookMatchesREST(ws, rest) })
                for (i, cents) in [30, 31, 31, 32].enumerated() { try await restBid(rest, cents: Int64(cents), count: Int64(i + 1), id: "ws-\(i)") }
                #expect(await eventually { await bookMatchesREST(ws, rest, yesAt: 32, 4) })
                let resting = try await rest.orders(ticker: atm, status: .resting)
                _ = try await rest.cancelOrder(try #require(resting.first { $0.clientOrderId == "ws-1" }).orderId, ticker: atm)
                #expect(await eventually { await bookMatchesREST(ws, rest, yesAt: 31, 3) })

                let take = CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 2), price: Dollars(cents: 99),
                                              timeInForce: .immediateOrCancel, clientOrderId: "ws-take")
                _ = try await rest.createOrder(take)
                #expect(await eventually { log.tickers.contains { $0.marketTicker == atm } })
                #expect(await eventually { await bookMatchesREST(ws, rest) })
                #expect(await eventually { log.snapshots(atm) == 1 })  // no gaps without faults: one snapshot, then deltas only
                #expect(await eventually { Set(log.subscribed) == ["orderbook_delta", "ticker"] })
            }
        }
    }

    @Test("a subscription whose command is what makes the makers quote gets each quote once: in the snapshot only")
    func snapshotDuringFirstQuotes() async throws {
        try await withVenue(tickIntervalMs: 3_600_000) { venue in  // no ticks: the subscribe advances the exchange
            try await withStream(venue, [.orderbookDelta], markets: [atm]) { ws, log in
                #expect(await eventually { log.snapshots(atm) == 1 })
                let rest = venue.rest()
                #expect(await eventually { await bookMatchesREST(ws, rest) })
                let deltas = log.messages.filter { if case .orderbookDelta = $0 { true } else { false } }
                #expect(deltas.isEmpty)
            }
        }
    }

    @Test("adding a market to a live orderbook_delta subscription keeps the books already held valid")
    func addMarket() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            let other = try #require(try await rest.markets(eventTicker: eventTicker).map(\.ticker).first { $0 != atm })
            try await withStream(venue, [.orderbookDelta], markets: [atm]) { ws, log in
                #expect(await eventually { await bookMatchesREST(ws, rest) })
                await ws.subscribe([.orderbookDelta], marketTickers: [other])  // update_subscription / add_markets
                #expect(await eventually { await bookMatchesREST(ws, rest, other) })
                try await restBid(rest, cents: 33, id: "add-1")
                #expect(await eventually { await bookMatchesREST(ws, rest, yesAt: 33, 1) })
                #expect(await eventually { log.sawBook(atm, yesAt: Dollars(cents: 33)) })
                #expect(log.snapshots(other) == 1)
                // The `ok` answering add_markets takes a seq of the subscription; it is not a gap.
                #expect(log.snapshots(atm) == 1)
            }
        }
    }

    @Test("market_lifecycle_v2 reports determination and settlement as the clock passes the close; REST agrees")
    func lifecycleAndSettlement() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            let buy = CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 2), price: Dollars(cents: 99),
                                         timeInForce: .immediateOrCancel, clientOrderId: "settle-1")
            #expect(try await rest.createOrder(buy).fillCount == Contracts(whole: 2))
            let paid = cost(of: try await rest.fills(ticker: atm))
            let before = try await rest.balance().available
            try await withStream(venue, [.marketLifecycle]) { ws, log in
                #expect(await eventually { log.subscribed == ["market_lifecycle_v2"] })
                venue.clock.advance(1_800_000)  // to the close
                #expect(await eventually { log.lifecycle.contains { $0.marketTicker == atm && $0.eventType == "determined" } })
                venue.clock.advance(Int64(venue.server.options.exchange.settlementTimerSeconds) * 1000)
                #expect(await eventually { log.lifecycle.contains { $0.marketTicker == atm && $0.eventType == "settled" } })
                let determined = try #require(log.lifecycle.first { $0.marketTicker == atm && $0.eventType == "determined" })
                #expect(determined.result == .yes)  // a $100,000 average is above $99,999.99
                #expect(determined.settlementValue == Dollars(cents: 100))
                #expect(log.lifecycle.contains { $0.eventType == "created" && $0.marketTicker.hasPrefix("KXBTCD-26SEP0921") })
            }
            let settlements = try await rest.settlements(ticker: atm)
            let s = try #require(settlements.first)
            #expect(settlements.count == 1 && s.marketResult == .yes && s.yesCountFp == Contracts(whole: 2))
            #expect(s.revenue == 200)  // cents: two contracts at $1
            #expect(try await rest.balance().available == before + Dollars(cents: 200))
            #expect(paid < Dollars(cents: 200))
            #expect(try await rest.market(atm).result == .yes)
            #expect(try await rest.positions(ticker: atm).market.allSatisfy { $0.positionFp == .zero })
        }
    }
}
