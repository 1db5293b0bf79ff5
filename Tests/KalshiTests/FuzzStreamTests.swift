import Foundation
import Kalshi
import Testing

@Suite("fuzz: WebSocket frames, malformed, truncated and reshaped")
struct FuzzStreamTests {
    /// One valid frame of each kind the clients read.
    static let frames = [
        #"{"id":1,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":1}}"#,
        #"{"id":123,"sid":456,"seq":222,"type":"ok","msg":{"market_tickers":["A","B"]}}"#,
        #"{"id":3,"type":"error","msg":{"code":6,"msg":"Already subscribed"}}"#,
        #"{"type":"orderbook_snapshot","sid":2,"seq":2,"msg":{"market_ticker":"M","market_id":"9b0f","yes_dollars_fp":[["0.0800","300.00"],["0.2200","333.00"]]}}"#,
        #"{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"M","price_dollars":"0.960","delta_fp":"-54.00","side":"yes","ts_ms":1}}"#,
        #"{"type":"ticker","sid":1,"msg":{"market_ticker":"M","price_dollars":"0.48","yes_bid_dollars":"0.47","yes_ask_dollars":"0.49","dollar_volume":100,"ts_ms":5}}"#,
        #"{"type":"fill","sid":1,"msg":{"order_id":"o","market_ticker":"M","count_fp":"1.00","fee_cost":"0.0100","post_position_fp":"4.00","outcome_side":"yes","book_side":"bid"}}"#,
        #"{"type":"user_order","sid":1,"msg":{"order_id":"o","ticker":"M","status":"executed","remaining_count_fp":"0.00","client_order_id":"c"}}"#,
        #"{"type":"market_position","sid":1,"msg":{"market_ticker":"M","position_fp":"-2.00","position_cost_dollars":"1.1000"}}"#,
        #"{"type":"market_lifecycle_v2","sid":1,"msg":{"event_type":"determined","market_ticker":"M","result":"yes","settlement_value":"1.0000","determination_ts":9}}"#,
    ]

    @Test("every broken frame decodes or is a KalshiError of kind decoding; truncated and garbage frames always are")
    func brokenFrames() {
        var r = KalshiFuzzRandom(seed: 0x5753_4653)
        var refused = 0, total = 0
        for _ in 0..<200 {
            for frame in Self.frames {
                total += 1
                let text: String, mustFail: Bool
                switch KalshiFuzz.body(from: frame, &r) {
                case .truncated(let t): text = t; mustFail = true
                case .garbage(let t): text = t; mustFail = true
                case .reshaped(let t): text = t; mustFail = false
                }
                do {
                    _ = try StreamMessage.decode(Data(text.utf8))
                    #expect(!mustFail, "accepted \(text.prefix(80))")
                } catch let e as KalshiError {
                    #expect(e.kind == .decoding, "\(e)")
                    refused += 1
                } catch {
                    Issue.record("not a KalshiError: \(error)")
                }
            }
        }
        #expect(refused > total / 2)
        // The valid frames still decode.
        for frame in Self.frames { #expect((try? StreamMessage.decode(Data(frame.utf8))) != nil) }
    }
}
