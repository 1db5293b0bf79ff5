public import Foundation
public import Money

/// One Kalshi market (a single strike of an event), as `GET /markets` and nested events return it.
///
/// Every field but the ticker is optional, so a market decodes whatever Kalshi adds or drops. Prices are
/// ``Dollars`` (YES-leg prices unless the name says `no`), counts are ``Contracts``.
public struct Market: Codable, Sendable, Hashable {
    /// Kalshi's `ticker`.
    public var ticker: String
    /// Kalshi's `event_ticker`.
    public var eventTicker: String?
    /// Kalshi's `market_type`.
    public var marketType: String?
    /// Kalshi's `title`.
    public var title: String?
    /// Kalshi's `subtitle`.
    public var subtitle: String?
    /// Kalshi's `yes_sub_title`.
    public var yesSubTitle: String?
    /// Kalshi's `no_sub_title`.
    public var noSubTitle: String?
    /// Kalshi's `status`.
    public var status: MarketStatus?
    /// Kalshi's `created_time`, an RFC 3339 time.
    public var createdTime: Date?
    /// Kalshi's `updated_time`, an RFC 3339 time.
    public var updatedTime: Date?
    /// Kalshi's `open_time`, an RFC 3339 time.
    public var openTime: Date?
    /// Kalshi's `close_time`, an RFC 3339 time.
    public var closeTime: Date?
    /// Kalshi's `expected_expiration_time`, an RFC 3339 time.
    public var expectedExpirationTime: Date?
    /// Kalshi's `expiration_time`, an RFC 3339 time.
    public var expirationTime: Date?
    /// Kalshi's `latest_expiration_time`, an RFC 3339 time.
    public var latestExpirationTime: Date?
    /// Kalshi's `settlement_timer_seconds`.
    public var settlementTimerSeconds: Int?
    /// Kalshi's `strike_type`.
    public var strikeType: StrikeType?
    /// The strike: for `greater`, YES wins when the settlement value is above it (e.g. 106249.99).
    public var floorStrike: Dollars?
    /// Kalshi's `cap_strike`, exact dollars.
    public var capStrike: Dollars?
    /// Kalshi's `yes_bid_dollars`, exact dollars.
    public var yesBidDollars: Dollars?
    /// Kalshi's `yes_bid_size_fp`, exact contract count.
    public var yesBidSizeFp: Contracts?
    /// Kalshi's `yes_ask_dollars`, exact dollars.
    public var yesAskDollars: Dollars?
    /// Kalshi's `yes_ask_size_fp`, exact contract count.
    public var yesAskSizeFp: Contracts?
    /// Kalshi's `no_bid_dollars`, exact dollars.
    public var noBidDollars: Dollars?
    /// Kalshi's `no_ask_dollars`, exact dollars.
    public var noAskDollars: Dollars?
    /// Kalshi's `last_price_dollars`, exact dollars.
    public var lastPriceDollars: Dollars?
    /// Kalshi's `previous_yes_bid_dollars`, exact dollars.
    public var previousYesBidDollars: Dollars?
    /// Kalshi's `previous_yes_ask_dollars`, exact dollars.
    public var previousYesAskDollars: Dollars?
    /// Kalshi's `previous_price_dollars`, exact dollars.
    public var previousPriceDollars: Dollars?
    /// Kalshi's `volume_fp`, exact contract count.
    public var volumeFp: Contracts?
    /// Kalshi's `volume_24h_fp`, exact contract count.
    public var volume24hFp: Contracts?
    /// Kalshi's `open_interest_fp`, exact contract count.
    public var openInterestFp: Contracts?
    /// Kalshi's `notional_value_dollars`, exact dollars.
    public var notionalValueDollars: Dollars?
    /// Kalshi's `result`.
    public var result: MarketResult?
    /// Kalshi's `settlement_value_dollars`, exact dollars.
    public var settlementValueDollars: Dollars?
    /// Kalshi's `settlement_ts`, an RFC 3339 time.
    public var settlementTs: Date?
    /// The settlement input (for BTC, the 60-second BRTI average), as Kalshi's text.
    public var expirationValue: String?
    /// Kalshi's `can_close_early`.
    public var canCloseEarly: Bool?
    /// Kalshi's `rules_primary`.
    public var rulesPrimary: String?
    /// Kalshi's `rules_secondary`.
    public var rulesSecondary: String?
    /// Kalshi's `price_level_structure`.
    public var priceLevelStructure: String?
    /// Kalshi's `price_ranges`.
    public var priceRanges: [PriceRange]?
    /// Kalshi's `exchange_index`.
    public var exchangeIndex: Int?

    /// A market with only a ticker; set the rest as needed (tests, the simulator).
    public init(ticker: String) { self.ticker = ticker }
}

/// One band of valid prices: from `start` to `end` in steps of `step`.
public struct PriceRange: Codable, Sendable, Hashable {
    /// Kalshi's `start`, exact dollars.
    public var start: Dollars
    /// Kalshi's `end`, exact dollars.
    public var end: Dollars
    /// Kalshi's `step`, exact dollars.
    public var step: Dollars

    /// A price band.
    public init(start: Dollars, end: Dollars, step: Dollars) {
        self.start = start
        self.end = end
        self.step = step
    }
}

/// `GET /markets/{ticker}` → `{"market": Market}`.
public struct MarketResponse: Codable, Sendable {
    /// Kalshi's `market`.
    public var market: Market
}

/// One page of `GET /markets`.
public struct MarketsPage: CursorPage {
    /// Kalshi's `markets`.
    public var markets: [Market]?
    /// The next page's cursor; empty or nil on the last page.
    public var cursor: String?
    /// The items of this page.
    public var items: [Market] { markets ?? [] }
}
