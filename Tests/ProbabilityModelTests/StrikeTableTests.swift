import Money
import ProbabilityModel
import Testing
import TradingWire

/// A model with a fixed P(YES) per strike.
struct FixedModel: ProbabilityModel {
    var name: String { "fixed" }
    let byStrike: [Double: Double]
    func probabilityAbove(strike: Double, input: ModelInput) -> Double { byStrike[strike] ?? 0.5 }
}

@Suite("strike tables and the watchlist filter")
struct StrikeTableTests {
    static func d(_ s: String) -> Dollars { Dollars(s)! }
    /// Strikes 99,249.99 … 100,749.99 every 250 (7 markets), listed out of order.
    static let markets = [3, 0, 6, 1, 5, 2, 4].map { i in
        StrikeMarket(ticker: "KXBTCD-25MAY1522-T\(99_249.99 + Double(i) * 250)", strike: Dollars(micros: (99_249_990_000 + Int64(i) * 250_000_000)))
    }
    static let event = StrikeEvent(series: "KXBTCD", eventTicker: "KXBTCD-25MAY1522", closeTs: 1_000_900, strikeSpacing: d("250"), markets: markets)

    @Test("the strikes nearest the price, ascending")
    func nearest() {
        let b = StrikeTableBuilder(strikeCount: 3)
        let e = Self.event
        #expect(e.markets.map(\.strike) == e.markets.map(\.strike).sorted())
        #expect(b.nearest(e.markets, to: Self.d("100000")) == 2..<5)   // 99,749.99 / 99,999.99 / 100,249.99
        #expect(b.nearest(e.markets, to: Self.d("90000")) == 0..<3)
        #expect(b.nearest(e.markets, to: Self.d("200000")) == 4..<7)
        #expect(StrikeTableBuilder(strikeCount: 21).nearest(e.markets, to: Self.d("100000")) == 0..<7)
    }

    @Test("fair values to the cent half up, edges, active side, distances")
    func rows() throws {
        let e = Self.event
        let below = e.markets[3], above = e.markets[4]  // 99,999.99 and 100,249.99
        let model = FixedModel(byStrike: [99_999.99: 0.505, 100_249.99: 0.2349])
        let quotes = [
            below.ticker: StrikeQuote(yesBid: Self.d("0.47"), yesAsk: Self.d("0.49"), noBid: Self.d("0.51"), noAsk: Self.d("0.53"),
                                      yesAskSize: Contracts(whole: 10), noAskSize: Contracts(whole: 20), volume: Contracts(whole: 1_500)),
            above.ticker: StrikeQuote(yesAsk: Self.d("0.30"), volume: Contracts(whole: 900)),
        ]
        let table = StrikeTableBuilder(strikeCount: 2).build(event: e, quotes: quotes, price: Self.d("100125"), momentum: 4, now: 1_000_000.5,
                                                               model: model, time: "t")
        #expect(table.model == "fixed" && table.ttcSeconds == 899 && table.momentum == 4 && table.rows.count == 2)
        let r0 = table.rows[0], r1 = table.rows[1]
        #expect(r0.ticker == below.ticker && r1.ticker == above.ticker)
        #expect(r0.distance == Self.d("125.01") && r0.distanceSpacings == "0.50")
        #expect(r1.distance == Self.d("-124.99") && r1.distanceSpacings == "-0.50")
        #expect(r0.fairYes == Self.d("0.51") && r0.fairNo == Self.d("0.50"))   // 50.5 → 51, 49.5 → 50
        #expect(r1.fairYes == Self.d("0.23") && r1.fairNo == Self.d("0.77"))
        #expect(r0.edgeYes == Self.d("0.02") && r0.edgeNo == Self.d("-0.03"))
        #expect(r1.edgeYes == Self.d("-0.07") && r1.edgeNo == nil && r1.yesBid == nil)
        #expect(r0.activeSide == .yes && r1.activeSide == .no)
        #expect(r0.winProbability == 0.505 && abs(r1.winProbability - 0.7651) < 1e-12)
        #expect(r0.volume == Contracts(whole: 1_500) && r0.yesAskSize == Contracts(whole: 10))
        #expect(StrikeTableBuilder.centsHalfUp(0.125) == 13 && StrikeTableBuilder.centsHalfUp(0.1249) == 12)
        #expect(StrikeTableBuilder.centsHalfUp(1.2) == 100 && StrikeTableBuilder.centsHalfUp(-1) == 0)
        #expect(DecimalText.ratio(1, 3) == "0.33" && DecimalText.ratio(-5, 1_000) == "-0.01" && DecimalText.ratio(1, 0) == nil)
    }

    /// A row for the filter, active side YES unless the strike is above 100,000.
    func row(strike: String = "99999.99", p: Double, yesAsk: String? = "0.60", noAsk: String? = "0.42", edge: String = "0.00",
             volume: Int64? = 2_000) -> StrikeRow {
        let s = Self.d(strike), active: TradeSide = s <= Self.d("100000") ? .yes : .no
        return StrikeRow(ticker: strike, strike: s, distance: .zero, distanceSpacings: nil, probabilityYes: active == .yes ? p : 1 - p,
                         winProbability: p, fairYes: .zero, fairNo: .zero, yesBid: nil, yesAsk: yesAsk.map(Self.d), noBid: nil,
                         noAsk: noAsk.map(Self.d), yesAskSize: nil, noAskSize: nil,
                         edgeYes: active == .yes ? Self.d(edge) : nil, edgeNo: active == .no ? Self.d(edge) : nil, activeSide: active,
                         volume: volume.map { Contracts(whole: $0) })
    }

    @Test("REC.IO's filters with their slack, sorted by win probability")
    func watchlist() {
        let f = WatchlistFilter()
        #expect(f.passes(row(p: 0.33)) && !f.passes(row(p: 0.32)))                      // > 37 % − 5
        #expect(f.passes(row(p: 0.9, volume: 1_000)) && !f.passes(row(p: 0.9, volume: 999)) && !f.passes(row(p: 0.9, volume: nil)))
        #expect(f.passes(row(p: 0.9, yesAsk: "0.98")) && !f.passes(row(p: 0.9, yesAsk: "0.99")) && !f.passes(row(p: 0.9, noAsk: "0.99")))
        #expect(!f.passes(row(p: 0.9, yesAsk: nil)) && f.passes(row(p: 0.9, noAsk: nil)))
        #expect(f.passes(row(p: 0.9, edge: "-0.08")) && !f.passes(row(p: 0.9, edge: "-0.09")))   // ≥ −5¢ − 3¢
        let custom = WatchlistFilter(minVolume: .zero, minProbability: 0.9, maxAsk: Dollars(cents: 50), minEdge: Dollars(cents: 3))
        #expect(custom.passes(row(p: 0.86, yesAsk: "0.40", noAsk: "0.40", edge: "0.10")))
        #expect(!custom.passes(row(p: 0.86, yesAsk: "0.40", noAsk: "0.40", edge: "-0.01")) && !custom.passes(row(p: 0.86, edge: "0.10")))
        let rows = [row(strike: "99749.99", p: 0.7), row(strike: "100249.99", p: 0.95, yesAsk: "0.06", noAsk: "0.96"), row(p: 0.2), row(strike: "99499.99", p: 0.7)]
        #expect(f.filter(rows).map(\.ticker) == ["100249.99", "99499.99", "99749.99"])
    }
}
