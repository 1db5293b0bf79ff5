import BusTestSupport
import Foundation
import HTTPTypes
import HummingbirdWSClient
import KalshiSim
import NIOHTTP1
import Logging
import SimExchange
import Synchronization
import Testing

/// Collected frames of one WebSocket session.
final class Frames: Sendable {
    private let texts = Mutex<[String]>([])
    private let ended = Mutex(false)
    func add(_ text: String) { texts.withLock { $0.append(text) } }
    /// True once the server has closed the session.
    var closed: Bool {
        get { ended.withLock { $0 } }
        set { ended.withLock { $0 = newValue } }
    }
    /// Every frame, parsed, in arrival order.
    var all: [[String: Any]] {
        texts.withLock { $0 }.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }
    func of(_ type: String) -> [[String: Any]] { all.filter { $0["type"] as? String == type } }
}

extension SimFixture {
    /// Opens a signed session, runs `body` with a sender while frames are collected, then closes.
    func session(signedAt ts: Millis? = nil, _ body: @escaping @Sendable (_ send: @Sendable (String) async throws -> Void, Frames) async throws -> Void)
        async throws -> Frames {
        var headers = HTTPFields()
        for (k, v) in try authHeaders("GET", "/trade-api/ws/v2", timestampMs: ts) { headers[HTTPField.Name(k)!] = v }
        let frames = Frames()
        var logger = Logger(label: "ws-test")
        logger.logLevel = .warning
        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/trade-api/ws/v2", configuration: .init(additionalHeaders: headers),
                                          logger: logger) { inbound, outbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 22) {
                        if case .text(let t) = message { frames.add(t) }
                    }
                    frames.closed = true
                }
                try await body({ try await outbound.write(.text($0)) }, frames)
                group.cancelAll()
            }
        }
        return frames
    }
}

@Suite struct WebSocketTests {
    @Test func snapshotThenDeltasWithConsecutiveSeq() async throws {
        try await withSim { sim in
            let frames = try await sim.session { send, frames in
                try await send(#"{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_tickers":["\#(atm)"]}}"#)
                #expect(await eventually { frames.of("orderbook_snapshot").count == 1 })
                for (i, price) in ["0.40", "0.41", "0.42"].enumerated() {
                    let body: [String: Any] = ["ticker": atm, "side": "bid", "count": "\(i + 1)", "price": price,
                                               "time_in_force": "good_till_canceled", "self_trade_prevention_type": "maker"]
                    #expect(try await sim.call(.POST, "/trade-api/v2/portfolio/events/orders", body: body).status == 201)
                }
                #expect(await eventually { frames.of("orderbook_delta").count == 3 })
            }
            let subscribed = try #require(frames.of("subscribed").first)
            #expect(subscribed["id"] as? Int == 1)
            let sid = dict(subscribed["msg"])["sid"] as? Int
            let sequenced = frames.all.filter { ["orderbook_snapshot", "orderbook_delta"].contains($0["type"] as? String ?? "") }
            #expect(sequenced.first?["type"] as? String == "orderbook_snapshot")
            #expect(sequenced.map { $0["seq"] as? Int } == [1, 2, 3, 4])
            #expect(sequenced.allSatisfy { $0["sid"] as? Int == sid })
            let deltas = frames.of("orderbook_delta").map { dict($0["msg"]) }
            #expect(deltas.map { $0["price_dollars"] as? String } == ["0.4000", "0.4100", "0.4200"])
            #expect(deltas.map { $0["delta_fp"] as? String } == ["1.00", "2.00", "3.00"])
            #expect(deltas.allSatisfy { $0["side"] as? String == "yes" && $0["market_ticker"] as? String == atm })
        }
    }

    @Test func userChannelsTickerAndUnsubscribe() async throws {
        try await withSim(makers: true) { sim in
            let frames = try await sim.session { send, frames in
                try await send(#"{"id":1,"cmd":"subscribe","params":{"channels":["fill","user_orders","market_positions","trade"]}}"#)
                try await send(#"{"id":2,"cmd":"subscribe","params":{"channels":["ticker"],"market_ticker":"\#(atm)"}}"#)
                #expect(await eventually { frames.of("subscribed").count == 5 })
                let body: [String: Any] = ["ticker": atm, "side": "ask", "count": "3", "price": "0.01", "time_in_force": "immediate_or_cancel",
                                           "self_trade_prevention_type": "taker_at_cross", "client_order_id": "ws-1"]
                #expect(try await sim.call(.POST, "/trade-api/v2/portfolio/events/orders", body: body).status == 201)
                #expect(await eventually { !frames.of("fill").isEmpty && !frames.of("market_position").isEmpty && !frames.of("ticker").isEmpty })
                try await send(#"{"id":3,"cmd":"unsubscribe","params":{"sids":[1]}}"#)
                try await send(#"{"id":4,"cmd":"bogus"}"#)
                #expect(await eventually { !frames.of("unsubscribed").isEmpty && !frames.of("error").isEmpty })
            }
            let fill = dict(try #require(frames.of("fill").first)["msg"])
            #expect(fill["count_fp"] as? String == "3.00")
            #expect(fill["book_side"] as? String == "ask")
            #expect(fill["yes_price_dollars"] as? String == "0.4800")
            #expect(fill["post_position_fp"] as? String == "-3.00")
            #expect(frames.of("user_order").contains { dict($0["msg"])["client_order_id"] as? String == "ws-1" })
            #expect(dict(frames.of("market_position").last?["msg"])["position_fp"] as? String == "-3.00")
            #expect(!frames.of("trade").isEmpty)
            #expect(dict(frames.of("error").first?["msg"])["code"] as? Int == 5)
        }
    }

    @Test func unsignedUpgradeIsRefused() async throws {
        try await withSim { sim in
            await #expect(throws: (any Error).self) {
                _ = try await sim.session(signedAt: sim.clock.now - 120_000) { _, _ in }
            }
        }
    }
}
