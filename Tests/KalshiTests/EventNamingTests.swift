import Foundation
import Kalshi
import Money
import Testing

@Suite("Event naming")
struct EventNamingTests {
    func utc(_ text: String) -> Date { KalshiJSON.parseDate(text)! }

    @Test("close 2025-05-15 22:00 EDT is KXBTCD-25MAY1522")
    func summer() {
        #expect(EventNaming.eventTicker(closingAt: utc("2025-05-16T02:00:00Z")) == "KXBTCD-25MAY1522")
        #expect(EventNaming.eventTicker(closingAt: utc("2026-09-10T00:00:00Z")) == "KXBTCD-26SEP0920")
        #expect(EventNaming.eventTicker(series: "KXBTC", closingAt: utc("2026-03-21T10:00:00Z")) == "KXBTC-26MAR2106")
        #expect(EventNaming.eventTicker(closingAt: utc("2026-01-05T05:00:00Z")) == "KXBTCD-26JAN0500")
    }

    @Test("spring forward (2025-03-09): 01:00 EST then 03:00 EDT, one UTC hour apart")
    func springForward() {
        #expect(EventNaming.eventTicker(closingAt: utc("2025-03-09T06:00:00Z")) == "KXBTCD-25MAR0901")
        #expect(EventNaming.eventTicker(closingAt: utc("2025-03-09T07:00:00Z")) == "KXBTCD-25MAR0903")
        #expect(EventNaming.closeTime(eventTicker: "KXBTCD-25MAR0903") == utc("2025-03-09T07:00:00Z"))
        #expect(EventNaming.closeTime(eventTicker: "KXBTCD-25MAR0901") == utc("2025-03-09T06:00:00Z"))
        #expect(EventNaming.closeTime(eventTicker: "KXBTCD-25MAR0902") == nil)  // 02:00 does not exist that night
    }

    @Test("fall back (2025-11-02): 01:00 happens twice and names both hours; parsing picks the EDT one")
    func fallBack() {
        #expect(EventNaming.eventTicker(closingAt: utc("2025-11-02T04:00:00Z")) == "KXBTCD-25NOV0200")
        #expect(EventNaming.eventTicker(closingAt: utc("2025-11-02T05:00:00Z")) == "KXBTCD-25NOV0201")
        #expect(EventNaming.eventTicker(closingAt: utc("2025-11-02T06:00:00Z")) == "KXBTCD-25NOV0201")
        #expect(EventNaming.eventTicker(closingAt: utc("2025-11-02T07:00:00Z")) == "KXBTCD-25NOV0202")
        #expect(EventNaming.closeTime(eventTicker: "KXBTCD-25NOV0201") == utc("2025-11-02T05:00:00Z"))
        #expect(EventNaming.closeTime(eventTicker: "KXBTCD-25NOV0202") == utc("2025-11-02T07:00:00Z"))
    }

    @Test("event tickers parse back; malformed ones do not")
    func parse() {
        let p = EventNaming.parse(eventTicker: "KXBTCD-25MAY1522")
        #expect(p?.series == "KXBTCD" && p?.year == 2025 && p?.month == 5 && p?.day == 15 && p?.hour == 22)
        #expect(EventNaming.closeTime(eventTicker: "KXBTCD-25MAY1522") == utc("2025-05-16T02:00:00Z"))
        for bad in ["KXBTCD", "KXBTCD-25XYZ1522", "KXBTCD-25MAY152", "-25MAY1522", "KXBTCD-2xMAY1522"] {
            #expect(EventNaming.parse(eventTicker: bad) == nil, "\(bad)")
        }
    }

    @Test("market tickers come from floor_strike")
    func marketTickers() {
        #expect(EventNaming.marketTicker(eventTicker: "KXBTCD-25MAY1522", floorStrike: Dollars("106249.99")!) == "KXBTCD-25MAY1522-T106249.99")
        #expect(EventNaming.marketTicker(eventTicker: "KXBTC-26MAR2106", floorStrike: Dollars("80100")!) == "KXBTC-26MAR2106-T80100")
        #expect(EventNaming.strikeText(Dollars("61600.50")!) == "61600.5")
        var m = Market(ticker: "x")
        m.eventTicker = "KXBTCD-25MAY1522"
        m.floorStrike = Dollars("114999.99")
        #expect(EventNaming.marketTicker(for: m) == "KXBTCD-25MAY1522-T114999.99")
    }

    func markets(_ strikes: [String]) -> [Market] {
        strikes.map { s in
            var m = Market(ticker: "T\(s)")
            m.floorStrike = Dollars(s)
            return m
        }
    }

    @Test("strike spacing is derived from the event's strikes: $250, $100, gaps and ties")
    func spacing() {
        #expect(EventNaming.strikeSpacing(of: markets(["69749.99", "69499.99", "70249.99", "69999.99"])) == Dollars(250))
        #expect(EventNaming.strikeSpacing(of: markets(["63599.99", "63699.99", "63799.99", "64099.99"])) == Dollars(100))
        #expect(EventNaming.strikeSpacing(of: markets(["1", "2", "4", "6"])) == Dollars(2))
        #expect(EventNaming.strikeSpacing(of: markets(["1", "2", "4"])) == Dollars(1))
        #expect(EventNaming.strikeSpacing(of: markets(["1"])) == nil)
        #expect(EventNaming.strikeSpacing(of: markets(["5", "5"])) == nil)
    }
}

extension Dollars {
    init(_ whole: Int64) { self.init(micros: whole * Dollars.scale) }
}
