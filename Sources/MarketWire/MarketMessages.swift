public import BusWire
public import Money

/// One market of an event as `market.event.<event_ticker>` lists it.
public struct MarketListing: Codable, Sendable, Hashable {
    /// The market ticker (`KXBTCD-25MAY1522-T106249.99`).
    public var ticker: String
    /// The strike: for `greater`, YES wins when the settlement value is above it.
    public var floorStrike: Dollars?
    /// Kalshi's `strike_type` (`greater`, `less`, `between`...).
    public var strikeType: String?
    /// Kalshi's stored status (`initialized`, `active`, `closed`, `determined`, `finalized`...).
    public var status: String?

    /// A listing.
    public init(ticker: String, floorStrike: Dollars?, strikeType: String?, status: String?) {
        self.ticker = ticker; self.floorStrike = floorStrike; self.strikeType = strikeType; self.status = status
    }

    enum CodingKeys: String, CodingKey { case ticker, floorStrike = "floor_strike", strikeType = "strike_type", status }
}

/// `market.event.<event_ticker>`: one hourly event the market feed follows (state).
public struct MarketEventSummary: BusMessage, Hashable {
    /// The envelope type.
    public static let typeName = "market.event"
    /// The series (`KXBTCD`).
    public var series: String
    /// The event ticker (`KXBTCD-25MAY1522`).
    public var eventTicker: String
    /// The close instant, RFC 3339 UTC.
    public var closeTime: String
    /// The close instant, Unix seconds.
    public var closeTs: Int64
    /// The most common gap between the event's strikes; nil with fewer than two strikes.
    public var strikeSpacing: Dollars?
    /// The markets, by ascending floor strike.
    public var markets: [MarketListing]

    /// A summary.
    public init(series: String, eventTicker: String, closeTime: String, closeTs: Int64, strikeSpacing: Dollars?, markets: [MarketListing]) {
        self.series = series; self.eventTicker = eventTicker; self.closeTime = closeTime; self.closeTs = closeTs
        self.strikeSpacing = strikeSpacing; self.markets = markets
    }

    enum CodingKeys: String, CodingKey {
        case series, eventTicker = "event_ticker", closeTime = "close_time", closeTs = "close_ts", strikeSpacing = "strike_spacing", markets
    }
}

/// `market.series.<series>`: the events the market feed follows now, earliest close first (state). Anything not
/// listed here (an event that closed) is no longer followed, whatever the broker still holds for it.
public struct MarketSeriesIndex: BusMessage, Hashable {
    /// The envelope type.
    public static let typeName = "market.series"
    /// The series (`KXBTCD`).
    public var series: String
    /// Event tickers, earliest close first: the current hour, then the next.
    public var events: [String]

    /// An index.
    public init(series: String, events: [String]) { self.series = series; self.events = events }
}

/// `market.book.<market_ticker>`: one market's top of book, published whenever it changes and the book is valid
/// (state). Prices are YES-leg prices for `yes_*` and NO-leg prices for `no_*`, decimal strings; sizes are
/// contract counts. A side that is empty is left out.
public struct MarketTopOfBook: BusMessage, Hashable {
    /// The envelope type.
    public static let typeName = "market.book"
    /// The market ticker.
    public var marketTicker: String
    /// Its event.
    public var eventTicker: String
    /// Best YES bid (YES-leg price).
    public var yesBid: Dollars?
    /// Contracts bid at ``yesBid``.
    public var yesBidSize: Contracts?
    /// Best YES ask: one dollar minus the best NO bid.
    public var yesAsk: Dollars?
    /// Contracts offered at ``yesAsk``.
    public var yesAskSize: Contracts?
    /// Best NO bid (NO-leg price).
    public var noBid: Dollars?
    /// Contracts bid at ``noBid``.
    public var noBidSize: Contracts?
    /// Best NO ask: one dollar minus the best YES bid.
    public var noAsk: Dollars?
    /// Contracts offered at ``noAsk``.
    public var noAskSize: Contracts?
    /// The last traded YES price (from the `ticker` channel), when known.
    public var lastPrice: Dollars?
    /// Contracts traded in the market so far (from the `ticker` channel), when known.
    public var volume: Contracts?
    /// When the feed saw this book, RFC 3339 UTC.
    public var time: String

    /// A top of book.
    public init(marketTicker: String, eventTicker: String, yesBid: Dollars? = nil, yesBidSize: Contracts? = nil,
                yesAsk: Dollars? = nil, yesAskSize: Contracts? = nil, noBid: Dollars? = nil, noBidSize: Contracts? = nil,
                noAsk: Dollars? = nil, noAskSize: Contracts? = nil, lastPrice: Dollars? = nil, volume: Contracts? = nil, time: String) {
        self.marketTicker = marketTicker; self.eventTicker = eventTicker
        self.yesBid = yesBid; self.yesBidSize = yesBidSize; self.yesAsk = yesAsk; self.yesAskSize = yesAskSize
        self.noBid = noBid; self.noBidSize = noBidSize; self.noAsk = noAsk; self.noAskSize = noAskSize
        self.lastPrice = lastPrice; self.volume = volume; self.time = time
    }

    /// Equal apart from ``time``: whether republishing would tell a reader anything new.
    public func sameQuote(as other: MarketTopOfBook) -> Bool {
        var a = self, b = other
        a.time = ""; b.time = ""
        return a == b
    }

    enum CodingKeys: String, CodingKey {
        case marketTicker = "market_ticker", eventTicker = "event_ticker", yesBid = "yes_bid", yesBidSize = "yes_bid_size"
        case yesAsk = "yes_ask", yesAskSize = "yes_ask_size", noBid = "no_bid", noBidSize = "no_bid_size", noAsk = "no_ask"
        case noAskSize = "no_ask_size", lastPrice = "last_price", volume, time
    }
}

/// `market.lifecycle.<market_ticker>`: a market of the series was created, (de)activated, rescheduled,
/// determined or settled (Kalshi's `market_lifecycle_v2`).
public struct MarketLifecycleEvent: BusMessage, Hashable {
    /// The envelope type.
    public static let typeName = "market.lifecycle"
    /// The market ticker.
    public var marketTicker: String
    /// `created`, `activated`, `deactivated`, `close_date_updated`, `determined`, `settled`...
    public var eventType: String
    /// The market's open, Unix seconds, when Kalshi sent it.
    public var openTs: Int64?
    /// The market's close, Unix seconds, when Kalshi sent it.
    public var closeTs: Int64?
    /// `yes` or `no` once determined.
    public var result: String?
    /// The settlement value of a YES contract once determined.
    public var settlementValue: Dollars?
    /// When the feed saw it, RFC 3339 UTC.
    public var time: String

    /// A lifecycle transition.
    public init(marketTicker: String, eventType: String, openTs: Int64? = nil, closeTs: Int64? = nil, result: String? = nil,
                settlementValue: Dollars? = nil, time: String) {
        self.marketTicker = marketTicker; self.eventType = eventType; self.openTs = openTs; self.closeTs = closeTs
        self.result = result; self.settlementValue = settlementValue; self.time = time
    }

    enum CodingKeys: String, CodingKey {
        case marketTicker = "market_ticker", eventType = "event_type", openTs = "open_ts", closeTs = "close_ts", result
        case settlementValue = "settlement_value", time
    }
}
