import BusWire
import Money
import TradeManager
import TradingWire
import Testing

@Suite("trade-manager TradeBook: partial fills and venue fills")
struct TradeBookFillTests {
    @Test("a partial entry opens with the filled count")
    func partialEntry() throws {
        var book = TradeBook()
        _ = book.apply(intent: TM.entry("T1"), now: TM.t0)
        _ = book.apply(event: TM.answer("T1", .partiallyFilled, order: "O1", filled: 6, price: "0.50", fees: "0.11"), now: TM.at(1))
        let t = try #require(book["T1"])
        #expect(t.status == .open && t.count == TM.n(6) && t.requestedCount == TM.n(10) && t.entryPrice == TM.d("0.50"))
    }

    @Test("a partial close splits the closed part off as its own closed trade; the parts add up to the whole")
    func partialClose() throws {
        var book = TradeBook()
        TM.openBook(count: 6, price: "0.50", fees: "0.11", into: &book)
        _ = book.apply(intent: TM.close("K1", trade: "T1", count: 6), now: TM.at(60))
        let c = book.apply(event: TM.answer("K1", .partiallyFilled, purpose: .close, trade: "T1", order: "OC1", filled: 2,
                                            price: "0.45", fees: "0.04", side: .no, requested: 6), now: TM.at(61))
        #expect(c.transitions.count == 2 && c.hasFinal)
        let part = try #require(book["T1#K1"])
        // The part: 2 contracts, entry cost 3.00 × 2/6 = 1.00, entry fees 0.11 × 2/6 = 0.036666 (toward zero).
        #expect(part.status == .closed && part.count == TM.n(2) && part.entryFees == Dollars(micros: 36_666))
        #expect(part.closePrice == TM.d("0.45") && part.exitValue == TM.d("0.55") && part.closeFees == TM.d("0.04"))
        // 2 × 0.55 − 1.00 − 0.036666 − 0.04
        #expect(part.pnl == Dollars(micros: 23_334) && part.result == .win)
        var t = try #require(book["T1"])
        #expect(t.status == .open && t.count == TM.n(4) && t.entryFees == Dollars(micros: 73_334) && t.entryPrice == TM.d("0.50"))
        #expect(book.openTrades.map(\.id) == ["T1"])
        // A replay of the partial answer changes nothing.
        #expect(book.apply(event: TM.answer("K1", .partiallyFilled, purpose: .close, trade: "T1", order: "OC1", filled: 2,
                                            price: "0.45", fees: "0.04", side: .no, requested: 6), now: TM.at(62)).isEmpty)
        _ = book.apply(intent: TM.close("K2", trade: "T1", count: 4), now: TM.at(70))
        _ = book.apply(event: TM.answer("K2", .filled, purpose: .close, trade: "T1", order: "OC2", filled: 4, price: "0.48",
                                        fees: "0.07", side: .no, requested: 4), now: TM.at(71))
        t = try #require(book["T1"])
        #expect(t.status == .closed && t.pnl == Dollars(micros: -63_334))
        // Whole trade: 6 × 1 − (0.90 + 1.92) − 3.00 − 0.22 = −0.04.
        #expect((t.pnl ?? .zero) + (part.pnl ?? .zero) == TM.d("-0.04"))
    }

    @Test("fills that arrive before the order event are kept aside and matched by order id when it arrives")
    func fillsBeforeEvent() throws {
        var book = TradeBook()
        _ = book.apply(intent: TM.entry("T1"), now: TM.t0)
        let early = book.apply(fill: TM.fill("F1", order: "O1", count: 6, price: "0.55", fee: "0.11"), now: TM.at(1))
        #expect(early.transitions.isEmpty && early.fills.first?.tradeID == nil)
        _ = book.apply(fill: TM.fill("F2", order: "O1", count: 4, price: "0.58", fee: "0.08"), now: TM.at(1))
        let c = book.apply(event: TM.answer("T1", .filled, order: "O1", filled: 10, price: "0.56", fees: "0.18"), now: TM.at(2))
        #expect(Set(c.fills.map(\.fill.fillID)) == ["F1", "F2"] && c.fills.allSatisfy { $0.tradeID == "T1" })
        let t = try #require(book["T1"])
        // The venue's fills decide: 6 × 0.55 + 4 × 0.58 = 5.62 over 10 → 0.562; fees 0.19.
        #expect(t.status == .open && t.count == TM.n(10) && t.entryPrice == TM.d("0.562") && t.entryFees == TM.d("0.19"))
    }

    @Test("venue fills correct the order event's count, price and fees; a repeated fill id changes nothing")
    func fillsCorrect() throws {
        var book = TradeBook()
        TM.openBook(into: &book)
        let f = TM.fill("F1", order: "O1", count: 10, price: "0.55", fee: "0.17")
        let c = book.apply(fill: f, now: TM.at(3))
        #expect(c.transitions.count == 1 && c.fills.first?.tradeID == "T1")
        #expect(book["T1"]?.entryPrice == TM.d("0.55") && book["T1"]?.entryFees == TM.d("0.17"))
        #expect(book.apply(fill: f, now: TM.at(4)).isEmpty)
        // A fill on the same ticker but another order never touches T1.
        _ = book.apply(fill: TM.fill("F9", order: "OTHER", count: 3, price: "0.20", fee: "0.01"), now: TM.at(5))
        #expect(book["T1"]?.count == TM.n(10))
        // Close fills correct the close too.
        _ = book.apply(intent: TM.close("C1", trade: "T1"), now: TM.at(60))
        _ = book.apply(event: TM.answer("C1", .filled, purpose: .close, trade: "T1", order: "O2", filled: 10, price: "0.30",
                                        fees: "0.15", side: .no), now: TM.at(61))
        _ = book.apply(fill: TM.fill("F3", order: "O2", count: 10, price: "0.29", fee: "0.15", side: .no), now: TM.at(62))
        // pnl = 10 × 0.71 − 5.50 − 0.17 − 0.15 = 1.28
        #expect(book["T1"]?.closePrice == TM.d("0.29") && book["T1"]?.pnl == TM.d("1.28"))
    }

    @Test("fills open a pending trade whose answer was lost, and close a closing trade once they cover it")
    func fillsResolve() throws {
        var book = TradeBook()
        _ = book.apply(intent: TM.entry("T1"), now: TM.t0)
        _ = book.apply(event: TM.answer("T1", .error, order: "O1", reason: "venue timeout"), now: TM.at(1))
        _ = book.apply(fill: TM.fill("F1", order: "O1", count: 10, price: "0.56", fee: "0.18"), now: TM.at(2))
        #expect(book["T1"]?.status == .open && book["T1"]?.count == TM.n(10))
        _ = book.apply(intent: TM.close("C1", trade: "T1"), now: TM.at(60))
        _ = book.apply(event: TM.answer("C1", .accepted, purpose: .close, trade: "T1", order: "O2", side: .no), now: TM.at(61))
        _ = book.apply(fill: TM.fill("F2", order: "O2", count: 4, price: "0.30", fee: "0.06", side: .no), now: TM.at(62))
        #expect(book["T1"]?.status == .closing)
        _ = book.apply(fill: TM.fill("F3", order: "O2", count: 6, price: "0.30", fee: "0.09", side: .no), now: TM.at(62))
        #expect(book["T1"]?.status == .closed && book["T1"]?.pnl == TM.d("1.07"))
    }
}
