import Kalshi
import Money
import Testing

/// Batch sizes from the account's write budget (`/account/limits`), and batches that meet a 429 retried whole.
@Suite("Batch limits from /account/limits against the simulator")
struct VenueBatchLimitTests {
    @Test("the write budget sizes batches; over it the simulator refuses; under its rate limits every cancel lands once")
    func sizedFromBudget() async throws {
        try await withVenue(rateLimited: true) { venue in
            let rest = venue.rest()
            #expect(await rest.writeBudget() == 200)
            #expect(await rest.batchLimit(itemCost: RateLimiter.Cost.cancel) == 100)
            let createLimit = await rest.batchLimit(itemCost: RateLimiter.Cost.create)
            #expect(createLimit == 20)

            let requests = (0..<101).map { i in
                CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 1), price: Dollars(cents: 1), clientOrderId: "ae-batch-\(i)")
            }
            var ids: [String] = []
            for start in stride(from: 0, to: requests.count, by: createLimit) {
                let answer = try await rest.createOrders(Array(requests[start..<min(requests.count, start + createLimit)]))
                ids += answer.orders.compactMap(\.orderId)
            }
            #expect(ids.count == 101)
            #expect(venue.sleeps.count > 0, "the simulator's write bucket ran dry: some batches met a 429 and were retried")

            let items = ids.map { BatchCancelItemRequest(orderId: $0, ticker: atm) }
            await #expect { _ = try await rest.cancelOrders(items) } throws: { ($0 as? KalshiError)?.status == 400 }
            let cancelled = try await rest.cancelOrdersInBatches(items)
            #expect(cancelled.count == 101 && cancelled.allSatisfy { $0.error == nil && $0.reducedBy == Contracts(whole: 1) })
            let orders = try await rest.orders(ticker: atm)
            #expect(Set(orders.compactMap(\.clientOrderId)).count == orders.count, "no client order id twice")
            #expect(orders.filter { $0.status == .resting }.isEmpty)
        }
    }
}
