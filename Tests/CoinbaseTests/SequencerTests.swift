import BusWire
import Coinbase
import Money
import Testing

@Suite("Feed sequencing, backoff and decoding (pure)")
struct SequencerTests {
    func tick(seq: Int64, trade: Int64) -> CoinbaseTick {
        CoinbaseTick(sequence: seq, productID: "BTC-USD", price: Dollars("1")!, bestBid: Dollars("1")!, bestAsk: Dollars("1")!,
                     open24h: Dollars("1")!, high24h: Dollars("1")!, low24h: Dollars("1")!, volume24h: "0", lastSize: "0",
                     side: .buy, time: BusTime(seconds: 0), tradeID: trade)
    }

    @Test("sequence skips are normal; trade-id skips are gaps; repeats are stale")
    func sequencer() {
        var s = FeedSequencer()
        #expect(s.accept(tick(seq: 10, trade: 100)) == .fresh(missing: 0))
        #expect(s.accept(tick(seq: 25, trade: 101)) == .fresh(missing: 0))
        #expect(s.accept(tick(seq: 25, trade: 101)) == .stale)
        #expect(s.accept(tick(seq: 30, trade: 105)) == .fresh(missing: 3))
        #expect(s.accept(CoinbaseHeartbeat(sequence: 31, productID: "BTC-USD", lastTradeID: 107, time: BusTime(seconds: 0))) == 2)
        #expect(s.gaps == 2 && s.missedTrades == 5 && s.stale == 1)
        s.restart()
        #expect(s.accept(tick(seq: 1, trade: 1)) == .fresh(missing: 0))
    }

    @Test("backoff doubles to its cap, stretches by the jitter, and resets")
    func backoff() {
        var b = ReconnectBackoff(initial: 0.5, maximum: 4, multiplier: 2, jitter: 0.2)
        #expect([0, 0, 0, 0, 0].map { b.nextDelay(random: $0) } == [0.5, 1, 2, 4, 4])
        #expect(b.nextDelay(random: 0.5) == 4.4)
        b.reset()
        #expect(b.nextDelay(random: 0.999) < 0.6)
    }

    @Test("the real message shapes decode; money stays exact")
    func decoding() throws {
        let ticker = #"""
        {"type":"ticker","sequence":37475248783,"product_id":"BTC-USD","price":"101234.56","open_24h":"99000.01","volume_24h":"8123.12345678","low_24h":"98000","high_24h":"102000.5","volume_30d":"300000.1","best_bid":"101234.55","best_bid_size":"0.5","best_ask":"101234.56","best_ask_size":"0.1","side":"buy","time":"2024-12-07T18:00:00.123456Z","trade_id":745123456,"last_size":"0.00012"}
        """#
        guard case .ticker(let t) = try CoinbaseFeedDecoder().decode(ticker) else { Issue.record("not a ticker"); return }
        #expect(t.price == Dollars("101234.56") && t.bestBid == Dollars("101234.55") && t.side == .buy && t.tradeID == 745_123_456)
        #expect(t.time == BusTime(rfc3339: Array("2024-12-07T18:00:00.123456Z".utf8)))
        let hb = #"{"type":"heartbeat","last_trade_id":745123456,"product_id":"BTC-USD","sequence":37475248784,"time":"2024-12-07T18:00:01.000000Z"}"#
        #expect(try CoinbaseFeedDecoder().decode(hb) == .heartbeat(CoinbaseHeartbeat(
            sequence: 37_475_248_784, productID: "BTC-USD", lastTradeID: 745_123_456, time: BusTime(seconds: 1_733_594_401))))
        #expect(try CoinbaseFeedDecoder().decode(#"{"type":"error","message":"Failed to subscribe","reason":"bad"}"#)
                == .error(message: "Failed to subscribe", reason: "bad"))
        #expect(try CoinbaseFeedDecoder().decode(#"{"type":"l2update"}"#) == nil)
        #expect(throws: CoinbaseError.self) { try CoinbaseFeedDecoder().decode(#"{"type":"ticker","price":1.5}"#) }
        #expect(throws: CoinbaseError.self) { try CoinbaseFeedDecoder().decode("[]") }
    }
}
