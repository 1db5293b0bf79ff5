public import Foundation
public import Money

/// `GET /exchange/status`.
public struct ExchangeStatus: Codable, Sendable, Hashable {
    public var exchangeActive: Bool
    public var tradingActive: Bool
    public var intraExchangeTransfersActive: Bool?
    public var exchangeEstimatedResumeTime: Date?
    public var exchangeIndexStatuses: [ShardStatus]?

    /// The status of one exchange shard (crypto lives on shard 2).
    public struct ShardStatus: Codable, Sendable, Hashable {
        public var exchangeIndex: Int
        public var description: String?
        public var exchangeActive: Bool?
        public var tradingActive: Bool?
    }
}

/// A series (`KXBTCD`): its fee schedule and settlement sources.
public struct Series: Codable, Sendable, Hashable {
    public var ticker: String
    public var frequency: String?
    public var title: String?
    public var category: String?
    public var tags: [String]?
    public var settlementSources: [SettlementSource]?
    public var contractUrl: String?
    public var contractTermsUrl: String?
    public var feeType: String?
    /// A plain JSON number (e.g. 1); a multiplier, not money, so it keeps its exact decimal text.
    public var feeMultiplier: Decimal?
    public var volumeFp: Contracts?
    public var exchangeIndex: Int?
}

/// A named settlement source with its address.
public struct SettlementSource: Codable, Sendable, Hashable {
    public var name: String?
    public var url: String?
}

/// `GET /series/{ticker}` → `{"series": Series}`.
public struct SeriesResponse: Codable, Sendable { public var series: Series }

/// `GET /series` → `{"series": [Series]}`.
public struct SeriesListResponse: Codable, Sendable { public var series: [Series]? }

/// An event (one hour of `KXBTCD`), with its markets when asked for nested markets.
public struct Event: Codable, Sendable, Hashable {
    public var eventTicker: String
    public var seriesTicker: String?
    public var title: String?
    public var subTitle: String?
    public var collateralReturnType: String?
    public var mutuallyExclusive: Bool?
    public var strikeDate: Date?
    public var strikePeriod: String?
    public var markets: [Market]?
    public var exchangeIndex: Int?

    /// An event with only a ticker.
    public init(eventTicker: String, markets: [Market]? = nil) {
        self.eventTicker = eventTicker
        self.markets = markets
    }
}

/// `GET /events/{ticker}` → `{"event": Event, "markets": [Market]}` (top-level markets are deprecated).
public struct EventResponse: Codable, Sendable {
    public var event: Event
    public var markets: [Market]?
}

/// One page of `GET /events`.
public struct EventsPage: CursorPage {
    public var events: [Event]?
    public var cursor: String?
    public var items: [Event] { events ?? [] }
}
