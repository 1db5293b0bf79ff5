import BusWire
public import Kalshi
public import MarketWire
import Money

/// The events and markets the feed follows, the `ticker` channel's figures, and the last top of book published
/// for each market. A pure state machine: feed it selections, tickers and books; it answers what to do.
public struct MarketTracker: Sendable {
    /// What to do after a new selection of events.
    public struct Roll: Sendable, Hashable {
        /// Markets to subscribe to (in order of their events).
        public var added: [String] = []
        /// Markets to drop: their event is no longer followed.
        public var removed: [String] = []
        /// Summaries to publish (new events, or ones whose markets or statuses changed).
        public var summaries: [MarketEventSummary] = []
        /// Whether the set or order of followed events changed (republish the series index).
        public var indexChanged = false

        /// Nothing to do.
        public init() {}
    }

    /// The series followed.
    public let series: String
    /// The followed events' summaries, earliest close first.
    public private(set) var events: [MarketEventSummary] = []
    private var eventOfMarket: [String: String] = [:]
    private var figures: [String: (last: Dollars?, volume: Contracts?)] = [:]
    private var published: [String: MarketTopOfBook] = [:]

    /// A tracker for `series`, following nothing yet.
    public init(series: String) { self.series = series }

    /// Every followed market ticker.
    public var markets: Set<String> { Set(eventOfMarket.keys) }

    /// The event a followed market belongs to.
    public func event(of marketTicker: String) -> String? { eventOfMarket[marketTicker] }

    /// The series index message.
    public var index: MarketSeriesIndex { MarketSeriesIndex(series: series, events: events.map(\.eventTicker)) }

    /// Follows exactly `selected` (from ``EventSelection/select(_:series:now:count:)``): markets of events no
    /// longer selected are dropped, those of new events added (their last price and volume taken from REST until
    /// the `ticker` channel says more).
    public mutating func apply(selected: [Event]) -> Roll {
        var roll = Roll()
        let next = selected.map { EventSelection.summary(of: $0, series: series) }
        let before = Dictionary(events.map { ($0.eventTicker, $0) }, uniquingKeysWith: { a, _ in a })
        roll.indexChanged = next.map(\.eventTicker) != events.map(\.eventTicker)
        var nextMarkets: [String: String] = [:]
        for (summary, event) in zip(next, selected) {
            if before[summary.eventTicker] != summary { roll.summaries.append(summary) }
            for m in event.markets ?? [] where nextMarkets[m.ticker] == nil {
                nextMarkets[m.ticker] = summary.eventTicker
                guard eventOfMarket[m.ticker] == nil else { continue }
                roll.added.append(m.ticker)
                figures[m.ticker] = (m.lastPriceDollars, m.volumeFp)  // until the ticker channel says more
            }
        }
        roll.removed = eventOfMarket.keys.filter { nextMarkets[$0] == nil }.sorted()
        for t in roll.removed {
            figures[t] = nil
            published[t] = nil
        }
        events = next
        eventOfMarket = nextMarkets
        return roll
    }

    /// Records a `ticker` message's last price and volume; true when the market is followed.
    public mutating func record(_ update: TickerUpdate) -> Bool {
        guard eventOfMarket[update.marketTicker] != nil else { return false }
        let old = figures[update.marketTicker]
        figures[update.marketTicker] = (update.priceDollars ?? old?.last, update.volumeFp ?? old?.volume)
        return true
    }

    /// The top of book to publish for a valid `book` of `marketTicker` seen at `time`: nil when the market is
    /// not followed or nothing changed since the last one published.
    public mutating func quote(_ marketTicker: String, book: OrderBook, time: BusTime) -> MarketTopOfBook? {
        guard let event = eventOfMarket[marketTicker] else { return nil }
        let f = figures[marketTicker]
        let top = TopOfBookBuilder.make(marketTicker: marketTicker, eventTicker: event, book: book, lastPrice: f?.last,
                                        volume: f?.volume, time: time)
        if let last = published[marketTicker], last.sameQuote(as: top) { return nil }
        published[marketTicker] = top
        return top
    }

    /// The last top of book published for a market.
    public func lastQuote(_ marketTicker: String) -> MarketTopOfBook? { published[marketTicker] }

    /// Whether a lifecycle message is about this series (followed or about to be).
    public func concerns(_ marketTicker: String) -> Bool { marketTicker.hasPrefix(series + "-") }
}
