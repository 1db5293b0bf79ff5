@testable import AutoEntry
import BusKit
import BusWire
import Money
import Testing
import TradingWire

@Suite("auto-entry: fee-aware entry rule and Kelly sizing")
struct EntrySizingTests {
    @Test("gain after fee, by hand: fair 0.90, limit 0.80; 1 contract pays a 2¢ fee (1.12¢ rounded up), 10 pay 12¢ (11.2¢)")
    func gain() {
        let fair = Dollars("0.90")!, limit = Dollars("0.80")!
        #expect(EntrySizing.gainAfterFee(fair: fair, limit: limit, count: Contracts(whole: 1)) == Dollars("0.08")!)
        #expect(EntrySizing.gainAfterFee(fair: fair, limit: limit, count: Contracts(whole: 10)) == Dollars("0.88")!)
        #expect(EntrySizing.clears(fair: fair, limit: limit, count: Contracts(whole: 10), margin: Dollars("0.08")!))
        #expect(!EntrySizing.clears(fair: fair, limit: limit, count: Contracts(whole: 10), margin: Dollars("0.09")!))
    }

    @Test("min_edge_after_fee: 8¢ passes at 0.80 (gain 8¢ after the 2¢ fee), 9¢ skips; slippage counts against the edge")
    func rule() {
        var pass = AE.ready { $0.minEdgeAfterFee = Dollars(cents: 8) }
        #expect(pass.watchlist(AE.watchlist([AE.row()]), now: AE.t0).intents.count == 1)
        var fail = AE.ready { $0.minEdgeAfterFee = Dollars(cents: 9) }
        #expect(fail.watchlist(AE.watchlist([AE.row()]), now: AE.t0).skipped[AE.row().ticker] == .edgeAfterFee)
        var slipped = AE.ready { $0.minEdgeAfterFee = Dollars(cents: 8); $0.maxSlippage = Dollars(cents: 1) }
        #expect(slipped.watchlist(AE.watchlist([AE.row()]), now: AE.t0).skipped[AE.row().ticker] == .edgeAfterFee)
    }

    @Test("Kelly, by hand: p 0.9 at 0.80 costs k = 0.8112 all-in; a quarter of (p − k)/(1 − k) of $1000 buys 144 contracts")
    func kelly() {
        #expect(EntrySizing.kellyContracts(probability: 0.9, limit: Dollars("0.80")!, bankroll: Dollars("1000")!, fraction: 0.25) == Contracts(whole: 144))
        #expect(EntrySizing.kellyContracts(probability: 0.81, limit: Dollars("0.80")!, bankroll: Dollars("1000")!, fraction: 1) == .zero)
        #expect(EntrySizing.fitting(Dollars("50")!, at: Dollars("0.80")!) == Contracts(whole: 62))
    }

    @Test("sizing = kelly: the caps on top — $50 per event leaves 62 contracts, wider caps the full 144; no edge at k skips")
    func kellyDecider() throws {
        var capped = AE.ready { $0.sizing = .kelly }
        #expect(try #require(capped.watchlist(AE.watchlist([AE.row()]), now: AE.t0).intents.first).count == Contracts(whole: 62))
        var wide = AE.ready { $0.sizing = .kelly; $0.maxRiskPerEvent = Dollars("200")!; $0.maxRiskPerHour = Dollars("200")! }
        #expect(try #require(wide.watchlist(AE.watchlist([AE.row()]), now: AE.t0).intents.first).count == Contracts(whole: 144))
        var none = AE.ready { $0.sizing = .kelly }
        #expect(none.watchlist(AE.watchlist([AE.row(p: 0.81)]), now: AE.t0).skipped[AE.row().ticker] == .size)
    }

    @Test("the defaults keep today's behaviour: fixed size, no fee margin")
    func defaults() {
        let s = AutoEntrySettings()
        #expect(s.sizing == .fixed && s.minEdgeAfterFee == nil && s.kellyFraction == 0.25)
        let values = AutoEntrySettings.schema.render(s)
        #expect(values["min_edge_after_fee"] == "off" && values["sizing"] == "fixed" && values["kelly_fraction"] == "0.25")
        var set = s
        set.minEdgeAfterFee = Dollars(micros: 25_000)
        #expect(AutoEntrySettings.schema.render(set)["min_edge_after_fee"] == "2.5")
    }
}
