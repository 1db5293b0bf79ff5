import BusWire
import Coinbase
import Foundation
import Hummingbird
import Logging
import Money
import PriceSim
import ServiceLifecycle
import Synchronization
import Testing

/// A stand-in for Coinbase's candles endpoint on loopback: serves a fixed minute series newest first, refuses
/// more than 300 candles, answers 429 to the first request, and records every request's window.
final class FakeCandles: Sendable {
    static let t0: Int64 = 1_735_689_600
    let windows = Mutex<[(Int64, Int64)]>([])
    let requests = Mutex(0)
    let alwaysFail: Int?

    init(alwaysFail: Int? = nil) { self.alwaysFail = alwaysFail }

    /// Minute `i` exists except minute 500 (Coinbase publishes nothing for minutes without trades).
    func candle(_ t: Int64) -> String? {
        let i = (t - Self.t0) / 60
        guard i != 500 else { return nil }
        let base = 100_000 + i
        return "[\(t),\(base - 1).5,\(base + 2).25,\(base),\(base + 1),1.2345e-3]"
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/products/BTC-USD/candles") { request, _ -> Response in
            let n = self.requests.withLock { $0 += 1; return $0 }
            if let status = self.alwaysFail { return Response(status: .init(code: status)) }
            if n == 1 { return Response(status: .tooManyRequests, headers: [.retryAfter: "0.01"]) }
            guard request.uri.queryParameters["granularity"] == "60",
                  let s = request.uri.queryParameters["start"].flatMap({ BusTime(rfc3339: Array($0.utf8)) }),
                  let e = request.uri.queryParameters["end"].flatMap({ BusTime(rfc3339: Array($0.utf8)) })
            else { return Response(status: .badRequest) }
            let start = s.microseconds / 1_000_000, end = e.microseconds / 1_000_000
            self.windows.withLock { $0.append((start, end)) }
            guard (end - start) / 60 < 300 else {
                return Response(status: .badRequest, body: .init(byteBuffer: .init(string: #"{"message":"granularity too small"}"#)))
            }
            // Newest first, inclusive end, plus one candle before start as Coinbase may send.
            var t = (end / 60) * 60
            var rows: [String] = []
            while t >= start - 60 {
                if t >= Self.t0, t < Self.t0 + 1_000 * 60, let row = self.candle(t) { rows.append(row) }
                t -= 60
            }
            return Response(status: .ok, body: .init(byteBuffer: .init(string: "[" + rows.joined(separator: ",") + "]")))
        }
        return router
    }

    /// Runs the server for the duration of `body`.
    func serve<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let ready = AsyncStream<Int>.makeStream()
        let app = Application(router: router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { ready.continuation.yield($0.localAddress?.port ?? 0) }, logger: Logger(label: "fake"))
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "fake")))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var ports = ready.stream.makeAsyncIterator()
            let port = await ports.next() ?? 0
            let result: Result<T, any Error>
            do { result = .success(try await body("http://127.0.0.1:\(port)")) } catch { result = .failure(error) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return try result.get()
        }
    }
}

@Suite("Coinbase REST candles against a loopback server")
struct CandlesClientTests {
    func config(_ url: String, attempts: Int = 4) -> CandlesClient.Configuration {
        .init(baseURL: url, maxAttempts: attempts, backoff: ReconnectBackoff(initial: 0.01, maximum: 0.05))
    }

    @Test("a range is paged by 300, retried after a 429, and comes back oldest first, exact and within range")
    func paging() async throws {
        let fake = FakeCandles()
        let candles = try await fake.serve { url in
            try await CandlesClient(configuration: self.config(url)).candles(from: FakeCandles.t0, to: FakeCandles.t0 + 1_000 * 60)
        }
        #expect(candles.count == 999)
        #expect(candles.first?.start == FakeCandles.t0 && candles.last?.start == FakeCandles.t0 + 999 * 60)
        #expect(zip(candles, candles.dropFirst()).allSatisfy { $0.start < $1.start })
        #expect(!candles.contains { $0.start == FakeCandles.t0 + 500 * 60 })
        #expect(candles[1] == CoinbaseCandle(start: FakeCandles.t0 + 60, low: Dollars("100000.5")!, high: Dollars("100003.25")!,
                                             open: Dollars("100001")!, close: Dollars("100002")!, volume: "1.2345e-3"))
        #expect(fake.requests.withLock { $0 } == 5, "four pages and one retry")
        #expect(fake.windows.withLock { $0.count } == 4)
    }

    @Test("a 4xx other than 429 fails at once; endless 5xx runs out of attempts")
    func failures() async throws {
        let notFound = FakeCandles(alwaysFail: 404)
        await #expect {
            try await notFound.serve { url in try await CandlesClient(configuration: self.config(url)).candles(from: 0, to: 600) }
        } throws: { ($0 as? CoinbaseError)?.status == 404 && ($0 as? CoinbaseError)?.kind == .server }
        #expect(notFound.requests.withLock { $0 } == 1)

        let broken = FakeCandles(alwaysFail: 503)
        await #expect {
            try await broken.serve { url in try await CandlesClient(configuration: self.config(url, attempts: 3)).candles(from: 0, to: 600) }
        } throws: { ($0 as? CoinbaseError)?.kind == .exhausted }
        #expect(broken.requests.withLock { $0 } == 3)
    }

    @Test("the CSV writer's file reads back through the simulator's replay reader")
    func csvRoundTrip() throws {
        let candles = [
            CoinbaseCandle(start: 120, low: Dollars("99.5")!, high: Dollars("101")!, open: Dollars("100")!, close: Dollars("100.25")!, volume: "3.5"),
            CoinbaseCandle(start: 60, low: Dollars("98")!, high: Dollars("100.1")!, open: Dollars("99")!, close: Dollars("100")!, volume: "1"),
        ]
        let text = CandleCSVWriter.text(candles)
        #expect(text == "ts,open,high,low,close,volume\n60,99,100.1,98,100,1\n120,100,101,99.5,100.25,3.5\n")
        let path = NSTemporaryDirectory() + "candles-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let back = try CandleCSV.read(path: path)
        #expect(back.map(\.start) == [60, 120] && back.map(\.close) == [Dollars("100")!, Dollars("100.25")!])
    }

    @Test("candle bodies parse exactly; error objects are malformed")
    func body() throws {
        #expect(try CandlesBody.parse("[[60, 1.5, 2.25, 1.75, 2, 10]]") == [
            CoinbaseCandle(start: 60, low: Dollars("1.5")!, high: Dollars("2.25")!, open: Dollars("1.75")!, close: Dollars("2")!, volume: "10"),
        ])
        #expect(try CandlesBody.parse("[]").isEmpty)
        #expect(throws: CoinbaseError.self) { try CandlesBody.parse(#"{"message":"NotFound"}"#) }
        #expect(throws: CoinbaseError.self) { try CandlesBody.parse("[[60, 1.5]]") }
    }
}
