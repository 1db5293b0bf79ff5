import Foundation
import Kalshi
import Money
import Testing

@Suite("WebSocket messages")
struct StreamMessageTests {
    func decode(_ text: String) throws -> StreamMessage { try StreamMessage.decode(Data(text.utf8)) }

    @Test("command responses: subscribed, ok, unsubscribed, error")
    func responses() throws {
        #expect(try decode(#"{"id":1,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":1}}"#) == .subscribed(id: 1, channel: "orderbook_delta", sid: 1))
        #expect(try decode(#"{"id":123,"sid":456,"seq":222,"type":"ok","msg":{"market_tickers":["A","B"]}}"#) == .ok(id: 123, sid: 456, marketTickers: ["A", "B"]))
        #expect(try decode(#"{"id":102,"sid":2,"seq":7,"type":"unsubscribed"}"#) == .unsubscribed(id: 102, sid: 2))
        #expect(try decode(#"{"id":3,"type":"error","msg":{"code":6,"msg":"Already subscribed"}}"#) == .error(id: 3, code: 6, message: "Already subscribed"))
    }

    @Test("orderbook snapshot (with `_fp` keys, a side may be absent) and delta")
    func books() throws {
        guard case .orderbookSnapshot(let sid, let seq, let s) = try decode(#"{"type":"orderbook_snapshot","sid":2,"seq":2,"msg":{"market_ticker":"FED-23DEC-T3.00","market_id":"9b0f","yes_dollars_fp":[["0.0800","300.00"],["0.2200","333.00"]]}}"#)
        else { Issue.record("not a snapshot"); return }
        #expect(sid == 2 && seq == 2 && s.yesDollarsFp?.count == 2 && s.noDollarsFp == nil)
        guard case .orderbookDelta(_, let dseq, let d) = try decode(#"{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"M","price_dollars":"0.960","delta_fp":"-54.00","side":"yes","ts_ms":1}}"#)
        else { Issue.record("not a delta"); return }
        #expect(dseq == 3 && d.priceDollars == Dollars(cents: 96) && d.deltaFp == Contracts(whole: -54) && d.side == .yes)
        // Numbers instead of strings are read exactly.
        guard case .orderbookDelta(_, _, let n) = try decode(#"{"type":"orderbook_delta","sid":2,"seq":4,"msg":{"market_ticker":"M","price_dollars":0.96,"delta_fp":2.5,"side":"no"}}"#)
        else { Issue.record("not a delta"); return }
        #expect(n.priceDollars == Dollars(cents: 96) && n.deltaFp == Contracts("2.5"))
    }

    @Test("ticker, trade, fill, user_order, market_position, lifecycle, unknown types")
    func channels() throws {
        guard case .ticker(_, let t) = try decode(#"{"type":"ticker","sid":1,"msg":{"market_ticker":"M","price_dollars":"0.48","yes_bid_dollars":"0.47","yes_ask_dollars":"0.49","dollar_volume":100,"ts_ms":5}}"#) else { Issue.record("ticker"); return }
        #expect(t.yesAskDollars == Dollars(cents: 49) && t.dollarVolume == 100)
        guard case .trade(_, let tr) = try decode(#"{"type":"trade","sid":1,"msg":{"trade_id":"t","market_ticker":"M","yes_price_dollars":"0.48","count_fp":"3.00","taker_outcome_side":"yes","taker_book_side":"bid"}}"#) else { Issue.record("trade"); return }
        #expect(tr.countFp == Contracts(whole: 3) && tr.takerBookSide == .bid)
        guard case .fill(_, let f) = try decode(#"{"type":"fill","sid":1,"msg":{"order_id":"o","market_ticker":"M","count_fp":"1.00","fee_cost":"0.0100","post_position_fp":"4.00","outcome_side":"yes","book_side":"bid"}}"#) else { Issue.record("fill"); return }
        #expect(f.postPositionFp == Contracts(whole: 4) && f.feeCost == Dollars(cents: 1))
        guard case .userOrder(_, let o) = try decode(#"{"type":"user_order","sid":1,"msg":{"order_id":"o","ticker":"M","status":"executed","remaining_count_fp":"0.00","client_order_id":"c"}}"#) else { Issue.record("user_order"); return }
        #expect(o.status == .executed && o.clientOrderId == "c")
        guard case .marketPosition(_, let p) = try decode(#"{"type":"market_position","sid":1,"msg":{"market_ticker":"M","position_fp":"-2.00","position_cost_dollars":"1.1000"}}"#) else { Issue.record("position"); return }
        #expect(p.positionFp == Contracts(whole: -2))
        guard case .marketLifecycle(_, let l) = try decode(#"{"type":"market_lifecycle_v2","sid":1,"msg":{"event_type":"determined","market_ticker":"M","result":"yes","settlement_value":"1.0000","determination_ts":9}}"#) else { Issue.record("lifecycle"); return }
        #expect(l.eventType == "determined" && l.result == .yes && l.settlementValue == Dollars(cents: 100))
        #expect(try decode(#"{"type":"cfbenchmarks_value","sid":1,"msg":{}}"#) == .unknown(type: "cfbenchmarks_value"))
        #expect(throws: KalshiError.self) { try decode("not json") }
    }

    @Test("commands encode as Kalshi expects")
    func commands() throws {
        #expect(try StreamCommand.subscribe(id: 1, channels: [.orderbookDelta], marketTickers: ["M"]).text()
            == #"{"cmd":"subscribe","id":1,"params":{"channels":["orderbook_delta"],"market_tickers":["M"]}}"#)
        #expect(try StreamCommand.updateSubscription(id: 2, sid: 1, action: "get_snapshot", marketTickers: ["M"]).text()
            == #"{"cmd":"update_subscription","id":2,"params":{"action":"get_snapshot","market_tickers":["M"],"sid":1}}"#)
        #expect(try StreamCommand.unsubscribe(id: 3, sids: [1, 2]).text() == #"{"cmd":"unsubscribe","id":3,"params":{"sids":[1,2]}}"#)
    }
}
