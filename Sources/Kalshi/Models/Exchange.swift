public import Foundation
public import Money

/// `GET /exchange/status`.
public struct ExchangeStatus: Codable, Sendable, Hashable {
    /// Kalshi's `exchange_active`.
    public var exchangeActive: Bool
    /// Kalshi's `trading_active`.
    public var tradingActive: Bool
    /// Kalshi's `intra_exchange_transfers_active`.
    public var intraExchangeTransfersActive: Bool?
    /// Kalshi's `exchange_estimated_resume_time`, an RFC 3339 time.
    public var exchangeEstimatedResumeTime: Date?
    /// Kalshi's `exchange_index_statuses`.
    public var exchangeIndexStatuses: [ShardStatus]?

    /// The status of one exchange shard (crypto lives on shard 2).
    public struct ShardStatus: Codable, Sendable, Hashable {
        /// Kalshi's `exchange_index`.
        public var exchangeIndex: Int
        /// Kalshi's `description`.
        public var description: String?
        /// Kalshi's `exchange_active`.
        public var exchangeActive: Bool?
        /// Kalshi's `trading_active`.
        public var tradingActive: Bool?
    }
}

/// A series (`KXBTCD`): its fee schedule and settlement sources.
public struct Series: Codable, Sendable, Hashable {
    /// Kalshi's `ticker`.
    public var ticker: String
    /// Kalshi's `frequency`.
    public var frequency: String?
    /// Kalshi's `title`.
    public var title: String?
    /// Kalshi's `category`.
    public var category: String?
    /// Kalshi's `tags`.
    public var tags: [String]?
    /// Kalshi's `settlement_sources`.
    public var settlementSources: [SettlementSource]?
    /// Kalshi's `contract_url`.
    public var contractUrl: String?
    /// Kalshi's `contract_terms_url`.
    public var contractTermsUrl: String?
    /// Kalshi's `fee_type`.
    public var feeType: String?
    /// A plain JSON number (e.g. 1); a multiplier, not money, so it keeps its exact decimal text.
    public var feeMultiplier: Decimal?
    /// Kalshi's `volume_fp`, exact contract count.
    public var volumeFp: Contracts?
    /// Kalshi's `exchange_index`.
    public var exchangeIndex: Int?
}

/// A named settlement source with its address.
public struct SettlementSource: Codable, Sendable, Hashable {
    /// Kalshi's `name`.
    public var name: String?
    /// Kalshi's `url`.
    public var url: String?
}

/// `GET /series/{ticker}` → `{"series": Series}`.
public struct SeriesResponse: Codable, Sendable { public var series: Series }

/// `GET /series` → `{"series": [Series]}`.
public struct SeriesListResponse: Codable, Sendable { public var series: [Series]? }

/// An event (one hour of `KXBTCD`), with its markets when asked for nested markets.
public struct Event: Codable, Sendable, Hashable {
    /// Kalshi's `event_ticker`.
    public var eventTicker: String
    /// Kalshi's `series_ticker`.
    public var seriesTicker: String?
    /// Kalshi's `title`.
    public var title: String?
    /// Kalshi's `sub_title`.
    public var subTitle: String?
    /// Kalshi's `collateral_return_type`.
    public var collateralReturnType: String?
    /// Kalshi's `mutually_exclusive`.
    public var mutuallyExclusive: Bool?
    /// Kalshi's `strike_date`, an RFC 3339 time.
    public var strikeDate: Date?
    /// Kalshi's `strike_period`.
    public var strikePeriod: String?
    /// Kalshi's `markets`.
    public var markets: [Market]?
    /// Kalshi's `exchange_index`.
    public var exchangeIndex: Int?

    /// An event with only a ticker.
    public init(eventTicker: String, markets: [Market]? = nil) {
        self.eventTicker = eventTicker
        self.markets = markets
    }
}

/// `GET /events/{ticker}` → `{"event": Event, "markets": [Market]}` (top-level markets are deprecated).
public struct EventResponse: Codable, Sendable {
    /// Kalshi's `event`.
    public var event: Event
    /// Kalshi's `markets`.
    public var markets: [Market]?
}

/// One page of `GET /events`.
public struct EventsPage: CursorPage {
    /// Kalshi's `events`.
    public var events: [Event]?
    /// The next page's cursor; empty or nil on the last page.
    public var cursor: String?
    /// The items of this page.
    public var items: [Event] { events ?? [] }
}
