import Foundation
import Kalshi
import Money
import Testing

@Suite("V2 order writes over loopback HTTP")
struct OrderWriteTests {
    let ticker = "KXBTCD-25MAY1522-T106249.99"

    @Test("create sends string price and count with a generated client_order_id")
    func create() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        let r = try await h.client.createOrder(CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: 5), price: Dollars(cents: 42)))
        #expect(r.orderId == "ord-1" && r.remainingCount == Contracts(whole: 5))
        let order = try #require(h.server.orders.first)
        #expect(order["price"] == "0.4200" && order["count"] == "5.00" && order["side"] == "bid")
        #expect(r.clientOrderId == order["client_order_id"] && (order["client_order_id"]?.count ?? 0) == 36)
    }

    @Test("a create that reached the exchange but answered 500 is retried, gets 409, and resolves to the one order")
    func retriedCreateIsNotDuplicated() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        h.server.inject(.performThenStatus(500), on: "POST /portfolio/events/orders")
        let r = try await h.client.createOrder(
            CreateOrderRequest(ticker: ticker, side: .ask, count: Contracts(whole: 2), price: Dollars(cents: 60), clientOrderId: "intent-7"))
        #expect(h.server.orders.count == 1)
        #expect(r.orderId == "ord-1" && r.clientOrderId == "intent-7" && r.remainingCount == Contracts(whole: 2))
        let posts = h.server.requests.filter { $0.method == "POST" }
        #expect(posts.count == 2)
        let sameKey = posts.allSatisfy { $0.body.contains(#""client_order_id":"intent-7""#) }
        #expect(sameKey)
        #expect(h.server.requests(to: "/portfolio/orders").first?.query["ticker"] == ticker)
    }

    @Test("a create accepted but answered with an undecodable body resolves to the order instead of failing")
    func undecodableCreateResolves() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        h.server.inject(.performThenMalformed, on: "POST /portfolio/events/orders")
        let r = try await h.client.createOrder(
            CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: 3), price: Dollars(cents: 30), clientOrderId: "garbled-1"))
        #expect(h.server.orders.count == 1)
        #expect(r.orderId == "ord-1" && r.clientOrderId == "garbled-1")
        #expect(h.server.requests.filter { $0.method == "POST" }.count == 1)  // read back, not re-sent
    }

    @Test("repeating an intent's client_order_id returns the existing order instead of a second one")
    func repeatedIntent() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        let request = CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: 1), price: Dollars(cents: 10), clientOrderId: "k-1")
        let first = try await h.client.createOrder(request)
        let second = try await h.client.createOrder(request)
        #expect(first.orderId == second.orderId && h.server.orders.count == 1)
    }

    @Test("a 409 with no matching order (fill-or-kill not fillable) is thrown")
    func conflictWithoutOrder() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        h.server.inject(.status(409, #"{"error":{"code":"fill_or_kill_insufficient_resting_volume","message":"fok"}}"#), on: "POST /portfolio/events/orders")
        await #expect {
            try await h.client.createOrder(CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: 1), price: Dollars(cents: 99), timeInForce: .fillOrKill))
        } throws: { e in (e as? KalshiError)?.code == "fill_or_kill_insufficient_resting_volume" }
        #expect(h.server.orders.isEmpty)
    }

    @Test("orders read back by list and by id; cancel and batches decode")
    func readsCancelBatch() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        let r = try await h.client.createOrder(CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: 3), price: Dollars(cents: 30)))
        #expect(try await h.client.orders().map(\.orderId) == [r.orderId])
        #expect(try await h.client.order(r.orderId).yesPriceDollars == Dollars(cents: 30))
        #expect(try await h.client.cancelOrder(r.orderId, ticker: ticker).reducedBy == Contracts(whole: 3))
        let batch = try await h.client.createOrders([
            CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: 1), price: Dollars(cents: 1)),
            CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: 1), price: .zero),
        ])
        #expect(batch.orders.count == 2 && batch.orders[1].error?.code == "invalid_order")
        let posted = try #require(h.server.requests(to: "/portfolio/events/orders/batched").first)
        #expect(posted.body.components(separatedBy: "client_order_id").count == 3)
    }

    @Test("a batch that reached the exchange but answered 500 is retried; duplicates resolve to the orders made")
    func retriedBatchIsNotDuplicated() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        h.server.inject(.performThenStatus(500), on: "POST /portfolio/events/orders/batched")
        let batch = try await h.client.createOrders([
            CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: 1), price: Dollars(cents: 11)),
            CreateOrderRequest(ticker: ticker, side: .ask, count: Contracts(whole: 2), price: Dollars(cents: 89)),
            CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: 1), price: .zero),
        ])
        #expect(h.server.orders.count == 2)
        #expect(batch.orders.map(\.orderId) == ["ord-1", "ord-2", nil])
        #expect(batch.orders[0].error == nil && batch.orders[1].error == nil && batch.orders[2].error?.code == "invalid_order")
        #expect(batch.orders[1].remainingCount == Contracts(whole: 2))
        #expect(h.server.requests(to: "/portfolio/events/orders/batched").count == 2)
    }

    @Test("a batch accepted but answered with an undecodable body resolves each item by client_order_id")
    func undecodableBatchResolves() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        h.server.inject(.performThenMalformed, on: "POST /portfolio/events/orders/batched")
        let batch = try await h.client.createOrders([
            CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: 1), price: Dollars(cents: 11)),
            CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: 1), price: .zero),
        ])
        #expect(h.server.orders.count == 1)
        #expect(batch.orders.map(\.orderId) == ["ord-1", nil])
        #expect(batch.orders[0].error == nil && batch.orders[1].error?.code == "undecodable_answer")
        #expect(h.server.requests(to: "/portfolio/events/orders/batched").count == 1)
    }
}
