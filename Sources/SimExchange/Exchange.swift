import Money

/// The whole simulated exchange as a value: events, markets, books, orders, accounts. Every change is a call with
/// the current (simulated) time; nothing reads a clock or does I/O. What changed is queued as ``ExchangeEvent``s
/// for ``drainEvents()``.
public struct Exchange: Sendable {
    /// One user's money and history.
    struct Account: Sendable {
        /// Cash on the series' shard, where every market trades.
        var cash: Dollars
        /// Cash on the other shards, by index.
        var otherShards: [Int: Dollars] = [:]
        /// Shard transfers by client transfer id.
        var transferIDs: [String: String] = [:]
        var reserved: Dollars = .zero
        var positions: [String: SimPosition] = [:]
        var fills: [SimFill] = []
        var settlements: [SimSettlement] = []
        var clientOrderIDs: [String: String] = [:]
        var updatedMs: Millis = 0
    }

    public let config: ExchangeConfig
    public let index: any IndexSource
    /// The latest time the exchange has been advanced to.
    public private(set) var now: Millis

    var events: [String: SimEvent] = [:]
    var eventOrder: [String] = []
    var markets: [String: SimMarket] = [:]
    var marketOrder: [String] = []
    /// Markets not yet finalized: the only ones a tick needs to look at.
    var liveMarkets: [String] = []
    var books: [String: OrderBook] = [:]
    var orders: [String: SimOrder] = [:]
    var orderOrder: [String] = []
    var accounts: [String: Account] = [:]
    var trades: [SimTrade] = []
    var outbox: [ExchangeEvent] = []
    var sequence: Int64 = 0
    /// Markets whose maker quotes need refreshing, and the quote each currently shows.
    var makerDirty: Set<String> = []
    var makerQuotes: [String: MakerQuote] = [:]
    /// Resting orders that carry an expiration time.
    var expiring: Set<String> = []

    /// Creates the exchange at `now` and lists the events that should exist then.
    public init(config: ExchangeConfig = ExchangeConfig(), index: any IndexSource, now: Millis) {
        self.config = config
        self.index = index
        self.now = now
        advance(to: now)
    }

    /// Returns and clears what happened since the last call.
    public mutating func drainEvents() -> [ExchangeEvent] {
        defer { outbox.removeAll(keepingCapacity: true) }
        return outbox
    }

    mutating func nextID() -> String {
        sequence += 1
        let hex = String(sequence, radix: 16)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }

    mutating func account(_ user: String) -> Account {
        if let a = accounts[user] { return a }
        let a = Account(cash: config.initialBalance)
        accounts[user] = a
        return a
    }

    func isMaker(_ user: String) -> Bool { user == config.marketMaker.userID }

    // MARK: Queries

    /// Events in listing order.
    public var allEvents: [SimEvent] { eventOrder.compactMap { events[$0] } }
    /// Markets in listing order.
    public var allMarkets: [SimMarket] { marketOrder.compactMap { markets[$0] } }
    public func event(_ ticker: String) -> SimEvent? { events[ticker] }
    public func market(_ ticker: String) -> SimMarket? { markets[ticker] }

    /// The market's book, aggregated, in Kalshi's shape.
    public func book(_ ticker: String) -> BookView? {
        guard let b = books[ticker] else { return nil }
        return BookView(yes: b.levels(.yes).map { PriceLevel(price: $0.price, count: $0.count) },
                        no: b.levels(.no).map { PriceLevel(price: $0.price, count: $0.count) })
    }

    /// Best YES bid and best YES ask with their sizes.
    public func topOfBook(_ ticker: String) -> (bid: PriceLevel?, ask: PriceLevel?) {
        guard let b = books[ticker] else { return (nil, nil) }
        return (b.bestBid.map { PriceLevel(price: $0, count: b.size(.bid, at: $0)) },
                b.bestAsk.map { PriceLevel(price: $0, count: b.size(.ask, at: $0)) })
    }

    /// Cash available to trade on the series' shard (cash less what resting orders hold back).
    public func balance(_ user: String) -> Dollars {
        guard let a = accounts[user] else { return config.initialBalance }
        return a.cash - a.reserved
    }

    /// The mark-to-market value of a user's open positions, at the YES bid for long YES and at the NO bid for NO.
    public func portfolioValue(_ user: String) -> Dollars {
        guard let a = accounts[user] else { return .zero }
        return a.positions.values.reduce(.zero) { sum, p in
            let top = topOfBook(p.ticker)
            if p.position > .zero { return sum + (top.bid?.price ?? .zero) * p.position }
            if p.position < .zero { return sum + (oneDollar - (top.ask?.price ?? oneDollar)) * (-p.position) }
            return sum
        }
    }

    /// Unsettled positions, by ticker.
    public func positions(_ user: String) -> [SimPosition] {
        (accounts[user]?.positions.values.map { $0 } ?? []).sorted { $0.ticker < $1.ticker }
    }

    public func position(_ user: String, _ ticker: String) -> Contracts { accounts[user]?.positions[ticker]?.position ?? .zero }

    /// Fills, oldest first.
    public func fills(_ user: String) -> [SimFill] { accounts[user]?.fills ?? [] }
    /// Settlements, oldest first.
    public func settlements(_ user: String) -> [SimSettlement] { accounts[user]?.settlements ?? [] }
    /// Orders, oldest first.
    public func orders(_ user: String) -> [SimOrder] { orderOrder.compactMap { orders[$0] }.filter { $0.userID == user } }
    public func order(_ id: String) -> SimOrder? { orders[id] }
    /// Public trades, oldest first.
    public var allTrades: [SimTrade] { trades }
    /// The last time a user's account changed.
    public func accountUpdatedMs(_ user: String) -> Millis { accounts[user]?.updatedMs ?? now }

    /// Registers a user (funding it with the initial balance) if it is new.
    public mutating func openAccount(_ user: String) { _ = account(user) }

    /// Advances the clock without listing, settling or quoting (for callers that batch).
    mutating func setNow(_ ms: Millis) { now = max(now, ms) }
}
