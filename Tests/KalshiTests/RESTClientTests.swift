import AsyncHTTPClient
import Foundation
import Kalshi
import Logging
import Money
import Synchronization
import Testing

/// Records the waits a client asks for, returning at once.
final class RecordingSleeper: Sendable {
    let waits = Mutex<[Duration]>([])
    var sleeper: KalshiRESTClient.Sleeper { { [self] d in self.waits.withLock { $0.append(d) } } }
    var recorded: [Duration] { waits.withLock { $0 } }
}

/// A fake Kalshi on loopback plus a client signed with a fresh test key.
struct Harness {
    let server: FakeKalshiServer
    let client: KalshiRESTClient
    let sleeps: RecordingSleeper

    /// Buckets too large for any test to drain (the rate-limit test brings its own).
    static let roomy = RateLimiter.Limits(readRefillPerSecond: 1000, readCapacity: 100_000, writeRefillPerSecond: 1000, writeCapacity: 100_000)

    static func make(maxAttempts: Int = 4, signed: Bool = true, pageLimit: Int = 2,
                     limits: RateLimiter.Limits = Harness.roomy, timeout: Duration = .seconds(10)) async throws -> Harness {
        let keys = try await TestKeys.shared.value
        let credentials = try Credentials(keyID: "test-key", privateKeyPEM: keys.pkcs8PEM)
        let server = FakeKalshiServer(publicKey: try #require(credentials.signer.publicKey))
        try await server.start()
        var config = KalshiConfiguration.simulator(port: server.port)
        config.retry = RetryPolicy(maxAttempts: maxAttempts, baseDelay: .milliseconds(100), maxDelay: .seconds(2))
        config.pageLimit = pageLimit
        config.limits = limits
        config.requestTimeout = timeout
        let sleeps = RecordingSleeper()
        let frozen = ContinuousClock.now  // the buckets' clock stands still: no refill unless a test moves it
        var logger = Logger(label: "kalshi.rest.test")
        logger.logLevel = .warning
        let client = KalshiRESTClient(configuration: config, credentials: signed ? credentials : nil, logger: logger,
                                      sleeper: sleeps.sleeper, jitter: { 0 }, now: { frozen })
        return Harness(server: server, client: client, sleeps: sleeps)
    }
}

@Suite("REST client over loopback HTTP")
struct RESTClientTests {
    @Test("public reads: exchange status, series, market, orderbook; requests are signed")
    func publicReads() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        let status = try await h.client.exchangeStatus()
        #expect(status.exchangeActive && !status.tradingActive)
        #expect(try await h.client.series("KXBTCD").feeType == "quadratic")
        let market = try await h.client.market("KXBTCD-25MAY1522-T106249.99")
        #expect(market.floorStrike == Dollars("106249.99"))
        let book = try await h.client.orderbook("KXBTCD-25MAY1522-T106249.99")
        #expect(book.bestYesBid?.price == Dollars(cents: 42) && book.bestYesAsk?.price == Dollars(cents: 44))
        let books = try await h.client.orderbooks(["A", "B"])
        #expect(books["A"]?.bestYesBid?.price == Dollars(cents: 10) && books["B"]?.yes.isEmpty == true)
        #expect(h.server.requests(to: "/markets/orderbooks").first?.query["tickers"] != nil)
        let allSigned = h.server.requests.allSatisfy { $0.signed }
        #expect(allSigned)
        #expect(h.server.state.withLock { $0.badSignatures } == 0)
    }

    @Test("markets follow the cursor through every page, with limit, until it is empty")
    func paging() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        let markets = try await h.client.markets(seriesTicker: "KXBTCD", status: .open)
        #expect(markets.map(\.floorStrike) == ["105999.99", "106249.99", "106499.99", "106749.99", "106999.99"].map { Dollars($0) })
        let asks = h.server.requests(to: "/markets")
        #expect(asks.map { $0.query["cursor"] } == [nil, "c2", "c3"])
        let filtered = asks.allSatisfy { $0.query["limit"] == "2" && $0.query["series_ticker"] == "KXBTCD" && $0.query["status"] == "open" }
        #expect(filtered)
        #expect(EventNaming.strikeSpacing(of: markets) == Dollars(cents: 25_000))
    }

    @Test("events page until a null cursor; nested and top-level markets both land on the event")
    func events() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        let events = try await h.client.events(seriesTicker: "KXBTCD", status: .open, withNestedMarkets: true)
        #expect(events.map(\.eventTicker) == ["KXBTCD-25MAY1522", "KXBTCD-25MAY1523"])
        #expect(events[0].markets?.count == 3)
        #expect(h.server.requests(to: "/events").first?.query["with_nested_markets"] == "true")
        let one = try await h.client.event("KXBTCD-25MAY1522")
        #expect(one.markets?.first?.ticker == "KXBTCD-25MAY1522-T106249.99")
    }

    @Test("portfolio reads: balance, positions, fills, settlements")
    func portfolio() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        #expect(try await h.client.balance().available == Dollars("1234.5678"))
        let p = try await h.client.positions()
        #expect(p.market.first?.positionFp == Contracts(whole: -3) && p.event.first?.totalCostDollars == Dollars("1.68"))
        #expect(try await h.client.fills().first?.feeCost == Dollars(cents: 5))
        #expect(try await h.client.settlements().first?.revenue == 300)
    }

    @Test("portfolio calls without credentials get Kalshi's 401, not retried")
    func unsigned() async throws {
        let h = try await Harness.make(signed: false)
        defer { Task { await h.server.stop() } }
        _ = try await h.client.exchangeStatus()
        await #expect {
            try await h.client.balance()
        } throws: { e in (e as? KalshiError)?.status == 401 && (e as? KalshiError)?.code == "authentication_error" }
        #expect(h.server.requests(to: "/portfolio/balance").count == 1)
    }

    @Test("429 and 500 are retried with growing backoff, then succeed")
    func retries() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        h.server.inject(.status(429, #"{"error":"too many requests"}"#), on: "GET /portfolio/balance")
        h.server.inject(.status(500, "oops"), on: "GET /portfolio/balance")
        h.server.inject(.status(503, #"{"code":"service_unavailable","message":"later"}"#), on: "GET /portfolio/balance")
        #expect(try await h.client.balance().balance == 123_456)
        #expect(h.server.requests(to: "/portfolio/balance").count == 4)
        #expect(h.sleeps.recorded == [.milliseconds(50), .milliseconds(100), .milliseconds(200)])
    }

    @Test("retries are bounded: the last error is thrown with its status and message")
    func bounded() async throws {
        let h = try await Harness.make(maxAttempts: 3)
        defer { Task { await h.server.stop() } }
        for _ in 0..<5 { h.server.inject(.status(429, #"{"error":"too many requests"}"#), on: "GET /exchange/status") }
        await #expect {
            try await h.client.exchangeStatus()
        } throws: { e in
            guard let e = e as? KalshiError else { return false }
            return e.isRateLimited && e.message == "too many requests"
        }
        #expect(h.server.requests(to: "/exchange/status").count == 3)
    }

    @Test("4xx errors are decoded and not retried")
    func clientErrors() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        h.server.inject(.status(400, #"{"error":{"code":"invalid_order","message":"bad","details":"price off grid"}}"#), on: "GET /portfolio/fills")
        await #expect {
            try await h.client.fills()
        } throws: { e in
            let e = e as? KalshiError
            return e?.code == "invalid_order" && e?.details == "price off grid" && e?.status == 400
        }
        #expect(h.server.requests(to: "/portfolio/fills").count == 1)
        await #expect(throws: KalshiError.self) { try await h.client.market("NOPE") }
    }

    @Test("a malformed success body is a decoding error")
    func malformed() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        h.server.inject(.malformed, on: "GET /markets")
        await #expect {
            try await h.client.markets()
        } throws: { e in (e as? KalshiError)?.kind == .decoding }
    }

    @Test("a refused connection is a transport error, retried, then thrown")
    func transport() async throws {
        let h = try await Harness.make()
        let port = h.server.port
        await h.server.stop()
        var config = KalshiConfiguration.simulator(port: port)
        config.retry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1))
        config.requestTimeout = .milliseconds(300)  // AsyncHTTPClient retries a refused connect until the deadline
        let sleeps = RecordingSleeper()
        let client = KalshiRESTClient(configuration: config, sleeper: sleeps.sleeper)
        await #expect {
            try await client.exchangeStatus()
        } throws: { e in (e as? KalshiError)?.kind == .transport }
        #expect(sleeps.recorded.count == 1)
    }

    @Test("a request slower than the timeout is a timeout error, retried")
    func timeout() async throws {
        // A deadline well above a loaded machine's round trip, so only the delayed attempt times out.
        let h = try await Harness.make(timeout: .seconds(1))
        defer { Task { await h.server.stop() } }
        h.server.delay(.seconds(3), on: "GET /exchange/status")
        #expect(try await h.client.exchangeStatus().exchangeActive)
        // At least the delayed attempt timed out and was retried after the first backoff (a machine loaded enough to
        // make the retry itself slower than the deadline retries once more: still right).
        #expect(h.sleeps.recorded.first == .milliseconds(50))
        let once = try await Harness.make(maxAttempts: 1, timeout: .milliseconds(250))
        defer { Task { await once.server.stop() } }
        once.server.delay(.seconds(3), on: "GET /portfolio/balance")
        await #expect {
            try await once.client.balance()
        } throws: { e in (e as? KalshiError)?.kind == .timeout && (e as? KalshiError)?.isRetryable == true }
    }

    @Test("the client waits on its token buckets: writes beyond the write budget sleep, reads do not")
    func rateLimited() async throws {
        let limits = RateLimiter.Limits(readRefillPerSecond: 1000, readCapacity: 1000, writeRefillPerSecond: 10, writeCapacity: 20)
        let h = try await Harness.make(limits: limits)
        defer { Task { await h.server.stop() } }
        let ticker = "KXBTCD-25MAY1522-T106249.99"
        for cents in [1, 2, 3] as [Int64] {
            _ = try await h.client.createOrder(CreateOrderRequest(ticker: ticker, side: .bid, count: Contracts(whole: 1), price: Dollars(cents: cents)))
        }
        _ = try await h.client.balance()
        // Two creates fit the 20-token write bucket; the third waits about one second for 10 tokens.
        let waits = h.sleeps.recorded
        #expect(waits.count == 1)
        #expect(waits == [.seconds(1)])
        #expect(h.server.orders.count == 3)
    }
}
