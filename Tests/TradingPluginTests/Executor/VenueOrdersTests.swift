import BusWire
@testable import Executor
import Kalshi
import MarketWire
import Money
import Testing
import TradingWire

@Suite("executor: intents to V2 orders and back; paper fills")
struct VenueOrdersTests {
    let t0 = BusTime(seconds: 1_788_998_100)

    @Test("client_order_id: the key itself when valid, else a deterministic 34-character hash")
    func clientOrderID() {
        #expect(VenueOrders.clientOrderID(for: "trade-2026_01") == "trade-2026_01")
        let odd = VenueOrders.clientOrderID(for: "trade.with dots/and spaces")
        #expect(odd.hasPrefix("k-") && odd.count == 34 && odd == VenueOrders.clientOrderID(for: "trade.with dots/and spaces"))
        #expect(odd != VenueOrders.clientOrderID(for: "trade.with dots/and spaces!"))
        #expect(VenueOrders.clientOrderID(for: String(repeating: "a", count: 65)).count == 34)
    }

    @Test("a YES buy is a bid at the cap, a NO buy an ask at 1 − cap; IOC or FoK, always with a price")
    func request() {
        let yes = VenueOrders.request(for: ExecFixture.intent("y", side: .yes, count: 3, cap: 42), clientOrderID: "y")
        #expect(yes.side == .bid && yes.price == Dollars(cents: 42) && yes.count == Contracts(whole: 3))
        #expect(yes.timeInForce == .immediateOrCancel && yes.clientOrderId == "y" && yes.selfTradePreventionType == .takerAtCross)
        let no = VenueOrders.request(for: ExecFixture.intent("n", side: .no, cap: 30, tif: .fillOrKill), clientOrderID: "n")
        #expect(no.side == .ask && no.price == Dollars(cents: 70) && no.timeInForce == .fillOrKill && no.reduceOnly == nil)
        // A close is always reduce-only and immediate-or-cancel, even when it asked for fill-or-kill.
        let close = VenueOrders.order(ExecFixture.intent("c", purpose: .close, side: .no, count: 5, cap: 30, tif: .fillOrKill),
                                      count: Contracts(whole: 2))
        let sent = VenueOrders.request(for: close, clientOrderID: "c")
        #expect(sent.reduceOnly == true && sent.timeInForce == .immediateOrCancel && sent.count == Contracts(whole: 2))
    }

    @Test("a V2 answer: YES-leg average turned into the NO price, total fee from the average fee, outcome by fill")
    func response() {
        let intent = ExecFixture.intent("n", side: .no, count: 4, cap: 30)
        var r = CreateOrderResponse(orderId: "o1", clientOrderId: "n", fillCount: Contracts(whole: 3), remainingCount: .zero)
        r.averageFillPrice = Dollars(cents: 72)
        r.averageFeePaid = Dollars(micros: 13_333)
        let e = VenueOrders.event(intent, clientOrderID: "n", response: r, mode: "sim", now: t0)
        #expect(e.outcome == .partiallyFilled && e.filledCount == Contracts(whole: 3) && e.orderID == "o1")
        #expect(e.averagePrice == Dollars(cents: 28) && e.fees == Dollars(cents: 4))
        let none = VenueOrders.event(intent, clientOrderID: "n", response: CreateOrderResponse(orderId: "o2", clientOrderId: "n", fillCount: .zero,
                                                                                              remainingCount: .zero), mode: "sim", now: t0)
        #expect(none.outcome == .cancelled && none.averagePrice == nil && none.fees == nil)
    }

    @Test("venue errors: FoK refused and nothing to reduce are cancelled, other 4xx rejected with the message, 429/5xx/timeouts unknown")
    func errors() {
        let i = ExecFixture.intent("e")
        let fok = KalshiError(.http, status: 409, code: "fill_or_kill_insufficient_resting_volume", message: "no")
        #expect(VenueOrders.event(i, clientOrderID: "e", error: fok, mode: "sim", now: t0)?.outcome == .cancelled)
        // A reduce-only close with nothing to reduce: "nothing held", final, never retried.
        let flat = KalshiError(.http, status: 400, code: KalshiError.nothingToReduceCode, message: "no position to reduce")
        let nothing = VenueOrders.event(ExecFixture.intent("c", purpose: .close, side: .no), clientOrderID: "c", error: flat, mode: "sim", now: t0)
        #expect(nothing?.outcome == .cancelled && nothing?.reason?.hasPrefix("nothing held") == true)
        let poor = KalshiError(.http, status: 400, code: "insufficient_balance", message: "insufficient balance")
        let rejected = VenueOrders.event(i, clientOrderID: "e", error: poor, mode: "sim", now: t0)
        #expect(rejected?.outcome == .rejected && rejected?.reason?.contains("insufficient balance") == true)
        #expect(VenueOrders.event(i, clientOrderID: "e", error: KalshiError(.http, status: 503, message: "x"), mode: "sim", now: t0) == nil)
        #expect(VenueOrders.event(i, clientOrderID: "e", error: KalshiError(.http, status: 429, message: "x"), mode: "sim", now: t0) == nil)
        #expect(VenueOrders.event(i, clientOrderID: "e", error: KalshiError(.timeout, message: "x"), mode: "sim", now: t0) == nil)
    }

    @Test("paper: a buy at the ask when at or under the cap, up to its size; FoK all or nothing; liquidity used up")
    func paper() {
        var books = PaperBooks()
        #expect(books.fill(ExecFixture.intent("x")).fill == nil)
        books.update(MarketTopOfBook(marketTicker: ExecFixture.atm, eventTicker: ExecFixture.event, yesAsk: Dollars(cents: 55),
                                     yesAskSize: Contracts(whole: 5), noAsk: Dollars(cents: 47), noAskSize: Contracts(whole: 2), time: ""))
        #expect(books.fill(ExecFixture.intent("cap", count: 1, cap: 54)).why?.contains("above the cap") == true)
        #expect(books.fill(ExecFixture.intent("fok", count: 6, cap: 60, tif: .fillOrKill)).fill == nil)
        let ioc = books.fill(ExecFixture.intent("ioc", count: 3, cap: 55)).fill
        #expect(ioc == PaperBooks.Fill(count: Contracts(whole: 3), price: Dollars(cents: 55),
                                       fee: TakerFee.of(count: Contracts(whole: 3), price: Dollars(cents: 55))))
        #expect(books.fill(ExecFixture.intent("rest", count: 9, cap: 60)).fill?.count == Contracts(whole: 2))
        #expect(books.fill(ExecFixture.intent("gone", count: 1, cap: 60)).fill == nil)
        #expect(books.fill(ExecFixture.intent("no", side: .no, count: 2, cap: 47, tif: .fillOrKill)).fill?.price == Dollars(cents: 47))
    }
}
