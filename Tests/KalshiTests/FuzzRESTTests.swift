import Foundation
import Kalshi
import Testing

/// SplitMix64, so every run with one seed sends the same bodies.
struct KalshiFuzzRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
}

/// Broken JSON bodies: truncated, random bytes, values of the wrong kind, deep nesting.
enum KalshiFuzz {
    enum Body { case truncated(String), garbage(String), reshaped(String) }

    static func body(from sample: String, _ r: inout KalshiFuzzRandom) -> Body {
        switch r.int(0...5) {
        case 0, 1: return .truncated(String(sample.prefix(r.int(0...(sample.count - 1)))))
        case 2:
            let bytes = (0..<r.int(1...300)).map { _ in UInt8.random(in: 0...255, using: &r) }
            return .garbage("\u{1}" + String(decoding: bytes, as: UTF8.self))
        case 3: return .garbage(String(repeating: "[", count: r.int(1...20_000)))
        default: return .reshaped(reshape(sample, &r))
        }
    }

    /// `sample` with one value (at any depth) swapped for a value of another kind.
    static func reshape(_ sample: String, _ r: inout KalshiFuzzRandom) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(sample.utf8)) else { return "{}" }
        let swapped = swap(object, &r)
        guard JSONSerialization.isValidJSONObject(swapped) else { return "null" }  // a bare value at the top
        return (try? JSONSerialization.data(withJSONObject: swapped)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    private static func swap(_ v: Any, _ r: inout KalshiFuzzRandom) -> Any {
        let others: [Any] = [NSNull(), "x", [1], ["k": "v"], true, -7, 1e300]
        if var o = v as? [String: Any], !o.isEmpty, r.int(0...3) > 0 {
            let k = o.keys.sorted()[r.int(0...(o.count - 1))]
            o[k] = swap(o[k]!, &r)
            return o
        }
        if var a = v as? [Any], !a.isEmpty, r.int(0...3) > 0 {
            let i = r.int(0...(a.count - 1))
            a[i] = swap(a[i], &r)
            return a
        }
        return others[r.int(0...(others.count - 1))]
    }
}

@Suite("fuzz: the REST client against malformed, truncated and reshaped answers")
struct FuzzRESTTests {
    /// Plausible answers per route, to break.
    static let samples: [(route: String, body: String)] = [
        ("GET /portfolio/balance", #"{"balance":100000,"portfolio_value":2500,"updated_ts":1750000000}"#),
        ("GET /portfolio/positions", #"{"market_positions":[{"ticker":"M","position_fp":"2.00","market_exposure_dollars":"1.0000","realized_pnl_dollars":"0.0000","fees_paid_dollars":"0.0100"}],"event_positions":[],"cursor":""}"#),
        ("GET /portfolio/fills", #"{"fills":[{"fill_id":"f","trade_id":"t","order_id":"o","ticker":"M","side":"yes","action":"buy","count_fp":"1.00","yes_price_dollars":"0.5000","no_price_dollars":"0.5000","is_taker":true,"created_time":"2026-01-01T00:00:00Z","ts":1}],"cursor":""}"#),
        ("GET /portfolio/orders", #"{"orders":[{"order_id":"o","client_order_id":"c","ticker":"M","side":"yes","action":"buy","type":"limit","status":"resting","yes_price_dollars":"0.5000","fill_count_fp":"0.00","remaining_count_fp":"1.00"}],"cursor":""}"#),
        ("GET /markets", #"{"markets":[{"ticker":"M","event_ticker":"E","status":"active","yes_bid_dollars":"0.4900","yes_ask_dollars":"0.5100","floor_strike":100000}],"cursor":""}"#),
        ("GET /markets/M", #"{"market":{"ticker":"M","event_ticker":"E","status":"active","yes_bid_dollars":"0.4900","yes_ask_dollars":"0.5100"}}"#),
    ]

    /// Calls the client method behind `route`.
    static func call(_ route: String, _ client: KalshiRESTClient) async throws {
        switch route {
        case "GET /portfolio/balance": _ = try await client.balance()
        case "GET /portfolio/positions": _ = try await client.positions()
        case "GET /portfolio/fills": _ = try await client.fills()
        case "GET /portfolio/orders": _ = try await client.orders()
        case "GET /markets": _ = try await client.markets()
        default: _ = try await client.market("M")
        }
    }

    @Test("every broken 200 body is a clear decoding error (or, reshaped, still a valid answer); never a crash")
    func brokenSuccessBodies() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        var r = KalshiFuzzRandom(seed: 0x4B41_4C53)
        var decodingErrors = 0
        for _ in 0..<25 {
            for (route, sample) in Self.samples {
                let body = KalshiFuzz.body(from: sample, &r)
                let text: String, mustFail: Bool
                switch body {
                case .truncated(let t): text = t; mustFail = true
                case .garbage(let t): text = t; mustFail = true
                case .reshaped(let t): text = t; mustFail = false
                }
                h.server.inject(.status(200, text), on: route)
                do {
                    try await Self.call(route, h.client)
                    #expect(!mustFail, "\(route) accepted \(text.prefix(80))")
                } catch let e as KalshiError {
                    #expect(e.kind == .decoding || !mustFail, "\(route): \(e)")
                    #expect(!e.description.isEmpty && e.description.hasPrefix("Kalshi "))
                    if e.kind == .decoding { decodingErrors += 1 }
                } catch {
                    Issue.record("\(route): not a KalshiError: \(error)")
                }
            }
        }
        #expect(decodingErrors > 100)
        // Still works with a sane answer afterwards.
        _ = try await h.client.balance()
    }

    @Test("garbage error bodies: 4xx is a clear HTTP error, 5xx is retried and then succeeds")
    func brokenErrorBodies() async throws {
        let h = try await Harness.make()
        defer { Task { await h.server.stop() } }
        var r = KalshiFuzzRandom(seed: 0x4552_5253)
        for i in 0..<30 {
            let (route, sample) = Self.samples[i % Self.samples.count]
            let text: String
            switch KalshiFuzz.body(from: sample, &r) { case .truncated(let t), .garbage(let t), .reshaped(let t): text = t }
            let status = [400, 401, 403, 404, 409, 422][(i / 6 + i) % 6]  // not 429: that one is retried
            h.server.inject(.status(status, text), on: route)
            await #expect { try await Self.call(route, h.client) } throws: { e in
                guard let k = e as? KalshiError else { return false }
                return k.kind == .http && k.status == status && !k.message.isEmpty
            }
            h.server.inject(.status(503, text), on: route)
            do { try await Self.call(route, h.client) } catch let e as KalshiError {
                #expect(e.status != 503, "\(route): a 503 was not retried: \(e)")  // the retry reached the route, whatever it answered
            }
        }
        #expect(h.sleeps.recorded.count >= 30)
    }
}
