public import Foundation
public import Money

/// One Kalshi market (a single strike of an event), as `GET /markets` and nested events return it.
///
/// Every field but the ticker is optional, so a market decodes whatever Kalshi adds or drops. Prices are
/// ``Dollars`` (YES-leg prices unless the name says `no`), counts are ``Contracts``.
public struct Market: Codable, Sendable, Hashable {
    public var ticker: String
    public var eventTicker: String?
    public var marketType: String?
    public var title: String?
    public var subtitle: String?
    public var yesSubTitle: String?
    public var noSubTitle: String?
    public var status: MarketStatus?
    public var createdTime: Date?
    public var updatedTime: Date?
    public var openTime: Date?
    public var closeTime: Date?
    public var expectedExpirationTime: Date?
    public var expirationTime: Date?
    public var latestExpirationTime: Date?
    public var settlementTimerSeconds: Int?
    public var strikeType: StrikeType?
    /// The strike: for `greater`, YES wins when the settlement value is above it (e.g. 106249.99).
    public var floorStrike: Dollars?
    public var capStrike: Dollars?
    public var yesBidDollars: Dollars?
    public var yesBidSizeFp: Contracts?
    public var yesAskDollars: Dollars?
    public var yesAskSizeFp: Contracts?
    public var noBidDollars: Dollars?
    public var noAskDollars: Dollars?
    public var lastPriceDollars: Dollars?
    public var previousYesBidDollars: Dollars?
    public var previousYesAskDollars: Dollars?
    public var previousPriceDollars: Dollars?
    public var volumeFp: Contracts?
    public var volume24hFp: Contracts?
    public var openInterestFp: Contracts?
    public var notionalValueDollars: Dollars?
    public var result: MarketResult?
    public var settlementValueDollars: Dollars?
    public var settlementTs: Date?
    /// The settlement input (for BTC, the 60-second BRTI average), as Kalshi's text.
    public var expirationValue: String?
    public var canCloseEarly: Bool?
    public var rulesPrimary: String?
    public var rulesSecondary: String?
    public var priceLevelStructure: String?
    public var priceRanges: [PriceRange]?
    public var exchangeIndex: Int?

    /// A market with only a ticker; set the rest as needed (tests, the simulator).
    public init(ticker: String) { self.ticker = ticker }
}

/// One band of valid prices: from `start` to `end` in steps of `step`.
public struct PriceRange: Codable, Sendable, Hashable {
    public var start: Dollars
    public var end: Dollars
    public var step: Dollars

    public init(start: Dollars, end: Dollars, step: Dollars) {
        self.start = start
        self.end = end
        self.step = step
    }
}

/// `GET /markets/{ticker}` → `{"market": Market}`.
public struct MarketResponse: Codable, Sendable {
    public var market: Market
}

/// One page of `GET /markets`.
public struct MarketsPage: CursorPage {
    public var markets: [Market]?
    public var cursor: String?
    public var items: [Market] { markets ?? [] }
}
