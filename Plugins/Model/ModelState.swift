import BusWire
import MarketWire
import Money
import ProbabilityModel
import TradingWire

/// The model plugin's state machine: the followed events, their books, the BTC price, momentum and volatility.
/// Feed it bus inputs with the time; it returns the strike tables and watchlists to publish.
public struct ModelState: Sendable {
    /// What the plugin reads.
    public enum Input: Sendable {
        case tick(BTCTick), momentum(BTCMomentum), series(MarketSeriesIndex), event(MarketEventSummary), book(MarketTopOfBook)
    }

    /// One event's table and watchlist.
    public struct Output: Sendable, Hashable {
        /// The strike table.
        public var table: StrikeTable
        /// Its watchlist.
        public var watchlist: Watchlist
    }

    let model: any ProbabilityModel
    let builder: StrikeTableBuilder
    let filter: WatchlistFilter
    let series: String
    let bookInterval: Double
    /// Events in the latest series index, earliest close first.
    public private(set) var followed: [String] = []
    var events: [String: StrikeEvent] = [:]
    var quotes: [String: StrikeQuote] = [:]
    /// The latest BTC price and momentum (× 100).
    public private(set) var price: Dollars?, momentum: Int?
    /// Realised volatility from the ticks.
    public private(set) var volatility = VolatilityEstimator()
    var recent = SecondPrices()
    var lastPublished: [String: BusTime] = [:]
    var dirty: Set<String> = []

    /// A state for `settings`.
    public init(settings: ModelSettings) {
        self.init(model: settings.model, strikes: settings.strikes, filter: settings.filter, series: settings.series,
                  bookInterval: settings.bookInterval)
    }

    /// A state with explicit parts (tests).
    public init(model: any ProbabilityModel, strikes: Int = 21, filter: WatchlistFilter = WatchlistFilter(), series: String = "KXBTCD",
                bookInterval: Double = 0.2) {
        self.model = model; builder = StrikeTableBuilder(strikeCount: strikes); self.filter = filter; self.series = series
        self.bookInterval = bookInterval
    }

    /// Takes one input at `now`; a tick recomputes every open event, a book change its event at most every
    /// `bookInterval` (later changes wait for ``flush(now:)``).
    public mutating func handle(_ input: Input, now: BusTime) -> [Output] {
        switch input {
        case .tick(let t):
            price = t.price
            let second = Self.second(now), p = Double(t.price.micros) / 1e6
            volatility.record(second: second, price: p)
            recent.record(second: second, price: p)
            return compute(followed, now: now)
        case .momentum(let m):
            momentum = m.scoreX100
            return []
        case .series(let index):
            guard index.series == series else { return [] }
            followed = index.events
            let keep = Set(followed)
            for (ticker, e) in events where !keep.contains(ticker) {
                events[ticker] = nil; lastPublished[ticker] = nil; dirty.remove(ticker)
                for m in e.markets { quotes[m.ticker] = nil }
            }
            dirty.formUnion(followed)
            return due(now: now)
        case .event(let e):
            guard e.series == series else { return [] }
            let markets = e.markets.compactMap { m in
                m.floorStrike.flatMap { (m.strikeType ?? "greater") == "greater" ? StrikeMarket(ticker: m.ticker, strike: $0) : nil }
            }
            events[e.eventTicker] = StrikeEvent(series: e.series, eventTicker: e.eventTicker, closeTs: e.closeTs, strikeSpacing: e.strikeSpacing,
                                                markets: markets)
            dirty.insert(e.eventTicker)
            return due(now: now)
        case .book(let b):
            quotes[b.marketTicker] = StrikeQuote(yesBid: b.yesBid, yesAsk: b.yesAsk, noBid: b.noBid, noAsk: b.noAsk,
                                                 yesAskSize: b.yesAskSize, noAskSize: b.noAskSize, volume: b.volume)
            dirty.insert(b.eventTicker)
            return due(now: now)
        }
    }

    /// The tables of changed events whose last table is at least `bookInterval` old.
    public mutating func flush(now: BusTime) -> [Output] { due(now: now) }

    private mutating func due(now: BusTime) -> [Output] {
        let ready = followed.filter { e in dirty.contains(e) && (lastPublished[e].map { $0.seconds(until: now) >= bookInterval } ?? true) }
        return compute(ready, now: now)
    }

    /// Tables for `tickers` that are followed, known, and still open.
    private mutating func compute(_ tickers: [String], now: BusTime) -> [Output] {
        guard let price else { return [] }
        let nowSeconds = Double(now.microseconds) / 1e6
        let time = now.description
        var out: [Output] = []
        for ticker in tickers {
            guard let event = events[ticker], Double(event.closeTs) > nowSeconds else { continue }
            let ttc = Double(event.closeTs) - nowSeconds
            let average = ttc < 60 ? recent.average(from: event.closeTs - 60, to: Self.second(now)) : nil
            let table = builder.build(event: event, quotes: quotes, price: price, momentum: momentum, now: nowSeconds,
                                      sigma: volatility.sigma, averageSoFar: average, model: model, time: time)
            out.append(Output(table: table, watchlist: filter.watchlist(of: table)))
            lastPublished[ticker] = now
            dirty.remove(ticker)
        }
        return out
    }

    static func second(_ t: BusTime) -> Int64 { t.microseconds >= 0 ? t.microseconds / 1_000_000 : (t.microseconds - 999_999) / 1_000_000 }
}

/// The last price of each of the latest seconds, for the part of the settlement average already seen.
struct SecondPrices: Sendable {
    private(set) var entries: [(second: Int64, price: Double)] = []

    mutating func record(second: Int64, price: Double) {
        if let last = entries.last, last.second == second { entries[entries.count - 1].price = price; return }
        if let last = entries.last, second < last.second { return }
        entries.append((second, price))
        if entries.count > 180 { entries.removeFirst(entries.count - 120) }
    }

    /// Mean over the seconds `start…end` of the price in force each second (nil before any price).
    func average(from start: Int64, to end: Int64) -> Double? {
        guard start <= end else { return nil }
        var sum = 0.0, n = 0, i = 0
        var current: Double?
        for s in start...end {
            while i < entries.count && entries[i].second <= s { current = entries[i].price; i += 1 }
            if let c = current { sum += c; n += 1 }
        }
        return n > 0 ? sum / Double(n) : nil
    }
}
