import Foundation

extension KalshiRESTClient {
    /// `GET /exchange/status`.
    public func exchangeStatus() async throws -> ExchangeStatus {
        try await get(ExchangeStatus.self, Call(method: "GET", path: "/exchange/status"))
    }

    /// `GET /series/{ticker}`.
    public func series(_ ticker: String) async throws -> Series {
        try await get(SeriesResponse.self, Call(method: "GET", path: "/series/\(ticker.pathEscaped)")).series
    }

    /// `GET /series`, optionally filtered by category.
    public func seriesList(category: String? = nil) async throws -> [Series] {
        var q: [URLQueryItem] = []
        q.add("category", category)
        return try await get(SeriesListResponse.self, Call(method: "GET", path: "/series", query: q)).series ?? []
    }

    /// `GET /events`, every page. `status` matches an event when any of its markets matches.
    public func events(seriesTicker: String? = nil, status: MarketStatusFilter? = nil, withNestedMarkets: Bool = false,
                       minCloseTs: Int64? = nil) async throws -> [Event] {
        var q: [URLQueryItem] = []
        q.add("series_ticker", seriesTicker)
        q.add("status", status)
        q.add("min_close_ts", minCloseTs)
        if withNestedMarkets { q.add("with_nested_markets", "true") }
        return try await all(EventsPage.self, path: "/events", query: q)
    }

    /// `GET /events/{ticker}` with its markets (nested or, on older answers, top-level).
    public func event(_ ticker: String, withNestedMarkets: Bool = true) async throws -> Event {
        var q: [URLQueryItem] = []
        if withNestedMarkets { q.add("with_nested_markets", "true") }
        let answer = try await get(EventResponse.self, Call(method: "GET", path: "/events/\(ticker.pathEscaped)", query: q))
        var event = answer.event
        if event.markets == nil { event.markets = answer.markets }
        return event
    }

    /// `GET /markets`, every page. `status` is a filter word (`open`, `settled`), not a stored status.
    public func markets(seriesTicker: String? = nil, eventTicker: String? = nil, status: MarketStatusFilter? = nil,
                        tickers: [String] = [], minCloseTs: Int64? = nil, maxCloseTs: Int64? = nil) async throws -> [Market] {
        var q: [URLQueryItem] = []
        q.add("series_ticker", seriesTicker)
        q.add("event_ticker", eventTicker)
        q.add("status", status)
        if !tickers.isEmpty { q.add("tickers", tickers.joined(separator: ",")) }
        q.add("min_close_ts", minCloseTs)
        q.add("max_close_ts", maxCloseTs)
        return try await all(MarketsPage.self, path: "/markets", query: q)
    }

    /// `GET /markets/{ticker}`.
    public func market(_ ticker: String) async throws -> Market {
        try await get(MarketResponse.self, Call(method: "GET", path: "/markets/\(ticker.pathEscaped)")).market
    }

    /// `GET /markets/{ticker}/orderbook`; `depth` 0 means every level.
    public func orderbook(_ ticker: String, depth: Int = 0) async throws -> OrderbookLevels {
        var q: [URLQueryItem] = []
        if depth > 0 { q.add("depth", depth) }
        return try await get(OrderbookResponse.self, Call(method: "GET", path: "/markets/\(ticker.pathEscaped)/orderbook", query: q)).book
    }
}

extension KalshiRESTClient {
    /// `GET /markets/orderbooks` for up to 100 markets at once (`tickers=A&tickers=B`), keyed by ticker.
    public func orderbooks(_ tickers: [String]) async throws -> [String: OrderbookLevels] {
        guard !tickers.isEmpty else { return [:] }
        let q = tickers.map { URLQueryItem(name: "tickers", value: $0) }
        let answer = try await get(OrderbooksResponse.self, Call(method: "GET", path: "/markets/orderbooks", query: q))
        var books: [String: OrderbookLevels] = [:]
        for item in answer.orderbooks ?? [] { books[item.ticker] = item.orderbookFp ?? OrderbookLevels(yes: [], no: []) }
        return books
    }
}

extension String {
    /// Escaped for use as one path segment (tickers contain dots, which are fine; slashes are not).
    var pathEscaped: String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return addingPercentEncoding(withAllowedCharacters: allowed) ?? self
    }
}
