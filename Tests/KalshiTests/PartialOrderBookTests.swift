import Kalshi
import Money
import Testing

@Suite("Partial order book and replay")
struct PartialOrderBookTests {
    func level(_ p: String, _ c: String) -> PriceLevel { PriceLevel(price: Dollars(p)!, count: Contracts(c)!) }
    func d(_ p: String) -> Dollars { Dollars(p)! }
    func n(_ c: String) -> Contracts { Contracts(c)! }

    @Test("a top-only snapshot is exact from its top up; deltas below are counted, never negative")
    func partialSides() {
        var b = PartialOrderBook(yes: [level("0.68", "14")], no: [level("0.26", "30")])
        #expect(b.yesBid == .level(level("0.68", "14")))
        #expect(b.yesAsk == .level(level("0.74", "30")))
        let s1 = b.apply(side: .yes, price: d("0.66"), delta: n("-1000"))  // unknown level: accepted
        #expect(s1)
        #expect(b.yes.unknownLevelDeltas == 1)
        #expect(b.yesBid == .level(level("0.68", "14")))
        let s2 = b.apply(side: .yes, price: d("0.69"), delta: n("5"))
        #expect(s2)
        #expect(b.yesBid == .level(level("0.69", "5")))
        let s3 = b.apply(side: .yes, price: d("0.69"), delta: n("-5"))
        #expect(s3)
        let s4 = b.apply(side: .yes, price: d("0.68"), delta: n("-14"))
        #expect(s4)
        #expect(b.yesBid == .unknown)  // the best bid now rests below what the snapshot covered
        let s5 = b.apply(side: .yes, price: d("0.68"), delta: n("2"))
        #expect(s5)
        #expect(b.yesBid == .level(level("0.68", "2")))
        let s6 = b.apply(side: .yes, price: d("0.68"), delta: n("-3"))  // an exact level cannot go negative
        #expect(!s6)
        let s7 = b.apply(side: .no, price: d("0.27"), delta: n("1"))
        #expect(s7)
        #expect(b.yesAsk == .level(level("0.73", "1")))
    }

    @Test("an empty side is exact everywhere; complete snapshots know every level")
    func emptyAndComplete() {
        var b = PartialOrderBook(yes: [], no: [level("0.10", "1")])
        #expect(b.yesBid == .empty)
        let s8 = b.apply(side: .yes, price: d("0.05"), delta: n("-1"))
        #expect(!s8)
        let s9 = b.apply(side: .yes, price: d("0.05"), delta: n("3"))
        #expect(s9)
        #expect(b.yesBid == .level(level("0.05", "3")))
        var full = PartialOrderBook(yes: [level("0.40", "10"), level("0.42", "13")], no: [], complete: true)
        let s10 = full.apply(side: .yes, price: d("0.42"), delta: n("-13"))
        #expect(s10)
        #expect(full.yesBid == .level(level("0.40", "10")))
        let s11 = full.apply(side: .yes, price: d("0.30"), delta: n("-1"))
        #expect(!s11)
        #expect(full.yesAsk == .empty)
    }

    @Test("replay: deltas in seq order, a gap invalidates until the next snapshot, which may restart seq")
    func replaySequence() {
        var r = OrderBookReplay()
        let s12 = r.applyDelta(seq: 1, side: .yes, price: d("0.50"), delta: n("1"))
        #expect(s12 == .noBook)
        r.applySnapshot(seq: 1, yes: [level("0.50", "10")], no: [])
        #expect(r.continues(seq: 2) && !r.continues(seq: 3))
        let s13 = r.applyDelta(seq: 2, side: .yes, price: d("0.50"), delta: n("-4"))
        #expect(s13 == .applied)
        let s14 = r.applyDelta(seq: 2, side: .yes, price: d("0.50"), delta: n("-4"))
        #expect(s14 == .duplicate)
        #expect(r.book?.yesBid == .level(level("0.50", "6")))
        let s15 = r.applyDelta(seq: 3, side: .yes, price: d("0.50"), delta: n("-7"))
        #expect(s15 == .inconsistent)
        #expect(r.book == nil)
        let s16 = r.applyDelta(seq: 4, side: .yes, price: d("0.50"), delta: n("1"))
        #expect(s16 == .noBook)
        r.applySnapshot(seq: 1, yes: [level("0.51", "2")], no: [])  // the recorder reconnected
        let s17 = r.applyDelta(seq: 3, side: .no, price: d("0.40"), delta: n("1"))
        #expect(s17 == .gap)
        #expect(r.book == nil)
        r.applySnapshot(seq: 4, yes: [level("0.52", "1")], no: [])
        let s18 = r.applyDelta(seq: 5, side: .yes, price: d("0.52"), delta: n("1"))
        #expect(s18 == .applied)
        #expect(r.book?.yesBid == .level(level("0.52", "2")))
    }
}
