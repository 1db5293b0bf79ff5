import BusWire
import MarketWire
import Money
import ProbabilityModel

/// One message the market and price feeds would have published, replayed from the record.
public enum FeedInput: Sendable {
    /// `market.series.<series>`: the open events, earliest close first.
    case series(MarketSeriesIndex)
    /// `market.event.<event>`: an event and its markets.
    case event(MarketEventSummary)
    /// `market.book.<market>`: a market's top of book from its candle row.
    case book(MarketTopOfBook)
    /// `market.lifecycle.<market>`: the market determined, with its recorded result.
    case lifecycle(MarketLifecycleEvent)
    /// `price.btc.momentum`: REC.IO momentum of the 1-minute closes.
    case momentum(BTCMomentum)
    /// `price.btc.tick`: the close of the BTC bar ending now.
    case tick(BTCTick)
}

/// Turns the recorded candles, outcomes and BTC minute closes into the feeds' messages, minute by minute, in one
/// fixed order: settlements of events that closed, the series index and new events, the books that changed in the
/// minute, momentum, then the BTC tick. The backtest engine and the plugin harness consume the same inputs.
public struct FeedReplay: Sendable {
    let tape: MarketTape
    let prices: MinuteSeries
    let series: String
    /// Events closing after this are not replayed (their trades could not settle inside the window).
    let lastClose: Int64
    /// Events open before this are not replayed (warm-up minutes carry prices only).
    let firstMinute: Int64
    let order: [(row: Int, market: Int)]
    var cursor = 0
    var firstRow: [Int64]
    var announced: Set<Int> = []
    var settled: Set<Int> = []
    var followed: [String] = []
    var volume: [Int64]
    /// Book messages produced so far: the market-minutes replayed.
    public private(set) var marketMinutes = 0

    /// A replay of rows ending in (`from`, `to`]; events must close by `to`.
    public init(tape: MarketTape, prices: MinuteSeries, from: Int64, to: Int64, series: String = "KXBTCD") {
        self.tape = tape; self.prices = prices; self.series = series; lastClose = to; firstMinute = from
        order = tape.rowsInOrder(from: from + 1, to: to + 1)
        firstRow = tape.events.map { e in e.markets.compactMap { tape.rows[tape.markets[$0].rows].first?.end }.min() ?? .max }
        volume = [Int64](repeating: 0, count: tape.markets.count)
        // Volume traded before the window still counts towards the market's total.
        for (m, market) in tape.markets.enumerated() {
            for r in market.rows where tape.rows[r].end <= from { volume[m] += Int64(tape.rows[r].volume) }
        }
    }

    /// BTC price in dollars from a close.
    static func dollars(_ price: Double) -> Dollars { Dollars(micros: Int64((price * 100).rounded()) * 10_000) }

    /// The inputs of the minute ending at `t` (a multiple of 60), in publication order.
    public mutating func inputs(at t: Int64) -> [FeedInput] {
        var out: [FeedInput] = []
        let time = BusTime(microseconds: t * 1_000_000).description
        for (i, e) in tape.events.enumerated() where announced.contains(i) && !settled.contains(i) && e.closeTs <= t {
            settled.insert(i)
            for m in e.markets {
                out.append(.lifecycle(MarketLifecycleEvent(marketTicker: tape.markets[m].ticker, eventType: "determined", closeTs: e.closeTs,
                                                           result: tape.markets[m].result, time: time)))
            }
        }
        let open = tape.events.indices.filter { i in
            let e = tape.events[i]
            return t > firstMinute && firstRow[i] <= t && e.closeTs > t && e.closeTs <= lastClose
        }
        let names = open.map { tape.events[$0].ticker }
        if names != followed {
            followed = names
            out.append(.series(MarketSeriesIndex(series: series, events: names)))
        }
        for i in open where !announced.contains(i) {
            announced.insert(i)
            let e = tape.events[i]
            let listings = e.markets.map { MarketListing(ticker: tape.markets[$0].ticker, floorStrike: tape.markets[$0].strike, strikeType: "greater", status: "active") }
            out.append(.event(MarketEventSummary(series: series, eventTicker: e.ticker, closeTime: BusTime(microseconds: e.closeTs * 1_000_000).description,
                                                 closeTs: e.closeTs, strikeSpacing: e.spacing, markets: listings)))
            // Quotes standing from before the window.
            for m in e.markets {
                let rows = tape.markets[m].rows
                guard let r = rows.last(where: { tape.rows[$0].end <= firstMinute }) else { continue }
                marketMinutes += 1
                out.append(.book(Self.book(tape.markets[m].ticker, event: e.ticker, row: tape.rows[r], volume: volume[m], time: time)))
            }
        }
        while cursor < order.count, tape.rows[order[cursor].row].end <= t {
            let (r, m) = order[cursor]
            cursor += 1
            let row = tape.rows[r]
            volume[m] += Int64(row.volume)
            let event = tape.markets[m].event
            guard announced.contains(event), !settled.contains(event) else { continue }
            marketMinutes += 1
            out.append(.book(Self.book(tape.markets[m].ticker, event: tape.events[event].ticker, row: row, volume: volume[m], time: time)))
        }
        if let i = prices.index(ofBarStarting: t - 60), !prices.closes[i].isNaN {
            let price = Self.dollars(prices.closes[i])
            let m = prices.closes.withUnsafeBufferPointer { HistoricalMomentum.at(i, closes: $0) }
            out.append(.momentum(BTCMomentum(product: "BTC-USD", price: price, time: time, score: nil, scoreX100: m, deltas: [:])))
            out.append(.tick(BTCTick(product: "BTC-USD", price: price, bestBid: price, bestAsk: price, time: time, tradeID: t, source: "backtest")))
        }
        return out
    }

    /// A top of book from a candle row: YES bid/ask from the row, NO ask = 1 − YES bid, NO bid = 1 − YES ask; the
    /// market's total volume so far.
    public static func book(_ ticker: String, event: String, row: MarketTape.Row, volume: Int64, time: String) -> MarketTopOfBook {
        let yesBid = row.bid >= 1 && row.bid <= 99 ? Dollars(cents: Int64(row.bid)) : nil
        let yesAsk = row.ask >= 1 && row.ask <= 99 ? Dollars(cents: Int64(row.ask)) : nil
        return MarketTopOfBook(marketTicker: ticker, eventTicker: event, yesBid: yesBid, yesAsk: yesAsk,
                               noBid: yesAsk.map { Dollars(cents: 100) - $0 }, noAsk: yesBid.map { Dollars(cents: 100) - $0 },
                               volume: Contracts(whole: volume), time: time)
    }
}
