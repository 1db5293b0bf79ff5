import AccountSync
import BusWire
import Money
import Testing
import TradingWire

/// Builders shared by the account-sync suites.
enum AcctFixtures {
    static let t0 = BusTime(seconds: 1_788_998_000)
    static let ticker = "KXBTCD-26SEP0920-T99999.99"
    static let other = "KXBTCD-26SEP0920-T100249.99"

    static func trade(_ id: String, _ ticker: String = ticker, side: TradeSide = .yes, count: Int64, status: TradeStatus = .open) -> TradeRecord {
        TradeRecord(id: id, status: status, ticker: ticker, eventTicker: "KXBTCD-26SEP0920", strike: nil, side: side,
                    requestedCount: Contracts(whole: count), count: Contracts(whole: count), entryPrice: Dollars(cents: 50),
                    entryFees: .zero, entryOrderID: nil, closeOrderID: nil, closePrice: nil, closeFees: .zero, exitValue: nil, pnl: nil,
                    result: nil, strategy: "test", entryMethod: "auto", closeMethod: nil, probability: nil, edge: nil, btcAtEntry: nil,
                    btcAtClose: nil, momentum: nil, closeTs: nil, enteredTs: 0, finishedTs: nil, note: nil, updatedTime: "")
    }

    static func open(_ trades: [TradeRecord]) -> OpenTrades { OpenTrades(trades: trades, time: "") }

    static func venue(_ pairs: [(String, Int64)]) -> [VenuePosition] {
        pairs.map { VenuePosition(ticker: $0.0, position: Contracts(whole: $0.1), marketExposure: nil, realizedPnl: nil, feesPaid: nil) }
    }
}

@Suite("account-sync reconciler (injected clock)")
struct ReconcilerTests {
    typealias F = AcctFixtures

    @Test("start-up gating: pending until both the venue snapshot and the first trade.state.open are seen")
    func gating() {
        var r = Reconciler()
        #expect(r.check(now: F.t0).report?.status == .pending)
        r.venuePositions(F.venue([(F.ticker, 3)]))
        let waiting = r.check(now: F.t0.adding(seconds: 1))
        #expect(waiting.report?.status == .pending && waiting.report?.startup == true && !r.isReady)
        r.openTrades(F.open([F.trade("a", count: 3)]))
        #expect(r.isReady)
        let first = r.check(now: F.t0.adding(seconds: 2))
        #expect(first.report == ReconciliationReport(status: .passed, startup: true, mismatches: [],
                                                     checkedTime: F.t0.adding(seconds: 2).description))
        let second = r.check(now: F.t0.adding(seconds: 60))
        #expect(second.report?.status == .passed && second.report?.startup == false && !second.alert)
    }

    @Test("match: YES counts positive, NO negative, final trades ignored, several trades on one market summed")
    func match() {
        var r = Reconciler()
        r.venuePositions(F.venue([(F.ticker, 5), (F.other, -2)]))
        r.openTrades(F.open([
            F.trade("a", count: 3), F.trade("b", count: 2, status: .expired), F.trade("c", F.other, side: .no, count: 2),
            F.trade("d", F.other, side: .yes, count: 9, status: .closed), F.trade("e", count: 4, status: .rejected),
        ]))
        #expect(Reconciler.expected(F.open([F.trade("x", side: .no, count: 4)]).trades) == [F.ticker: Contracts(whole: -4)])
        let outcome = r.check(now: F.t0)
        #expect(outcome.report?.status == .passed && outcome.recheckAfter == nil)
    }

    @Test("a mismatch fails only on the second consecutive check, with an alert once")
    func mismatchConfirmed() {
        var r = Reconciler(recheckDelay: 5)
        r.venuePositions(F.venue([]))
        r.openTrades(F.open([F.trade("a", count: 3)]))
        let first = r.check(now: F.t0)
        #expect(first.report?.status == .pending && first.recheckAfter == 5 && !first.alert)  // not yet failed
        let second = r.check(now: F.t0.adding(seconds: 5))
        #expect(second.report?.status == .failed && second.alert)
        #expect(second.report?.mismatches == [.init(ticker: F.ticker, trades: Contracts(whole: 3), venue: .zero)])
        #expect(second.report?.startup == true)  // no pass yet
        let third = r.check(now: F.t0.adding(seconds: 65))
        #expect(third.report?.status == .failed && !third.alert)  // the same failure is not alerted again
        // Fixed at the venue: passes again.
        r.venuePositions(F.venue([(F.ticker, 3)]))
        let fixed = r.check(now: F.t0.adding(seconds: 125))
        #expect(fixed.report?.status == .passed && fixed.report?.startup == true)
    }

    @Test("a disagreement that goes away before the second check never fails")
    func transient() {
        var r = Reconciler()
        r.venuePositions(F.venue([(F.ticker, 2)]))
        r.openTrades(F.open([F.trade("a", count: 2)]))
        #expect(r.check(now: F.t0).report?.status == .passed)
        r.venuePositions(F.venue([(F.ticker, 4)]))  // the venue moved first
        let once = r.check(now: F.t0.adding(seconds: 60))
        #expect(once.report == nil && once.recheckAfter != nil)  // the last report (passed) stands
        r.openTrades(F.open([F.trade("a", count: 2), F.trade("b", count: 2)]))
        #expect(r.check(now: F.t0.adding(seconds: 65)).report?.status == .passed)
    }

    @Test("in flight: a pending or closing trade, or a fill in the last seconds, is rechecked rather than failed")
    func inFlight() {
        var r = Reconciler(grace: 5, recheckDelay: 2)
        r.venuePositions(F.venue([(F.other, 1)]))
        r.openTrades(F.open([F.trade("a", count: 3, status: .pending), F.trade("b", F.other, count: 1)]))
        for i in 0..<4 {
            let o = r.check(now: F.t0.adding(seconds: Double(i) * 2))
            #expect(o.report?.status == .pending && o.recheckAfter == 2 && !o.alert)
        }
        // A closing trade: also in flight.
        r.openTrades(F.open([F.trade("a", count: 3, status: .closing), F.trade("b", F.other, count: 1)]))
        #expect(r.check(now: F.t0.adding(seconds: 10)).report?.status == .pending)
        // Open now, but a fill was seen 1 s ago: still in flight; once the grace has passed, two checks fail it.
        r.openTrades(F.open([F.trade("a", count: 3), F.trade("b", F.other, count: 1)]))
        r.sawFill(ticker: F.ticker, now: F.t0.adding(seconds: 11))
        #expect(r.check(now: F.t0.adding(seconds: 12)).recheckAfter == 2)
        #expect(r.check(now: F.t0.adding(seconds: 14)).report?.status == .pending)
        #expect(r.check(now: F.t0.adding(seconds: 17)).report?.status == .pending)  // grace over: first sighting
        let failed = r.check(now: F.t0.adding(seconds: 19))
        #expect(failed.report?.status == .failed && failed.report?.mismatches.map(\.ticker) == [F.ticker] && failed.alert)
    }

    @Test("only the series' venue markets are reconciled when a filter is given")
    func seriesFilter() {
        var r = Reconciler(includes: { $0.hasPrefix("KXBTCD-") })
        r.venuePositions(F.venue([("KXETHD-26SEP0920-T3999.99", 7)]))
        r.openTrades(F.open([]))
        #expect(r.check(now: F.t0).report?.status == .passed)
    }

    @Test("a determined market is in flight until the venue settles it, for at most the settling grace")
    func settling() {
        var r = Reconciler(settlingGrace: 600)
        r.openTrades(F.open([]))  // the trade manager settled the trade from the market's result
        r.venuePositions(F.venue([(F.ticker, 2)]))  // the venue has not paid out yet
        r.marketDetermined(ticker: F.ticker, now: F.t0)
        #expect(r.check(now: F.t0.adding(seconds: 1)).report?.status != .failed)
        #expect(r.check(now: F.t0.adding(seconds: 100)).report?.status != .failed)
        r.marketSettled(ticker: F.ticker)
        r.venuePositions(F.venue([]))
        #expect(r.check(now: F.t0.adding(seconds: 200)).report?.status == .passed)
        // Never paid out: after the grace the disagreement counts again.
        r.venuePositions(F.venue([(F.other, 1)]))
        r.marketDetermined(ticker: F.other, now: F.t0.adding(seconds: 200))
        _ = r.check(now: F.t0.adding(seconds: 900))
        #expect(r.check(now: F.t0.adding(seconds: 910)).report?.status == .failed)
    }
}
