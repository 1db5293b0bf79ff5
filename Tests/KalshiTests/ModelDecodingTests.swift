import Foundation
import Kalshi
import Money
import Testing

@Suite("Wire models")
struct ModelDecodingTests {
    func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try KalshiJSON.decoder().decode(type, from: Data(text.utf8))
    }

    @Test("a market decodes exact prices, counts, strike and times, ignoring unknown fields")
    func market() throws {
        let m = try decode(Market.self, FakeKalshiServer.marketJSON("106249.99"))
        #expect(m.ticker == "KXBTCD-25MAY1522-T106249.99")
        #expect(m.floorStrike == Dollars("106249.99"))
        #expect(m.strikeType == .greater && m.status == .active && m.result == .undetermined)
        #expect(m.yesBidDollars == Dollars(cents: 42) && m.yesAskDollars == Dollars(cents: 44))
        #expect(m.yesAskSizeFp == Contracts("5.50") && m.volumeFp == Contracts(whole: 1234))
        #expect(m.closeTime == Date(timeIntervalSince1970: 1_747_360_800))
        #expect(m.createdTime.map { abs($0.timeIntervalSince1970 - 1_747_339_317.529868) < 0.001 } == true)
        #expect(m.priceRanges?.first?.step == Dollars(cents: 1))
    }

    @Test("a market with only a ticker decodes; nulls are nil; unknown enum values are kept")
    func sparseMarket() throws {
        let m = try decode(Market.self, #"{"ticker":"X","floor_strike":null,"status":"brand_new_status","yes_bid_dollars":null}"#)
        #expect(m.floorStrike == nil && m.yesBidDollars == nil && m.closeTime == nil)
        #expect(m.status?.rawValue == "brand_new_status")
    }

    @Test("money that arrives as a JSON number is read from its digits, never a float")
    func numbersAsMoney() throws {
        let m = try decode(Market.self, #"{"ticker":"X","floor_strike":77999.99,"yes_bid_dollars":0.1,"volume_fp":3}"#)
        #expect(m.floorStrike?.micros == 77_999_990_000)
        #expect(m.yesBidDollars?.micros == 100_000)
        #expect(m.volumeFp == Contracts(whole: 3))
        #expect(throws: (any Error).self) { try decode(Market.self, #"{"ticker":"X","yes_bid_dollars":"abc"}"#) }
    }

    @Test("an orderbook's string levels decode; best bids are the highest, the YES ask is 1 − best NO bid")
    func orderbook() throws {
        let r = try decode(OrderbookResponse.self, #"{"orderbook_fp":{"yes_dollars":[["0.4000","10.00"],["0.4200","13.00"]],"no_dollars":[["0.5600","7.50"]]}}"#)
        #expect(r.book.yes.count == 2 && r.book.bestYesBid == PriceLevel(price: Dollars(cents: 42), count: Contracts(whole: 13)))
        #expect(r.book.bestYesAsk == PriceLevel(price: Dollars(cents: 44), count: Contracts("7.50")!))
        let empty = try decode(OrderbookResponse.self, #"{"orderbook_fp":{}}"#)
        #expect(empty.book.yes.isEmpty && empty.book.bestYesAsk == nil)
    }

    @Test("an event carries nested markets; exchange status and series decode")
    func eventAndStatus() throws {
        let e = try decode(Event.self, #"{"event_ticker":"E","series_ticker":"KXBTCD","markets":[\#(FakeKalshiServer.marketJSON("1.5"))],"available_on_brokers":false}"#)
        #expect(e.markets?.first?.floorStrike == Dollars("1.5"))
        let s = try decode(ExchangeStatus.self, #"{"exchange_active":true,"trading_active":false,"exchange_index_statuses":[{"exchange_index":2,"trading_active":true}]}"#)
        #expect(s.exchangeActive && !s.tradingActive && s.exchangeIndexStatuses?.first?.exchangeIndex == 2)
        let series = try decode(SeriesResponse.self, #"{"series":{"ticker":"KXBTCD","fee_multiplier":0.5,"fee_type":"quadratic"}}"#)
        #expect(series.series.feeMultiplier == Decimal(string: "0.5"))
    }

    @Test("balance in cents, positions, fills, settlements and orders decode")
    func portfolio() throws {
        let b = try decode(Balance.self, #"{"balance":123456,"portfolio_value":5000,"updated_ts":1}"#)
        #expect(b.available == Dollars(cents: 123_456))
        let b2 = try decode(Balance.self, #"{"balance":123456,"balance_dollars":"1234.5678"}"#)
        #expect(b2.available == Dollars("1234.5678"))
        let p = try decode(PositionsPage.self, #"{"market_positions":[{"ticker":"T","position_fp":"-3.00","last_updated_ts":"2025-05-16T01:10:00Z"}],"event_positions":[],"cursor":null}"#)
        #expect(p.items.first?.positionFp == Contracts(whole: -3) && p.nextCursor == nil)
        let f = try decode(Fill.self, #"{"order_id":"o","count_fp":"1.00","fee_cost":"0.0200","outcome_side":"no","book_side":"ask"}"#)
        #expect(f.feeCost == Dollars(cents: 2) && f.outcomeSide == .no && f.bookSide == .ask)
        let s = try decode(Settlement.self, #"{"ticker":"T","market_result":"yes","revenue":300,"yes_count_fp":"3.00"}"#)
        #expect(s.revenue == 300 && s.marketResult == .yes)
        let o = try decode(Order.self, FakeKalshiServer.orderJSON(["order_id": "1", "client_order_id": "c", "ticker": "T", "side": "bid", "price": "0.4200", "count": "5.00"]))
        #expect(o.status == .resting && o.bookSide == .bid && o.remainingCountFp == Contracts(whole: 5))
    }

    @Test("a V2 create request encodes string prices and counts in snake_case, leaving out nil options")
    func createRequest() throws {
        var r = CreateOrderRequest(ticker: "T", side: .bid, count: Contracts(whole: 5), price: Dollars(cents: 42), clientOrderId: "c-1")
        r.postOnly = true
        let text = String(decoding: try KalshiJSON.encoder().encode(r), as: UTF8.self)
        #expect(text == #"{"client_order_id":"c-1","count":"5.00","post_only":true,"price":"0.4200","self_trade_prevention_type":"taker_at_cross","side":"bid","ticker":"T","time_in_force":"good_till_canceled"}"#)
    }

    @Test("V2 create, cancel and batch answers decode, with per-item errors")
    func writeResponses() throws {
        let c = try decode(CreateOrderResponse.self, #"{"order_id":"o","client_order_id":"c","fill_count":"0.00","remaining_count":"5.00","ts_ms":1789000000123}"#)
        #expect(c.remainingCount == Contracts(whole: 5) && c.tsMs == 1_789_000_000_123)
        let x = try decode(CancelOrderResponse.self, #"{"order_id":"o","reduced_by":"5.00","ts_ms":1}"#)
        #expect(x.reducedBy == Contracts(whole: 5))
        let b = try decode(BatchCreateResponse.self, #"{"orders":[{"order_id":"a","error":null},{"error":{"code":"invalid_order"}}]}"#)
        #expect(b.orders[0].error == nil && b.orders[1].error?.code == "invalid_order")
    }
}
