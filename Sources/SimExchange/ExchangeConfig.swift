import Money

/// How the simulated exchange lists markets, quotes them and funds users.
public struct ExchangeConfig: Sendable {
    /// The series every hourly event belongs to.
    public var seriesTicker = "KXBTCD"
    /// The exchange shard the series' events and markets live on (Kalshi lists crypto events on shard 2). A write on
    /// an order routed to another shard does not find it.
    public var exchangeIndex = 2
    /// How many shards the exchange runs, indexes `0..<shardCount` (Kalshi: 0 default, 1 combos, 2 crypto,
    /// 3 tennis and baseball). Each holds its own cash.
    public var shardCount = 4
    /// Distance between strikes.
    public var strikeStep = Dollars(cents: 25_000)
    /// Strikes on each side of the one nearest spot (the ladder has 2n + 1 markets).
    public var strikesEachSide = 8
    /// How long before its open an event is listed (as `initialized`).
    public var listingLeadSeconds: Int64 = 600
    /// Seconds between determination and settlement (Kalshi: 60).
    public var settlementTimerSeconds: Int64 = 60
    /// Cash every new user starts with, on the series' shard (other shards start empty).
    public var initialBalance = Dollars(cents: 100_000)
    /// Market makers: on or off, and their quoting parameters.
    public var marketMaker = MarketMakerConfig()

    public init() {}
}

/// How the built-in market makers quote.
public struct MarketMakerConfig: Sendable {
    public var enabled = true
    /// The user id market makers trade as; it has unlimited cash and is never reported.
    public var userID = "sim-market-maker"
    /// Annualised volatility used for fair value.
    public var annualVolatility = 0.5
    /// Cents between the fair value and the best bid (and the best ask).
    public var halfSpreadCents: Int64 = 2
    /// Price levels quoted on each side.
    public var levels = 3
    /// Contracts quoted at each level.
    public var sizePerLevel = Contracts(whole: 100)

    public init() {}
}

/// Something that happened on the exchange, for the streaming layer to fan out.
public enum ExchangeEvent: Sendable, Equatable {
    /// A book level changed by `delta` (YES-leg price and book side).
    case bookDelta(ticker: String, side: BookSide, price: Dollars, delta: Contracts, userID: String?, clientOrderID: String?, ms: Millis)
    case trade(SimTrade)
    case fill(SimFill)
    case order(SimOrder)
    case position(userID: String, ticker: String)
    /// Top of book, last price or volume changed.
    case ticker(String)
    case lifecycle(LifecycleEvent)
}

/// A market lifecycle change as Kalshi's `market_lifecycle_v2` channel reports it.
public struct LifecycleEvent: Sendable, Equatable {
    public enum Kind: String, Sendable { case created, determined, settled }
    public let kind: Kind
    public let ticker: String
    public let eventTicker: String
    public let ms: Millis
}

/// What a new order asks for (prices on the YES leg).
public struct OrderRequest: Sendable, Equatable {
    public var ticker: String
    public var side: BookSide
    public var count: Contracts
    public var price: Dollars
    public var timeInForce: TimeInForce
    public var selfTradePrevention: SelfTradePrevention
    public var clientOrderID: String?
    public var postOnly: Bool
    public var reduceOnly: Bool
    public var expirationSecond: Int64?

    public init(ticker: String, side: BookSide, count: Contracts, price: Dollars, timeInForce: TimeInForce = .goodTillCanceled,
                selfTradePrevention: SelfTradePrevention = .takerAtCross, clientOrderID: String? = nil,
                postOnly: Bool = false, reduceOnly: Bool = false, expirationSecond: Int64? = nil) {
        self.ticker = ticker
        self.side = side
        self.count = count
        self.price = price
        self.timeInForce = timeInForce
        self.selfTradePrevention = selfTradePrevention
        self.clientOrderID = clientOrderID
        self.postOnly = postOnly
        self.reduceOnly = reduceOnly
        self.expirationSecond = expirationSecond
    }
}

/// The outcome of an accepted order.
public struct OrderResult: Sendable, Equatable {
    public let order: SimOrder
    /// Count-weighted average YES price of this request's fills, if any.
    public let averageFillPrice: Dollars?
    /// Fee per contract filled, if any.
    public let averageFeePaid: Dollars?
    public let ms: Millis
}
