import Foundation
import Kalshi
import KalshiSim
import Money
import SimExchange
import Testing

/// The orders the venue holds with `clientOrderID`, read until a read succeeds.
func held(_ rest: KalshiRESTClient, _ clientOrderID: String) async throws -> [Order] {
    for _ in 0..<50 {
        if let orders = try? await rest.orders(ticker: atm) { return orders.filter { $0.clientOrderId == clientOrderID } }
    }
    throw KalshiError(.transport, message: "the orders list never read")
}

@Suite("REST client under every fault the simulator injects")
struct RESTFaultTests {
    @Test("5xx error rate: reads succeed through retries; a create under faults is exactly one order")
    func serverErrors() async throws {
        var faults = FaultSettings()
        faults.errorRate = 0.4
        try await withVenue(faults: faults) { venue in
            let rest = venue.rest(attempts: 12, pageLimit: 5)
            for _ in 0..<5 {
                #expect(try await rest.exchangeStatus().exchangeActive)
                #expect(try await rest.markets(seriesTicker: EventNaming.hourlyBTC, status: .open).count == 17)
                #expect(try await rest.balance().available == venue.server.options.exchange.initialBalance)
            }
            #expect(venue.sleeps.count > 0)  // some attempts failed and were retried

            let buy = CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 4), price: Dollars(cents: 99),
                                         timeInForce: .immediateOrCancel, clientOrderId: "errors-1")
            let created = try await rest.createOrder(buy)
            #expect(created.fillCount == Contracts(whole: 4))
            #expect(try await held(rest, "errors-1").map(\.orderId) == [created.orderId])
            #expect(try await rest.fills(ticker: atm).reduce(Contracts.zero) { $0 + ($1.countFp ?? .zero) } == Contracts(whole: 4))
        }
    }

    @Test("every request 503: the client gives up after its attempts with a retryable 503, having backed off")
    func allErrors() async throws {
        var faults = FaultSettings()
        faults.errorRate = 1
        try await withVenue(faults: faults) { venue in
            let rest = venue.rest(attempts: 4)
            do {
                _ = try await rest.exchangeStatus()
                Issue.record("expected a 503")
            } catch let error as KalshiError {
                #expect(error.kind == .http && error.status == 503 && error.isRetryable)
                #expect(error.code == "service_unavailable")
            }
            #expect(venue.sleeps.count == 3)
            let waits = venue.sleeps.all
            #expect(zip(waits, waits.dropFirst()).allSatisfy { $0 < $1 })  // exponential backoff
            await #expect(throws: KalshiError.self) {
                _ = try await rest.createOrder(CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 1), price: Dollars(cents: 10)))
            }
        }
    }

    @Test("extra latency: a short timeout times out and retries with the same client_order_id; one order results")
    func latency() async throws {
        var faults = FaultSettings()
        faults.extraLatencyMs = 300
        try await withVenue(faults: faults) { venue in
            let impatient = venue.rest(timeout: .milliseconds(50), attempts: 3)
            do {
                _ = try await impatient.exchangeStatus()
                Issue.record("expected a timeout")
            } catch let error as KalshiError {
                #expect(error.kind == .timeout && error.isRetryable)
            }
            #expect(venue.sleeps.count == 2)  // three attempts, two backoffs

            let request = CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 2), price: Dollars(cents: 15), clientOrderId: "slow-1")
            await #expect(throws: KalshiError.self) { _ = try await impatient.createOrder(request) }
            // The caller retries its intent with a patient client: still exactly one order.
            let patient = venue.rest(timeout: .seconds(30))
            let created = try await patient.createOrder(request)
            #expect(try await held(patient, "slow-1").map(\.orderId) == [created.orderId])
            #expect(try await patient.orderbook(atm).yes.first { $0.price == Dollars(cents: 15) }?.count == Contracts(whole: 2))
            #expect(try await patient.exchangeStatus().exchangeActive)
        }
    }

    @Test("429 bursts: the client backs off through the burst and succeeds; a create in a burst is one order")
    func bursts() async throws {
        var faults = FaultSettings()
        faults.burstEverySeconds = 10
        faults.burstLengthMs = 1000
        try await withVenue(faults: faults) { venue in
            // The frozen clock starts on a 10 s boundary: inside a burst. Backoff sleeps move the clock past it.
            let rest = venue.rest(attempts: 6)
            #expect(try await rest.exchangeStatus().exchangeActive)
            #expect(venue.sleeps.count >= 1)
            #expect(venue.clock.now % 10_000 >= 1000)

            venue.clock.advance(10_000 - venue.clock.now % 10_000)  // the next burst
            let buy = CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 3), price: Dollars(cents: 99),
                                         timeInForce: .immediateOrCancel, clientOrderId: "burst-1")
            let created = try await rest.createOrder(buy)
            #expect(created.fillCount == Contracts(whole: 3))
            #expect(try await held(rest, "burst-1").map(\.orderId) == [created.orderId])
        }
    }

    @Test("the simulator's own rate limit: a flood of reads is answered 429 and the client backs off to success")
    func rateLimit() async throws {
        try await withVenue(rateLimited: true) { venue in
            let rest = venue.rest(attempts: 8)
            // Basic tier: 400 read tokens, 10 a request, refilled only as the (frozen) clock moves by backoff.
            var answered = 0
            for _ in 0..<60 where try await rest.exchangeStatus().exchangeActive { answered += 1 }
            #expect(answered == 60)
            #expect(venue.sleeps.count >= 1)
        }
    }

    @Test("malformed bodies: a decoding error is reported, never a crash; retried intents never duplicate an order")
    func malformedBodies() async throws {
        var faults = FaultSettings()
        faults.malformedRate = 0.5
        try await withVenue(faults: faults) { venue in
            let rest = venue.rest()
            var decodingErrors = 0, reads = 0
            while reads < 5 {
                do {
                    _ = try await rest.markets(seriesTicker: EventNaming.hourlyBTC)
                    reads += 1
                } catch let error as KalshiError where error.kind == .decoding {
                    decodingErrors += 1
                    #expect(error.details?.isEmpty == false)  // a snippet of what came back
                }
            }
            #expect(decodingErrors > 0)

            // The caller retries its intent on any error, with the same client_order_id.
            let buy = CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 5), price: Dollars(cents: 99),
                                         timeInForce: .immediateOrCancel, clientOrderId: "garbled-1")
            var created: CreateOrderResponse?
            for _ in 0..<50 where created == nil { created = try? await rest.createOrder(buy) }
            let order = try #require(created)
            #expect(try await held(rest, "garbled-1").map(\.orderId) == [order.orderId])
            var fills: [Fill]?
            for _ in 0..<50 where fills == nil { fills = try? await rest.fills(ticker: atm) }
            #expect(fills?.reduce(Contracts.zero) { $0 + ($1.countFp ?? .zero) } == Contracts(whole: 5))

            // A batch retried on any error is still one order per client_order_id.
            let batch = [0, 1].map { i in
                CreateOrderRequest(ticker: atm, side: .bid, count: Contracts(whole: 1), price: Dollars(cents: 20 + Int64(i)), clientOrderId: "garbled-b\(i)")
            }
            var answered: BatchCreateResponse?
            for _ in 0..<50 where answered?.orders.allSatisfy({ $0.orderId != nil }) != true { answered = try? await rest.createOrders(batch) }
            let items = try #require(answered?.orders)
            for (i, item) in items.enumerated() { #expect(try await held(rest, "garbled-b\(i)").map(\.orderId) == [item.orderId]) }
        }
    }
}
