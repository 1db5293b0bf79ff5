import BusWire
import Money
import TradeManager
import TradingWire
import Testing

@Suite("trade-manager TradeBook: missed messages and rare outcomes")
struct TradeBookEdgeTests {
    @Test("answers whose intents were missed (the plugin was down) still open and close the trade")
    func missedIntents() throws {
        var book = TradeBook()
        _ = book.apply(event: TM.answer("T1", .filled, order: "O1", filled: 10, price: "0.56", fees: "0.18"), now: TM.at(1))
        var t = try #require(book["T1"])
        #expect(t.status == .open && t.entryMethod == "auto" && t.strategy == "unknown" && t.closeTs == TM.closeTs)
        _ = book.apply(event: TM.answer("C1", .filled, purpose: .close, trade: "T1", order: "O2", filled: 10, price: "0.30",
                                        fees: "0.15", side: .no), now: TM.at(60))
        t = try #require(book["T1"])
        #expect(t.status == .closed && t.closeMethod == "auto" && t.pnl == TM.d("1.07"))
    }

    @Test("a second close while one is in flight: a cancelled answer to either never reopens a filled close")
    func secondCloseKey() throws {
        var book = TradeBook()
        TM.openBook(into: &book)
        _ = book.apply(intent: TM.close("C1", trade: "T1"), now: TM.at(60))
        _ = book.apply(intent: TM.close("C2", trade: "T1"), now: TM.at(61))
        #expect(book["T1"]?.status == .closing)
        // C2 is answered first and fills; C1's late cancellation changes nothing.
        _ = book.apply(event: TM.answer("C2", .filled, purpose: .close, trade: "T1", order: "O3", filled: 10, price: "0.30",
                                        fees: "0.15", side: .no), now: TM.at(62))
        #expect(book["T1"]?.status == .closed && book["T1"]?.closeOrderID == "O3")
        #expect(book.apply(event: TM.answer("C1", .cancelled, purpose: .close, trade: "T1", order: "O2", side: .no), now: TM.at(63)).isEmpty)
        #expect(book["T1"]?.status == .closed)
    }

    @Test("a voided market refunds the entry: PnL is minus the fees, a loss")
    func voided() throws {
        var book = TradeBook()
        TM.openBook(into: &book)
        _ = book.apply(settlement: TM.settlement("void"), now: TM.at(2_400))
        let t = try #require(book["T1"])
        #expect(t.status == .settled && t.exitValue == TM.d("0.56") && t.pnl == TM.d("-0.18") && t.result == .loss)
    }

    @Test("the venue's close fills correct a closed part's price and fees; the trade keeps the rest")
    func partCorrected() throws {
        var book = TradeBook()
        TM.openBook(count: 6, price: "0.50", fees: "0.12", into: &book)
        _ = book.apply(intent: TM.close("K1", trade: "T1", count: 6), now: TM.at(60))
        _ = book.apply(event: TM.answer("K1", .partiallyFilled, purpose: .close, trade: "T1", order: "OC1", filled: 3,
                                        price: "0.45", fees: "0.06", side: .no, requested: 6), now: TM.at(61))
        let c = book.apply(fill: TM.fill("F1", order: "OC1", count: 3, price: "0.44", fee: "0.05", side: .no), now: TM.at(62))
        #expect(c.fills.first?.tradeID == "T1#K1" && c.transitions.map(\.trade.id) == ["T1#K1"])
        // 3 × 0.56 − 1.50 − 0.06 − 0.05
        let part = try #require(book["T1#K1"])
        #expect(part.closePrice == TM.d("0.44") && part.pnl == TM.d("0.07"))
        #expect(book["T1"]?.status == .open && book["T1"]?.count == TM.n(3) && book["T1"]?.entryFees == TM.d("0.06"))
    }
}

@Suite("trade-manager TradeBook: catching up from the venue")
struct TradeBookVenueOrderTests {
    func order(_ id: String, client: String, status: String, filled: Int64, side: TradeSide = .yes) -> VenueOrderUpdate {
        VenueOrderUpdate(orderID: id, clientOrderID: client, ticker: TM.ticker, side: side, action: "buy", status: status,
                         filledCount: TM.n(filled), remainingCount: .zero, price: TM.d("0.56"), ts: TM.closeTs - 1_700)
    }

    @Test("a missed answer: the venue order names the key, its fills then open the trade by order id")
    func learnsOrderID() throws {
        var book = TradeBook()
        _ = book.apply(intent: TM.entry("T1"), now: TM.t0)
        _ = book.apply(fill: TM.fill("F1", order: "O1", count: 10, price: "0.56", fee: "0.18"), now: TM.at(1))
        #expect(book["T1"]?.status == .pending)
        let c = book.apply(venueOrder: order("O1", client: "T1", status: "executed", filled: 10), now: TM.at(2))
        #expect(c.fills.first?.tradeID == "T1")
        #expect(book["T1"]?.status == .open && book["T1"]?.entryOrderID == "O1" && book["T1"]?.count == TM.n(10))
        #expect(book.apply(venueOrder: order("O1", client: "T1", status: "executed", filled: 10), now: TM.at(3)).isEmpty)
        // The close in flight learns its order id the same way.
        _ = book.apply(intent: TM.close("C1", trade: "T1"), now: TM.at(60))
        _ = book.apply(venueOrder: order("O2", client: "C1", status: "executed", filled: 10, side: .no), now: TM.at(61))
        _ = book.apply(fill: TM.fill("F2", order: "O2", count: 10, price: "0.30", fee: "0.15", side: .no), now: TM.at(62))
        #expect(book["T1"]?.status == .closed && book["T1"]?.pnl == TM.d("1.07"))
    }

    @Test("an entry order the venue cancelled with nothing filled rejects the pending trade")
    func cancelledAtVenue() throws {
        var book = TradeBook()
        _ = book.apply(intent: TM.entry("T1"), now: TM.t0)
        _ = book.apply(venueOrder: order("O1", client: "T1", status: "canceled", filled: 0), now: TM.at(2))
        #expect(book["T1"]?.status == .rejected)
    }
}
