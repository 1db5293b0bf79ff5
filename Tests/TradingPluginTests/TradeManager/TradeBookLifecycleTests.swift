import BusWire
import Money
import TradeManager
import TradingWire
import Testing

@Suite("trade-manager TradeBook: entry and close lifecycle")
struct TradeBookLifecycleTests {
    @Test("intent → pending (id = key, close from the ticker); repeats change nothing")
    func pendingAndIdempotentIntent() throws {
        var book = TradeBook()
        book.observe(btc: TM.d("91400"))
        let c = book.apply(intent: TM.entry("T1"), now: TM.t0)
        #expect(c.transitions.count == 1 && c.transitions[0].previous == nil)
        let t = try #require(book["T1"])
        #expect(t.status == .pending && t.count == .zero && t.requestedCount == TM.n(10))
        #expect(t.closeTs == TM.closeTs && t.enteredTs == TM.closeTs - 1_800 && t.btcAtEntry == TM.d("91500"))
        #expect(book.apply(intent: TM.entry("T1"), now: TM.at(2)).isEmpty)
        #expect(book.openTrades.map(\.id) == ["T1"])
    }

    @Test("filled → open with count, average price and fees; close → closing → closed with exact PnL")
    func openAndClose() throws {
        var book = TradeBook()
        book.observe(btc: TM.d("91600"))
        _ = book.apply(intent: TM.entry("T1"), now: TM.t0)
        _ = book.apply(event: TM.answer("T1", .accepted, order: "O1"), now: TM.at(1))
        #expect(book["T1"]?.status == .pending && book["T1"]?.entryOrderID == "O1")
        let opened = book.apply(event: TM.answer("T1", .filled, order: "O1", filled: 10, price: "0.56", fees: "0.18"), now: TM.at(2))
        #expect(opened.transitions.first?.previous == .pending)
        var t = try #require(book["T1"])
        #expect(t.status == .open && t.count == TM.n(10) && t.entryPrice == TM.d("0.56") && t.entryFees == TM.d("0.18"))
        // A replayed answer is idempotent.
        #expect(book.apply(event: TM.answer("T1", .filled, order: "O1", filled: 10, price: "0.56", fees: "0.18"), now: TM.at(3)).isEmpty)

        _ = book.apply(intent: TM.close("C1", trade: "T1"), now: TM.at(60))
        t = try #require(book["T1"])
        #expect(t.status == .closing && t.closeMethod == "auto-stop")
        #expect(book.apply(intent: TM.close("C1", trade: "T1"), now: TM.at(61)).isEmpty)
        let closed = book.apply(event: TM.answer("C1", .filled, purpose: .close, trade: "T1", order: "O2", filled: 10,
                                                 price: "0.30", fees: "0.15", side: .no), now: TM.at(62))
        #expect(closed.hasFinal && closed.transitions.first?.previous == .closing)
        t = try #require(book["T1"])
        // exit = 1 − 0.30 = 0.70; pnl = (0.70 − 0.56) × 10 − 0.18 − 0.15 = 1.07
        #expect(t.status == .closed && t.closePrice == TM.d("0.30") && t.exitValue == TM.d("0.70") && t.closeFees == TM.d("0.15"))
        #expect(t.pnl == TM.d("1.07") && t.result == .win && t.btcAtClose == TM.d("91600") && t.finishedTs == TM.at(62).microseconds / 1_000_000)
        #expect(book.openTrades.isEmpty)
        #expect(book.apply(event: TM.answer("C1", .filled, purpose: .close, trade: "T1", order: "O2", filled: 10,
                                            price: "0.30", fees: "0.15", side: .no), now: TM.at(63)).isEmpty)
    }

    @Test("cancelled or rejected entries are kept as rejected; an error keeps the trade pending with a note")
    func rejectedAndError() throws {
        var book = TradeBook()
        _ = book.apply(intent: TM.entry("T1"), now: TM.t0)
        _ = book.apply(intent: TM.entry("T2"), now: TM.t0)
        _ = book.apply(event: TM.answer("T1", .error, order: nil, reason: "timeout"), now: TM.at(1))
        #expect(book["T1"]?.status == .pending && book["T1"]?.note?.contains("timeout") == true)
        _ = book.apply(event: TM.answer("T1", .filled, order: "O1", filled: 10, price: "0.55", fees: "0.18"), now: TM.at(5))
        #expect(book["T1"]?.status == .open && book["T1"]?.note == nil)
        let c = book.apply(event: TM.answer("T2", .cancelled, order: "O2", reason: "no liquidity at the cap"), now: TM.at(1))
        #expect(c.hasFinal)
        #expect(book["T2"]?.status == .rejected && book["T2"]?.note == "no liquidity at the cap" && book.trades.count == 2)
    }

    @Test("a cancelled close goes back to open; the trade can be closed again")
    func cancelledClose() throws {
        var book = TradeBook()
        TM.openBook(into: &book)
        _ = book.apply(intent: TM.close("C1", trade: "T1"), now: TM.at(60))
        _ = book.apply(event: TM.answer("C1", .cancelled, purpose: .close, trade: "T1", order: "O2", side: .no), now: TM.at(61))
        #expect(book["T1"]?.status == .open && book["T1"]?.closeMethod == nil && book["T1"]?.closeOrderID == nil)
        _ = book.apply(intent: TM.close("C2", trade: "T1"), now: TM.at(70))
        #expect(book["T1"]?.status == .closing)
    }

    @Test("two trades on one ticker: a close matches its own trade, settlement gives each its own value")
    func twoTradesOneTicker() throws {
        var book = TradeBook()
        TM.openBook("A", count: 10, price: "0.56", fees: "0.18", order: "OA", into: &book)
        TM.openBook("B", count: 5, price: "0.60", fees: "0.11", order: "OB", into: &book)
        TM.openBook("C", count: 4, price: "0.40", fees: "0.07", order: "OC", side: .no, into: &book)
        _ = book.apply(intent: TM.close("CA", trade: "A"), now: TM.at(60))
        _ = book.apply(event: TM.answer("CA", .filled, purpose: .close, trade: "A", order: "OA2", filled: 10, price: "0.30",
                                        fees: "0.15", side: .no), now: TM.at(61))
        #expect(book["A"]?.status == .closed && book["B"]?.status == .open && book["C"]?.status == .open)
        _ = book.expire(now: TM.at(1_800))
        #expect(book["B"]?.status == .expired && book["C"]?.status == .expired && book["A"]?.status == .closed)
        let s = book.apply(settlement: TM.settlement("yes"), now: TM.at(2_400))
        #expect(s.transitions.count == 2)
        // B (YES) wins $1 a contract: 5 − 3.00 − 0.11 = 1.89. C (NO) gets $0: 0 − 1.60 − 0.07 = −1.67.
        #expect(book["B"]?.status == .settled && book["B"]?.exitValue == TM.d("1") && book["B"]?.pnl == TM.d("1.89"))
        #expect(book["C"]?.status == .settled && book["C"]?.exitValue == .zero && book["C"]?.pnl == TM.d("-1.67"))
        #expect(book["B"]?.result == .win && book["C"]?.result == .loss)
        #expect(book["A"]?.pnl == TM.d("1.07"))
        #expect(book.apply(settlement: TM.settlement("yes"), now: TM.at(2_500)).isEmpty)
    }
}
