import BusWire
import Money
import Testing
@testable import TradeManager
import TradingWire

@Suite("trade manager: trades never get stuck waiting for an answer")
struct TradeBookStuckTests {
    @Test("a closing trade with no answer is probed after stuck_after, once per period; the executor's refusal reopens it")
    func closing() throws {
        var book = TradeBook()
        TM.openBook(into: &book)
        _ = book.apply(intent: TM.close("C1", trade: "T1"), now: TM.at(10))
        #expect(book["T1"]?.status == .closing)
        #expect(book.probes(now: TM.at(69), after: 60).isEmpty)
        let probe = try #require(book.probes(now: TM.at(70), after: 60).first)
        #expect(probe.key == "C1" && probe.purpose == .close && probe.tradeID == "T1" && probe.side == .no && probe.count == TM.n(10))
        #expect(probe.expiresTs == TradeBook.probeExpiry && probe.source == TradeBook.probeSource && probe.method == "probe")
        #expect(book.probes(now: TM.at(100), after: 60).isEmpty && book.probes(now: TM.at(130), after: 60).count == 1)
        // The trade book sees its own probe on the bus: nothing changes.
        #expect(book.apply(intent: probe, now: TM.at(130)).transitions.isEmpty)
        // The executor never received C1: it refuses the probe as stale, and the trade is open again.
        var answer = TM.answer("C1", .rejected, purpose: .close, trade: "T1", order: nil, side: .no, reason: "the intent expired at 1")
        answer.source = TradeBook.probeSource
        _ = book.apply(event: answer, now: TM.at(131))
        #expect(book["T1"]?.status == .open && book.probes(now: TM.at(500), after: 60).isEmpty)
    }

    @Test("a pending entry the executor never received ends rejected and leaves the open list; error trades are final")
    func pending() throws {
        var book = TradeBook()
        _ = book.apply(intent: TM.entry("E1"), now: TM.t0)
        let probe = try #require(book.probes(now: TM.at(61), after: 60).first)
        #expect(probe.key == "E1" && probe.purpose == .entry && probe.side == .yes && probe.count == TM.n(10))
        _ = book.apply(event: TM.answer("E1", .rejected, order: nil, reason: "the intent expired at 1"), now: TM.at(62))
        #expect(book["E1"]?.status == .rejected && book.openTrades.isEmpty)

        _ = book.apply(intent: TM.entry("E2"), now: TM.at(100))
        _ = book.settleMarket(ticker: TM.ticker, result: "yes", ts: TM.closeTs, now: TM.at(120))
        #expect(book["E2"]?.status == .error && book["E2"]?.note?.contains("unknown") == true && book.openTrades.isEmpty)
        // A late answer still brings it back.
        _ = book.apply(event: TM.answer("E2", .filled, order: "O9", filled: 10, price: "0.50", fees: "0.18"), now: TM.at(130))
        #expect(book["E2"]?.status != .error && book["E2"]?.count == TM.n(10))
    }
}
