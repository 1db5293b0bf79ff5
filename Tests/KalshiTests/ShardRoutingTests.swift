import Foundation
import Kalshi
import Money
import Testing

@Suite("Shard routing, reduce-only and per-shard balances over loopback HTTP")
struct ShardRoutingTests {
    let ticker = "KXBTCD-25MAY1522-T106249.99"

    func body(_ r: FakeKalshiServer.Recorded) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any])
    }

    @Test("every write on an existing order names its market; exchange_index goes along when known")
    func writesCarryTheirMarket() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        let a = try await h.client.createOrder(CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: 2), price: Dollars(cents: 30)))
        let b = try await h.client.createOrder(CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: 2), price: Dollars(cents: 31),
                                                                  exchangeIndex: 2))
        let creates = h.server.requests(to: "/portfolio/events/orders")
        #expect(try body(creates[0])["exchange_index"] == nil)  // omitted: Kalshi routes by ticker
        #expect(try body(creates[1])["exchange_index"] as? Int == 2)

        _ = try await h.client.cancelOrder(a.orderId, ticker: ticker)
        _ = try await h.client.cancelOrder(b.orderId, ticker: ticker, exchangeIndex: 2)
        let cancels = h.server.requests.filter { $0.method == "DELETE" }
        #expect(cancels.map { $0.query["market_ticker"] } == [ticker, ticker])
        #expect(cancels.map { $0.query["exchange_index"] } == [nil, "2"])

        _ = try await h.client.cancelOrders([BatchCancelItemRequest(orderId: "x-1", ticker: ticker),
                                            BatchCancelItemRequest(orderId: "x-2", ticker: ticker, exchangeIndex: 2)])
        let batchRequest = try #require(h.server.requests(to: "/portfolio/events/orders/batched").last)
        let batch = try #require(try body(batchRequest)["orders"] as? [[String: Any]])
        #expect(batch.map { $0["market_ticker"] as? String } == [ticker, ticker])
        #expect(batch.map { $0["exchange_index"] as? Int } == [nil, 2])

        let amended = try await h.client.amendOrder("ord-9", AmendOrderRequest(ticker: ticker, side: .bid, price: Dollars(cents: 25),
                                                                               count: Contracts(whole: 4), exchangeIndex: 2))
        #expect(amended.remainingCount == Contracts(whole: 4))
        let amend = try body(try #require(h.server.requests(to: "/portfolio/events/orders/ord-9/amend").first))
        #expect(amend["ticker"] as? String == ticker && amend["exchange_index"] as? Int == 2)
        #expect(amend["price"] as? String == "0.2500" && amend["count"] as? String == "4.00")

        let decreased = try await h.client.decreaseOrder("ord-9", DecreaseOrderRequest(.to(Contracts(whole: 1)), ticker: ticker))
        #expect(decreased.remainingCount == Contracts(whole: 1))
        let decrease = try body(try #require(h.server.requests(to: "/portfolio/events/orders/ord-9/decrease").first))
        #expect(decrease["market_ticker"] as? String == ticker && decrease["reduce_to"] as? String == "1.00" && decrease["reduce_by"] == nil)
    }

    @Test("a cancel repeated after a 5xx that answers 404 is confirmed by reading the order")
    func retriedCancelConfirmedByRead() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        let r = try await h.client.createOrder(CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: 3), price: Dollars(cents: 30)))
        h.server.inject(.performThenStatus(503), on: "DELETE /portfolio/events/orders/\(r.orderId)")
        let canceled = try await h.client.cancelOrder(r.orderId, ticker: ticker)
        #expect(canceled.orderId == r.orderId && canceled.reducedBy == Contracts(whole: 3))
        #expect(h.server.requests(to: "/portfolio/events/orders/\(r.orderId)").count == 2)  // the cancel and its retry
        #expect(h.server.requests(to: "/portfolio/orders/\(r.orderId)").count == 1)  // the read that confirmed it
    }

    @Test("a cancel that timed out at the client, retried into a 404, is confirmed by reading the order")
    func timedOutCancelConfirmedByRead() async throws {
        let h = try await Harness.make(timeout: .milliseconds(300))
        defer { Task { await h.server.stop() } }
        let r = try await h.client.createOrder(CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: 2), price: Dollars(cents: 30)))
        h.server.delayAnswer(.seconds(2), on: "DELETE /portfolio/events/orders/\(r.orderId)")  // cancelled, but answered too late
        let canceled = try await h.client.cancelOrder(r.orderId, ticker: ticker)
        #expect(canceled.reducedBy == Contracts(whole: 2))
        #expect(h.server.requests(to: "/portfolio/events/orders/\(r.orderId)").count == 2)
        #expect(h.server.requests(to: "/portfolio/orders/\(r.orderId)").count == 1)
    }

    @Test("a batch cancel repeated after a 5xx confirms its not_found items by reading the orders")
    func retriedBatchCancelConfirmedByRead() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        let a = try await h.client.createOrder(CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: 2), price: Dollars(cents: 30)))
        let b = try await h.client.createOrder(CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: 5), price: Dollars(cents: 31)))
        h.server.inject(.performThenStatus(502), on: "DELETE /portfolio/events/orders/batched")
        let r = try await h.client.cancelOrders([BatchCancelItemRequest(orderId: a.orderId, ticker: ticker),
                                                BatchCancelItemRequest(orderId: b.orderId, ticker: ticker),
                                                BatchCancelItemRequest(orderId: "never-placed", ticker: ticker)])
        #expect(r.orders.map(\.error?.code) == [nil, nil, "not_found"])
        #expect(r.orders.map(\.reducedBy) == [Contracts(whole: 2), Contracts(whole: 5), .zero])
        #expect(h.server.requests(to: "/portfolio/events/orders/batched").count == 2)
    }

    @Test("a 404 on the first attempt, or on an order never placed, is an error")
    func plain404IsThrown() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        await #expect { _ = try await h.client.cancelOrder("never-placed", ticker: ticker) } throws: { e in
            (e as? KalshiError)?.status == 404
        }
        h.server.inject(.status(503, "{}"), on: "DELETE /portfolio/events/orders/never-placed")
        await #expect { _ = try await h.client.cancelOrder("never-placed", ticker: ticker) } throws: { e in
            (e as? KalshiError)?.status == 404
        }
        #expect(h.server.requests(to: "/portfolio/orders/never-placed").count == 1)  // looked up once, not found
    }

    @Test("reduce_only without immediate_or_cancel is refused before anything is sent")
    func reduceOnlyNeedsIOC() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        for tif in [TimeInForce.goodTillCanceled, .fillOrKill] {
            var close = CreateOrderRequest(ticker: ticker, side: .ask, count: Contracts(whole: 1), price: Dollars(cents: 1), timeInForce: tif)
            close.reduceOnly = true
            await #expect { _ = try await h.client.createOrder(close) } throws: { e in
                guard let e = e as? KalshiError else { return false }
                return e.kind == .invalidRequest && !e.isRetryable && e.message.contains("immediate_or_cancel") && !e.isNothingToReduce
            }
            await #expect(throws: KalshiError.self) { _ = try await h.client.createOrders([close]) }
        }
        #expect(h.server.requests.isEmpty)
        var ioc = CreateOrderRequest(ticker: ticker, side: .ask, count: Contracts(whole: 1), price: Dollars(cents: 1), timeInForce: .immediateOrCancel)
        ioc.reduceOnly = true
        _ = try await h.client.createOrder(ioc)
        let sent = try body(try #require(h.server.requests(to: "/portfolio/events/orders").first))
        #expect(sent["reduce_only"] as? Bool == true)
    }

    @Test("isNothingToReduce recognises the refusal of a reduce-only order with nothing held, and nothing else")
    func nothingToReduce() {
        func error(_ status: Int, _ body: String) -> KalshiError { KalshiError.fromResponse(status: status, body: Data(body.utf8)) }
        #expect(error(400, #"{"error":{"code":"reduce_only_no_position","message":"no position"}}"#).isNothingToReduce)
        #expect(error(400, #"{"error":{"code":"invalid_order","message":"invalid order","details":"reduce only order: no position to reduce"}}"#).isNothingToReduce)
        #expect(!error(400, #"{"error":{"code":"invalid_order","message":"invalid order","details":"post only cross"}}"#).isNothingToReduce)
        #expect(!error(400, #"{"error":{"code":"insufficient_balance"}}"#).isNothingToReduce)
        #expect(!error(503, #"{"error":{"code":"reduce_only_no_position"}}"#).isNothingToReduce)
        #expect(!KalshiError(.timeout, message: "reduce only: no position").isNothingToReduce)
    }

    @Test("the balance's per-shard breakdown, a balance read for one shard, and a transfer between shards")
    func perShardBalance() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        let all = try await h.client.balance()
        #expect(all.available == Dollars("1234.5678"))
        #expect(all.available(onShard: 2) == Dollars(cents: 120_000))
        #expect(all.available(onShard: 0) == Dollars("34.5678"))
        #expect(all.available(onShard: 1) == .zero)
        _ = try await h.client.balance(exchangeIndex: 2)
        #expect(h.server.requests(to: "/portfolio/balance").map { $0.query["exchange_index"] } == [nil, "2"])

        let transfer = try await h.client.transferBetweenShards(Dollars(cents: 2_500), from: 0, to: 2)
        #expect(transfer.transferId == "tr-1")
        let sent = try body(try #require(h.server.requests(to: "/portfolio/intra_exchange_instance_transfer").first))
        #expect(sent["amount"] as? Int == 250_000 && sent["source_exchange_shard"] as? Int == 0 && sent["destination_exchange_shard"] as? Int == 2)
        #expect(sent["source"] as? String == "event_contract" && (sent["client_transfer_id"] as? String)?.count == 36)
        await #expect(throws: KalshiError.self) { _ = try await h.client.transferBetweenShards(Dollars(micros: 1), from: 0, to: 2) }
    }
}
