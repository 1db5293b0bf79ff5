import Kalshi
import KalshiSim
import Money
import SimExchange
import Testing

/// The connector against `recio sim` with KXBTCD on shard 2: routed writes, per-shard cash, the reduce-only rule.
@Suite("Shards and reduce-only: connector against the simulator")
struct VenueShardTests {
    @Test("markets report shard 2; cancel, batch cancel, amend and decrease find orders by their market")
    func routedWrites() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            let market = try await rest.market(atm)
            #expect(market.exchangeIndex == 2)
            func place(_ cents: Int64, _ id: String) async throws -> String {
                try await rest.createOrder(CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 3), price: Dollars(cents: cents),
                                                              clientOrderId: id, exchangeIndex: market.exchangeIndex)).orderId
            }
            let a = try await place(5, "shard-a"), b = try await place(6, "shard-b"), c = try await place(7, "shard-c")
            #expect(try await rest.order(a).exchangeIndex == 2)

            // Sent to shard 0 by name, the cancel does not find the order, which keeps resting.
            await #expect { _ = try await rest.cancelOrder(a, ticker: atm, exchangeIndex: 0) } throws: { ($0 as? KalshiError)?.status == 404 }
            #expect(try await rest.order(a).status == .resting)

            let amended = try await rest.amendOrder(a, AmendOrderRequest(ticker: atm, side: .bid, price: Dollars(cents: 4), count: Contracts(whole: 2)))
            #expect(amended.remainingCount == Contracts(whole: 2))
            let decreased = try await rest.decreaseOrder(a, DecreaseOrderRequest(.by(Contracts(whole: 1)), ticker: atm))
            #expect(decreased.remainingCount == Contracts(whole: 1))
            #expect(try await rest.cancelOrder(a, ticker: atm).reducedBy == Contracts(whole: 1))
            let batch = try await rest.cancelOrders([BatchCancelItemRequest(orderId: b, ticker: atm),
                                                    BatchCancelItemRequest(orderId: c, ticker: atm, exchangeIndex: 2)])
            #expect(batch.orders.map(\.error) == [nil, nil])
            #expect(batch.orders.map(\.reducedBy) == [Contracts(whole: 3), Contracts(whole: 3)])
            #expect(try await rest.orders(ticker: atm, status: .resting).isEmpty)
        }
    }

    @Test("cash is per shard: the breakdown, one shard's balance, and a transfer between shards")
    func perShardBalance() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            let initial = venue.server.options.exchange.initialBalance
            let all = try await rest.balance()
            #expect(all.available == initial && all.available(onShard: 2) == initial && all.available(onShard: 0) == .zero)
            _ = try await rest.transferBetweenShards(Dollars(cents: 10_000), from: 2, to: 0)
            let after = try await rest.balance()
            #expect(after.available == initial)
            #expect(after.available(onShard: 0) == Dollars(cents: 10_000) && after.available(onShard: 2) == initial - Dollars(cents: 10_000))
            #expect(try await rest.balance(exchangeIndex: 2).available == initial - Dollars(cents: 10_000))
            #expect(try await rest.balance(exchangeIndex: 0).available == Dollars(cents: 10_000))
        }
    }

    @Test("reduce-only: capped at the position held, refused with nothing to reduce (isNothingToReduce), IOC only")
    func reduceOnly() async throws {
        try await withVenue { venue in
            let rest = venue.rest()
            func close(_ side: Kalshi.BookSide, _ count: Int64, _ cents: Int64, _ tif: Kalshi.TimeInForce = .immediateOrCancel) -> CreateOrderRequest {
                var r = CreateOrderRequest(ticker: atm, side: side, count: Contracts(whole: count), price: Dollars(cents: cents), timeInForce: tif)
                r.reduceOnly = true
                return r
            }
            await #expect { _ = try await rest.createOrder(close(.ask, 1, 1)) } throws: { ($0 as? KalshiError)?.isNothingToReduce == true }
            let buy = CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 4), price: Dollars(cents: 99), timeInForce: .immediateOrCancel)
            let bought = try await rest.createOrder(buy)
            #expect(bought.fillCount == Contracts(whole: 4))
            // Holding YES, a reduce-only bid would add to it: nothing to reduce.
            await #expect { _ = try await rest.createOrder(close(.bid, 1, 99)) } throws: { ($0 as? KalshiError)?.isNothingToReduce == true }
            await #expect { _ = try await rest.createOrder(close(.ask, 4, 1, .goodTillCanceled)) } throws: {
                ($0 as? KalshiError)?.kind == .invalidRequest
            }
            // Buying NO (a YES ask) reduces the YES held: ten asked, four filled, the position flat and not flipped.
            let sold = try await rest.createOrder(close(.ask, 10, 1))
            #expect(sold.fillCount == Contracts(whole: 4))
            let held = try await rest.positions(ticker: atm).market.first?.positionFp
            #expect((held ?? .zero) == .zero)
            await #expect { _ = try await rest.createOrder(close(.ask, 1, 1)) } throws: { ($0 as? KalshiError)?.isNothingToReduce == true }
        }
    }
}
