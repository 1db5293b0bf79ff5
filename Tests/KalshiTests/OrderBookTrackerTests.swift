import Kalshi
import Money
import Testing

@Suite("Order book state machine")
struct OrderBookTrackerTests {
    let m = "KXBTCD-25MAY1522-T106249.99"
    func level(_ p: String, _ c: String) -> PriceLevel { PriceLevel(price: Dollars(p)!, count: Contracts(c)!) }

    @Test("a snapshot then in-order deltas build the book; a level at zero disappears")
    func snapshotAndDeltas() {
        var t = OrderBookTracker()
        #expect(t.applySnapshot(sid: 1, seq: 1, marketTicker: m, yes: [level("0.40", "10"), level("0.42", "13")], no: [level("0.56", "7.5")])
            == [.updated(marketTicker: m)])
        #expect(t.book(m)?.bestYesBid == level("0.42", "13"))
        #expect(t.book(m)?.bestYesAsk == level("0.44", "7.5"))
        #expect(t.applyDelta(sid: 1, seq: 2, marketTicker: m, side: .yes, price: Dollars("0.42")!, delta: Contracts("-13")!) == [.updated(marketTicker: m)])
        #expect(t.book(m)?.bestYesBid == level("0.40", "10"))
        _ = t.applyDelta(sid: 1, seq: 3, marketTicker: m, side: .no, price: Dollars("0.58")!, delta: Contracts("0.25")!)
        #expect(t.book(m)?.bestYesAsk == level("0.42", "0.25"))
        #expect(t.book(m)?.bestNoAsk == level("0.60", "10"))
    }

    @Test("a sequence gap invalidates every book of the subscription and asks for snapshots")
    func gap() {
        var t = OrderBookTracker()
        let other = "KXBTCD-25MAY1522-T106499.99"
        _ = t.applySnapshot(sid: 1, seq: 1, marketTicker: m, yes: [level("0.40", "10")], no: [])
        _ = t.applySnapshot(sid: 1, seq: 2, marketTicker: other, yes: [level("0.20", "1")], no: [])
        _ = t.applySnapshot(sid: 9, seq: 1, marketTicker: "ELSEWHERE", yes: [], no: [])
        let actions = t.applyDelta(sid: 1, seq: 4, marketTicker: m, side: .yes, price: Dollars("0.40")!, delta: Contracts("1")!)
        #expect(actions == [.resnapshot(sid: 1, marketTickers: [m, other].sorted())])
        #expect(t.book(m) == nil && t.book(other) == nil && t.isInvalid(m))
        #expect(t.book("ELSEWHERE") != nil)
        // Deltas for an invalid book are dropped until its snapshot arrives.
        #expect(t.applyDelta(sid: 1, seq: 5, marketTicker: m, side: .yes, price: Dollars("0.40")!, delta: Contracts("1")!).isEmpty)
        #expect(t.applySnapshot(sid: 1, seq: 6, marketTicker: m, yes: [level("0.41", "3")], no: []) == [.updated(marketTicker: m)])
        #expect(t.book(m)?.bestYesBid == level("0.41", "3") && t.book(other) == nil)
    }

    @Test("repeated or old seq numbers are dropped, not applied twice")
    func duplicates() {
        var t = OrderBookTracker()
        _ = t.applySnapshot(sid: 1, seq: 1, marketTicker: m, yes: [level("0.40", "10")], no: [])
        _ = t.applyDelta(sid: 1, seq: 2, marketTicker: m, side: .yes, price: Dollars("0.40")!, delta: Contracts("5")!)
        #expect(t.applyDelta(sid: 1, seq: 2, marketTicker: m, side: .yes, price: Dollars("0.40")!, delta: Contracts("5")!).isEmpty)
        #expect(t.book(m)?.bestYesBid == level("0.40", "15"))
    }

    @Test("a delta before any snapshot, or one that drives a level negative, asks for a snapshot")
    func inconsistent() {
        var t = OrderBookTracker()
        #expect(t.applyDelta(sid: 1, seq: 1, marketTicker: m, side: .yes, price: Dollars("0.40")!, delta: Contracts("1")!)
            == [.resnapshot(sid: 1, marketTickers: [m])])
        _ = t.applySnapshot(sid: 1, seq: 2, marketTicker: m, yes: [level("0.40", "1")], no: [])
        #expect(t.applyDelta(sid: 1, seq: 3, marketTicker: m, side: .yes, price: Dollars("0.40")!, delta: Contracts("-2")!)
            == [.resnapshot(sid: 1, marketTickers: [m])])
        #expect(t.book(m) == nil)
    }

    @Test("a reset (new connection) invalidates books and restarts sequence numbers")
    func reset() {
        var t = OrderBookTracker()
        _ = t.applySnapshot(sid: 1, seq: 7, marketTicker: m, yes: [level("0.40", "1")], no: [])
        t.resetAll()
        #expect(t.book(m) == nil)
        #expect(t.applySnapshot(sid: 1, seq: 1, marketTicker: m, yes: [level("0.30", "1")], no: []) == [.updated(marketTicker: m)])
        #expect(t.book(m)?.bestYesBid == level("0.30", "1"))
    }
}
