import BusKit
import BusWire
import Foundation
import Kalshi
import MarketFeed
import MarketWire
import Money
import Testing

/// An hourly event closing at `close` (Unix seconds) with strikes `base + i × step` in `status`.
func event(_ ticker: String, close: Int64, strikes: Int = 3, base: String = "99999.99", step: String = "250",
           status: MarketStatus = .active) -> Event {
    let markets = (0..<strikes).map { i -> Market in
        let strike = Dollars(base)! + Dollars(micros: Dollars(step)!.micros * Int64(i))
        var m = Market(ticker: EventNaming.marketTicker(eventTicker: ticker, floorStrike: strike))
        m.eventTicker = ticker
        m.floorStrike = strike
        m.strikeType = .greater
        m.status = status
        m.closeTime = Date(timeIntervalSince1970: Double(close))
        return m
    }
    var e = Event(eventTicker: ticker, markets: markets.reversed())
    e.seriesTicker = "KXBTCD"
    return e
}

let close20: Int64 = 1_788_998_400  // 2026-09-10T00:00Z: KXBTCD-26SEP0920
let e19 = event("KXBTCD-26SEP0919", close: close20 - 3_600, status: .closed)
let e20 = event("KXBTCD-26SEP0920", close: close20)
let e21 = event("KXBTCD-26SEP0921", close: close20 + 3_600, status: .initialized)
let e22 = event("KXBTCD-26SEP0922", close: close20 + 7_200, status: .initialized)

@Suite("market-feed decisions (pure)")
struct MarketFeedPureTests {
    func at(_ second: Int64) -> Date { Date(timeIntervalSince1970: Double(second)) }

    @Test("selection: the current and next hour, around the close; closed and other-series events are left out")
    func selection() {
        var other = event("KXBTC-26SEP0920", close: close20)
        other.seriesTicker = "KXBTC"
        let all = [e22, e21, e20, e19, other, e20]
        let names = { (now: Int64) in EventSelection.select(all, series: "KXBTCD", now: self.at(now)).map(\.eventTicker) }
        #expect(names(close20 - 1_800) == ["KXBTCD-26SEP0920", "KXBTCD-26SEP0921"])
        #expect(names(close20 - 1) == ["KXBTCD-26SEP0920", "KXBTCD-26SEP0921"])
        #expect(names(close20) == ["KXBTCD-26SEP0921", "KXBTCD-26SEP0922"])  // closes at the hour: no longer current
        #expect(EventSelection.select(all, series: "KXBTCD", now: at(close20), count: 1).map(\.eventTicker) == ["KXBTCD-26SEP0921"])
        // A clock far ahead of the exchange's (a simulator elsewhere in time): the live events as they are.
        #expect(names(close20 + 86_400) == ["KXBTCD-26SEP0920", "KXBTCD-26SEP0921"])
        #expect(EventSelection.select([e19], series: "KXBTCD", now: at(0)).isEmpty)
    }

    @Test("summary: close time, strike spacing derived from the markets, markets by strike")
    func summary() {
        var gappy = event("KXBTCD-26SEP0920", close: close20, strikes: 4)
        gappy.markets?.removeAll { $0.floorStrike == Dollars("100249.99") }  // 99999.99, 100499.99, 100749.99
        let s = EventSelection.summary(of: gappy, series: "KXBTCD")
        #expect(s.eventTicker == "KXBTCD-26SEP0920" && s.closeTs == close20 && s.closeTime == "2026-09-10T00:00:00.000000Z")
        #expect(s.strikeSpacing == Dollars("250"))
        #expect(s.markets.map(\.ticker) == ["KXBTCD-26SEP0920-T99999.99", "KXBTCD-26SEP0920-T100499.99", "KXBTCD-26SEP0920-T100749.99"])
        #expect(s.markets.allSatisfy { $0.strikeType == "greater" && $0.status == "active" })
        #expect(EventSelection.summary(of: event("KXBTCD-26SEP0920", close: close20, strikes: 1), series: "KXBTCD").strikeSpacing == nil)
    }

    @Test("top of book from a book: YES ask is 1 − best NO bid, NO ask is 1 − best YES bid, sizes follow")
    func topOfBook() {
        let book = OrderBook(
            yes: [PriceLevel(price: Dollars("0.40")!, count: Contracts(whole: 10)), PriceLevel(price: Dollars("0.42")!, count: Contracts("3.5")!)],
            no: [PriceLevel(price: Dollars("0.55")!, count: Contracts(whole: 8)), PriceLevel(price: Dollars("0.50")!, count: Contracts(whole: 1))])
        let t = TopOfBookBuilder.make(marketTicker: "M", eventTicker: "E", book: book, lastPrice: Dollars("0.41"), volume: Contracts(whole: 99),
                                      time: BusTime(seconds: 0))
        #expect(t.yesBid == Dollars("0.42") && t.yesBidSize == Contracts("3.5"))
        #expect(t.yesAsk == Dollars("0.45") && t.yesAskSize == Contracts(whole: 8))
        #expect(t.noBid == Dollars("0.55") && t.noBidSize == Contracts(whole: 8))
        #expect(t.noAsk == Dollars("0.58") && t.noAskSize == Contracts("3.5"))
        #expect(t.lastPrice == Dollars("0.41") && t.volume == Contracts(whole: 99) && t.time == "1970-01-01T00:00:00.000000Z")
        let empty = TopOfBookBuilder.make(marketTicker: "M", eventTicker: "E", book: OrderBook(), lastPrice: nil, volume: nil, time: BusTime(seconds: 0))
        #expect(empty.yesBid == nil && empty.yesAsk == nil && empty.noBid == nil && empty.noAsk == nil)
    }

    @Test("roll-over: new events' markets are added, the closed event's dropped, unchanged summaries not republished")
    func rollOver() {
        var tracker = MarketTracker(series: "KXBTCD")
        let first = tracker.apply(selected: [e20, e21])
        #expect(first.added.count == 6 && first.removed.isEmpty && first.summaries.count == 2 && first.indexChanged)
        #expect(tracker.index.events == ["KXBTCD-26SEP0920", "KXBTCD-26SEP0921"])
        let same = tracker.apply(selected: [e20, e21])
        #expect(same == MarketTracker.Roll())
        var opened = e21
        for i in opened.markets!.indices { opened.markets![i].status = .active }
        let roll = tracker.apply(selected: [opened, e22])
        #expect(roll.removed == e20.markets!.map(\.ticker).sorted())
        #expect(roll.added == e22.markets!.map(\.ticker))
        #expect(roll.summaries.map(\.eventTicker) == ["KXBTCD-26SEP0921", "KXBTCD-26SEP0922"])  // e21's statuses changed
        #expect(roll.indexChanged && tracker.markets.count == 6 && tracker.event(of: e20.markets![0].ticker) == nil)
        #expect(tracker.concerns("KXBTCD-26SEP0923-T1") && !tracker.concerns("KXBTC-26SEP0923-T1"))
    }

    @Test("quotes: only followed markets, only when the top changes, with the ticker channel's last price and volume")
    func quotes() throws {
        var tracker = MarketTracker(series: "KXBTCD")
        _ = tracker.apply(selected: [e20])
        let m = e20.markets![0].ticker
        var book = OrderBook(yes: [PriceLevel(price: Dollars("0.30")!, count: Contracts(whole: 5))], no: [])
        let other = tracker.quote("KXBTCD-OTHER", book: book, time: BusTime(seconds: 1))
        #expect(other == nil)
        let first = tracker.quote(m, book: book, time: BusTime(seconds: 1))
        let q1 = try #require(first)
        #expect(q1.yesBid == Dollars("0.30") && q1.lastPrice == nil && q1.eventTicker == "KXBTCD-26SEP0920")
        // A level below the top changes nothing on the wire.
        _ = book.apply(side: .yes, price: Dollars("0.20")!, delta: Contracts(whole: 9))
        let unchanged = tracker.quote(m, book: book, time: BusTime(seconds: 2))
        #expect(unchanged == nil)
        var update = try JSONDecoder().decode(TickerUpdate.self, from: Data(#"{"marketTicker":"\#(m)","priceDollars":"0.31","volumeFp":"12.00"}"#.utf8))
        let recorded = tracker.record(update)
        #expect(recorded)
        let quoted = tracker.quote(m, book: book, time: BusTime(seconds: 3))
        let q2 = try #require(quoted)
        #expect(q2.lastPrice == Dollars("0.31") && q2.volume == Contracts(whole: 12) && q2.yesBid == Dollars("0.30"))
        update.marketTicker = "KXBTCD-OTHER"
        let ignored = tracker.record(update)
        #expect(!ignored)
        #expect(tracker.lastQuote(m) == q2)
    }

    @Test("health: degraded until events and books arrive, and when the books go stale")
    func health() {
        let t = BusTime(seconds: 100)
        #expect(FeedHealth.judge(lastEvents: nil, lastBook: nil, markets: 0, now: t, staleAfter: 5) == (.degraded, "no events read yet"))
        #expect(FeedHealth.judge(lastEvents: t, lastBook: nil, markets: 0, now: t, staleAfter: 5) == (.degraded, "no open event to follow"))
        #expect(FeedHealth.judge(lastEvents: t, lastBook: nil, markets: 3, now: t, staleAfter: 5) == (.degraded, "no order book yet"))
        #expect(FeedHealth.judge(lastEvents: t, lastBook: t, markets: 3, now: t.adding(seconds: 4.9), staleAfter: 5).0 == .running)
        let (state, note) = FeedHealth.judge(lastEvents: t, lastBook: t, markets: 3, now: t.adding(seconds: 7), staleAfter: 5)
        #expect(state == .degraded && note == "order books stale: no book data for 7.0 s")
    }
}
