import BusWire
import Money
import TradeManager
import TradingWire
import Testing

/// Venue orders for the adoption tests.
enum Venue {
    /// A `venue.order` as account-sync publishes it (the system only buys: a close buys the opposite side).
    static func order(_ id: String, client: String?, status: String = "executed", filled: Int64, remaining: Int64 = 0,
                      side: TradeSide = .yes, action: String = "buy", price: String = "0.56",
                      ticker: String = TM.ticker) -> VenueOrderUpdate {
        VenueOrderUpdate(orderID: id, clientOrderID: client, ticker: ticker, side: side, action: action, status: status,
                         filledCount: TM.n(filled), remainingCount: TM.n(remaining), price: TM.d(price), ts: TM.closeTs - 1_700)
    }
}

@Suite("trade-manager TradeBook: adopting venue orders whose intent and answer were missed")
struct TradeBookAdoptionTests {
    static let key = "ae-KXBTCD-26DEC0114-91249_99-yes-1796149800000"

    @Test("the event and the strike come from the market ticker")
    func tickerParts() {
        #expect(TradeBook.eventTicker(ofMarket: "KXBTCD-25MAY1522-T106249.99") == "KXBTCD-25MAY1522")
        #expect(TradeBook.strike(ofMarket: "KXBTCD-25MAY1522-T106249.99") == TM.d("106249.99"))
        #expect(TradeBook.strike(ofMarket: "KXBTCD-25MAY1522-B106250") == nil)
    }

    @Test("an order without a client_order_id was not placed by rec.io: reported once, not adopted, unless configured")
    func foreign() {
        var book = TradeBook()
        let first = book.apply(venueOrder: Venue.order("X1", client: nil, filled: 3), now: TM.at(5))
        #expect(first.transitions.isEmpty && first.warnings.count == 1 && first.warnings.first?.contains("no client_order_id") == true)
        #expect(book.apply(venueOrder: Venue.order("X1", client: nil, filled: 3), now: TM.at(6)).warnings.isEmpty)
        #expect(book.openTrades.isEmpty)
        var adopting = TradeBook()
        adopting.adoptForeignOrders = true
        #expect(adopting.apply(venueOrder: Venue.order("X1", client: nil, filled: 3), now: TM.at(5)).transitions.count == 1)
        #expect(adopting["X1"]?.count == TM.n(3))
    }

    @Test("order first: an unknown buy becomes a trade (id = client order id) at the order's price; its fills then correct it")
    func orderThenFills() throws {
        var book = TradeBook()
        let c = book.apply(venueOrder: Venue.order("O1", client: Self.key, filled: 10), now: TM.at(5))
        #expect(c.transitions.map(\.trade.id) == [Self.key] && c.transitions.first?.previous == nil)
        var t = try #require(book[Self.key])
        #expect(t.status == .open && t.ticker == TM.ticker && t.eventTicker == TM.event && t.strike == TM.d("91249.99"))
        #expect(t.side == .yes && t.count == TM.n(10) && t.entryPrice == TM.d("0.56") && t.entryOrderID == "O1")
        #expect(t.strategy == "unknown" && t.note == TradeBook.adoptedNote && t.closeTs == TM.closeTs)
        #expect(t.enteredTs == TM.closeTs - 1_700)
        // Fewer fills than the order says: not all arrived yet, the numbers stand.
        _ = book.apply(fill: TM.fill("F1", order: "O1", count: 6, price: "0.55", fee: "0.10"), now: TM.at(6))
        #expect(book[Self.key]?.entryPrice == TM.d("0.56"))
        let last = book.apply(fill: TM.fill("F2", order: "O1", count: 4, price: "0.57", fee: "0.08"), now: TM.at(7))
        #expect(last.fills.map(\.tradeID) == [Self.key])
        t = try #require(book[Self.key])
        // (6 × 0.55 + 4 × 0.57) / 10 = 0.558
        #expect(t.count == TM.n(10) && t.entryPrice == TM.d("0.558") && t.entryFees == TM.d("0.18") && t.status == .open)
        #expect(t.note == TradeBook.adoptedNote && book.trades.count == 1)
    }

    @Test("fills first: they wait with no trade, and the order adopts them")
    func fillsThenOrder() throws {
        var book = TradeBook()
        let f = book.apply(fill: TM.fill("F1", order: "O1", count: 10, price: "0.55", fee: "0.18"), now: TM.at(5))
        #expect(f.transitions.isEmpty && f.fills.map(\.tradeID) == [nil] && book.trades.isEmpty)
        let c = book.apply(venueOrder: Venue.order("O1", client: Self.key, filled: 10), now: TM.at(6))
        #expect(c.fills.map(\.tradeID) == [Self.key] && c.fills.map(\.fill.fillID) == ["F1"])
        let t = try #require(book[Self.key])
        #expect(t.status == .open && t.count == TM.n(10) && t.entryPrice == TM.d("0.55") && t.entryFees == TM.d("0.18"))
        #expect(t.note == TradeBook.adoptedNote)
    }

    @Test("a resting order that filled nothing waits; its first fill adopts it. A cancelled one that filled nothing creates nothing")
    func restingAndCancelled() throws {
        var book = TradeBook()
        #expect(book.apply(venueOrder: Venue.order("O1", client: "K1", status: "resting", filled: 0, remaining: 10), now: TM.at(1)).isEmpty)
        #expect(book.trades.isEmpty)
        let c = book.apply(fill: TM.fill("F1", order: "O1", count: 10, price: "0.55", fee: "0.18"), now: TM.at(2))
        #expect(c.fills.map(\.tradeID) == ["K1"] && c.transitions.map(\.trade.id) == ["K1"])
        #expect(book["K1"]?.status == .open && book["K1"]?.count == TM.n(10) && book["K1"]?.requestedCount == TM.n(10))

        var other = TradeBook()
        #expect(other.apply(venueOrder: Venue.order("O9", client: "K9", status: "canceled", filled: 0), now: TM.at(1)).isEmpty)
        #expect(other.apply(fill: TM.fill("F9", order: "O8", count: 1, price: "0.5", fee: nil), now: TM.at(2)).transitions.isEmpty)
        #expect(other.trades.isEmpty)
    }

    @Test("replays of the adopted order and its fills change nothing, before and after a restart")
    func replays() throws {
        var book = TradeBook()
        _ = book.apply(venueOrder: Venue.order("O1", client: Self.key, filled: 10), now: TM.at(5))
        _ = book.apply(fill: TM.fill("F1", order: "O1", count: 10, price: "0.55", fee: "0.18"), now: TM.at(6))
        let adopted = try #require(book.trades[Self.key])
        for i in 0..<3 {
            #expect(book.apply(venueOrder: Venue.order("O1", client: Self.key, filled: 10), now: TM.at(10 + Int64(i))).isEmpty)
            #expect(book.apply(fill: TM.fill("F1", order: "O1", count: 10, price: "0.55", fee: "0.18"), now: TM.at(10)).isEmpty)
        }
        #expect(book.trades[Self.key] == adopted && book.trades.count == 1)
        var restarted = TradeBook(trades: Array(book.trades.values), fills: Array(book.fills.values))
        #expect(restarted.apply(venueOrder: Venue.order("O1", client: Self.key, filled: 10), now: TM.at(20)).isEmpty)
        #expect(restarted.apply(fill: TM.fill("F1", order: "O1", count: 10, price: "0.55", fee: "0.18"), now: TM.at(20)).isEmpty)
        #expect(restarted.trades.count == 1 && restarted[Self.key] == adopted.record)
    }

    @Test("a late intent merges into the adopted trade (same id = key); a late answer and repeats change nothing")
    func lateIntentAndAnswer() throws {
        var book = TradeBook()
        _ = book.apply(venueOrder: Venue.order("O1", client: Self.key, filled: 10), now: TM.at(5))
        _ = book.apply(fill: TM.fill("F1", order: "O1", count: 10, price: "0.55", fee: "0.18"), now: TM.at(6))
        let before = try #require(book[Self.key])
        let merged = book.apply(intent: TM.entry(Self.key), now: TM.at(7))
        #expect(merged.transitions.map(\.trade.id) == [Self.key] && merged.transitions.first?.previous == .open)
        let t = try #require(book[Self.key])
        #expect(book.trades.count == 1 && t.status == .open)
        #expect(t.strategy == "Hourly HTC" && t.entryMethod == "auto" && t.probability == 0.9 && t.edge == TM.d("0.04"))
        #expect(t.btcAtEntry == TM.d("91500") && t.momentum == 3 && t.enteredTs == TM.t0.microseconds / 1_000_000)
        #expect(t.count == before.count && t.entryPrice == before.entryPrice && t.entryFees == before.entryFees)
        #expect(t.entryOrderID == "O1" && t.note != TradeBook.adoptedNote)
        #expect(book.apply(intent: TM.entry(Self.key), now: TM.at(8)).isEmpty)
        let answer = TM.answer(Self.key, .filled, order: "O1", filled: 10, price: "0.58", fees: "0.20")
        #expect(book.apply(event: answer, now: TM.at(9)).isEmpty)
        #expect(book.trades.count == 1 && book[Self.key]?.entryPrice == TM.d("0.55"))
    }

    @Test("an unknown buy of the opposite side closes the one open trade on the market; late close intent and answer merge")
    func unknownClose() throws {
        var book = TradeBook()
        TM.openBook(into: &book)  // T1: 10 YES at 0.56, fees 0.18, entry order O1
        let c = book.apply(venueOrder: Venue.order("O2", client: "sv-stop-x", filled: 10, side: .no, price: "0.30"), now: TM.at(60))
        #expect(c.transitions.map(\.trade.id) == ["T1"] && c.transitions.first?.previous == .open)
        var t = try #require(book["T1"])
        // Closing until its fills give the numbers (never closed at the order's limit price).
        #expect(t.status == .closing && t.closeOrderID == "O2" && t.closeMethod == "unknown" && book.trades.count == 1)
        #expect(book.trades["T1"]?.closeKey == "sv-stop-x")
        // 10 − 3.00 − 5.60 − 0.18 − 0.15.
        let f = book.apply(fill: TM.fill("F2", order: "O2", count: 10, price: "0.30", fee: "0.15", side: .no), now: TM.at(61))
        #expect(f.fills.map(\.tradeID) == ["T1"])
        t = try #require(book["T1"])
        #expect(t.status == .closed && t.closePrice == TM.d("0.30") && t.pnl == TM.d("1.07") && t.closeFees == TM.d("0.15"))
        // Late: the close intent gives its method; its answer and every replay change nothing.
        _ = book.apply(intent: TM.close("sv-stop-x", trade: "T1"), now: TM.at(62))
        #expect(book["T1"]?.closeMethod == "auto-stop" && book["T1"]?.status == .closed)
        #expect(book.apply(event: TM.answer("sv-stop-x", .filled, purpose: .close, trade: "T1", order: "O2", filled: 10, price: "0.31",
                                            fees: "0.16", side: .no), now: TM.at(63)).isEmpty)
        #expect(book.apply(venueOrder: Venue.order("O2", client: "sv-stop-x", filled: 10, side: .no, price: "0.30"), now: TM.at(64)).isEmpty)
        #expect(book.apply(fill: TM.fill("F2", order: "O2", count: 10, price: "0.30", fee: "0.15", side: .no), now: TM.at(64)).isEmpty)
        #expect(book.trades.count == 1 && book["T1"]?.pnl == TM.d("1.07"))
        // A late entry intent or answer with that key makes no second trade.
        let late = book.apply(intent: TM.entry("sv-stop-x", side: .no), now: TM.at(65))
        #expect(late.isEmpty && !late.warnings.isEmpty && book.trades.count == 1)
        #expect(book.apply(event: TM.answer("sv-stop-x", .filled, order: "O2", filled: 10, price: "0.30", side: .no), now: TM.at(66))
            .transitions.isEmpty)
        #expect(book.trades.count == 1)
    }

    @Test("an unknown close that bought part of the trade splits the closed part off, as the executor's answer would")
    func unknownPartialClose() throws {
        var book = TradeBook()
        TM.openBook(count: 6, price: "0.50", fees: "0.12", into: &book)
        _ = book.apply(fill: TM.fill("F2", order: "O2", count: 3, price: "0.44", fee: "0.05", side: .no), now: TM.at(60))
        _ = book.apply(venueOrder: Venue.order("O2", client: "K2", status: "canceled", filled: 3, side: .no, price: "0.45"), now: TM.at(61))
        let part = try #require(book["T1#K2"])
        #expect(part.status == .closed && part.count == TM.n(3) && part.closePrice == TM.d("0.44") && part.pnl == TM.d("0.07"))
        #expect(book["T1"]?.status == .open && book["T1"]?.count == TM.n(3) && book["T1"]?.closeOrderID == nil)
        #expect(book.apply(venueOrder: Venue.order("O2", client: "K2", status: "canceled", filled: 3, side: .no, price: "0.45"),
                           now: TM.at(62)).isEmpty)
        #expect(book.trades.count == 2)
    }

    @Test("an unknown close that could close two trades is left alone and noted; a sell of what no trade holds too")
    func ambiguousClose() throws {
        var book = TradeBook()
        TM.openBook("T1", count: 5, order: "O1", into: &book)
        TM.openBook("T2", count: 5, order: "O2", into: &book)
        let c = book.apply(venueOrder: Venue.order("O3", client: "K3", filled: 5, side: .no, price: "0.30"), now: TM.at(60))
        #expect(!c.warnings.isEmpty && Set(c.transitions.map(\.trade.id)) == ["T1", "T2"])
        #expect(book["T1"]?.status == .open && book["T2"]?.status == .open && book.trades.count == 2)
        #expect(book["T1"]?.note?.contains("O3") == true)
        let again = book.apply(venueOrder: Venue.order("O3", client: "K3", filled: 5, side: .no, price: "0.30"), now: TM.at(61))
        #expect(again.isEmpty && book.trades.count == 2)
        let sell = book.apply(venueOrder: Venue.order("O4", client: "K4", filled: 5, side: .no, action: "sell"), now: TM.at(62))
        #expect(sell.isEmpty && !sell.warnings.isEmpty && book.trades.count == 2)
    }

    @Test("only the book's series is adopted")
    func otherSeries() {
        var book = TradeBook()
        book.adoptedSeries = "KXBTCD"
        let eth = Venue.order("O1", client: "K1", filled: 3, ticker: "KXETHD-26DEC0114-T3999.99")
        #expect(book.apply(venueOrder: eth, now: TM.at(1)).isEmpty && book.trades.isEmpty)
        _ = book.apply(venueOrder: Venue.order("O2", client: "K2", filled: 3), now: TM.at(2))
        #expect(book["K2"]?.status == .open)
    }

    @Test("a sell of the same side closes the one open trade holding it")
    func sellCloses() throws {
        var book = TradeBook()
        TM.openBook(into: &book)
        // Selling 10 YES at 0.70 is buying 10 NO at 0.30: 10 − 3.00 − 5.60 − 0.18 − 0.15.
        _ = book.apply(venueOrder: Venue.order("O2", client: "K2", filled: 10, side: .yes, action: "sell", price: "0.70"), now: TM.at(60))
        #expect(book["T1"]?.status == .closing && book.trades.count == 1)
        _ = book.apply(fill: TM.fill("F2", order: "O2", count: 10, price: "0.70", fee: "0.15", side: .yes, action: "sell"), now: TM.at(61))
        #expect(book["T1"]?.status == .closed && book["T1"]?.closePrice == TM.d("0.30") && book["T1"]?.pnl == TM.d("1.07"))
        #expect(book.fills["F2"]?.fill.side == .no)
    }

    @Test("an unknown buy of the side an open trade holds is a second trade, not a close")
    func sameSideIsEntry() throws {
        var book = TradeBook()
        TM.openBook(into: &book)
        _ = book.apply(venueOrder: Venue.order("O2", client: "K2", filled: 4, side: .yes), now: TM.at(60))
        #expect(book["T1"]?.status == .open && book["K2"]?.status == .open && book["K2"]?.count == TM.n(4))
    }

    @Test("a pending trade whose answer was missed learns its order id from the venue order and opens from its fills")
    func pendingOpensFromFills() throws {
        var book = TradeBook()
        _ = book.apply(intent: TM.entry("T1"), now: TM.t0)
        _ = book.apply(venueOrder: Venue.order("O1", client: "T1", filled: 10), now: TM.at(2))
        #expect(book["T1"]?.status == .pending && book["T1"]?.entryOrderID == "O1")  // never at the order's limit price
        _ = book.apply(fill: TM.fill("F1", order: "O1", count: 10, price: "0.55", fee: "0.18"), now: TM.at(3))
        #expect(book["T1"]?.status == .open && book["T1"]?.entryPrice == TM.d("0.55") && book["T1"]?.entryFees == TM.d("0.18"))
        #expect(book["T1"]?.strategy == "Hourly HTC" && book.trades.count == 1)
    }

    @Test("a close in flight whose answer was missed: the final venue order answers it once its fills cover it, partly too")
    func closingAnsweredByOrder() throws {
        var book = TradeBook()
        TM.openBook(count: 6, price: "0.50", fees: "0.12", into: &book)
        _ = book.apply(intent: TM.close("K1", trade: "T1", count: 6), now: TM.at(60))
        _ = book.apply(venueOrder: Venue.order("OC1", client: "K1", status: "canceled", filled: 3, side: .no, price: "0.45"), now: TM.at(61))
        #expect(book["T1"]?.status == .closing && book["T1"]?.closeOrderID == "OC1")  // waits for the fills
        let c = book.apply(fill: TM.fill("F1", order: "OC1", count: 3, price: "0.44", fee: "0.05", side: .no), now: TM.at(62))
        #expect(Set(c.transitions.map(\.trade.id)) == ["T1", "T1#K1"] && c.fills.last?.tradeID == "T1#K1")
        #expect(book.fills["F1"]?.tradeID == "T1#K1")  // the fill belongs to the part it closed
        #expect(book["T1#K1"]?.status == .closed && book["T1#K1"]?.pnl == TM.d("0.07"))
        #expect(book["T1"]?.status == .open && book["T1"]?.count == TM.n(3))
        // The executor's late answer and replays change nothing.
        #expect(book.apply(event: TM.answer("K1", .partiallyFilled, purpose: .close, trade: "T1", order: "OC1", filled: 3,
                                            price: "0.45", fees: "0.06", side: .no, requested: 6), now: TM.at(63)).isEmpty)
        #expect(book.apply(venueOrder: Venue.order("OC1", client: "K1", status: "canceled", filled: 3, side: .no, price: "0.45"),
                           now: TM.at(64)).isEmpty)
        #expect(book.trades.count == 2)
    }

    @Test("a close in flight the venue cancelled with nothing filled goes back to open")
    func closingCancelledAtVenue() throws {
        var book = TradeBook()
        TM.openBook(into: &book)
        _ = book.apply(intent: TM.close("K1", trade: "T1"), now: TM.at(60))
        _ = book.apply(venueOrder: Venue.order("OC1", client: "K1", status: "canceled", filled: 0, side: .no), now: TM.at(61))
        #expect(book["T1"]?.status == .open && book["T1"]?.closeOrderID == nil)
    }
}
