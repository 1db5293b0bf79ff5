import Money

/// One hourly KXBTCD event: "BTC above K at the top of the hour (US Eastern)?", with a ladder of strikes.
public struct SimEvent: Sendable, Equatable {
    public let eventTicker: String
    public let seriesTicker: String
    public let title: String
    public let subTitle: String
    public let openMs: Millis
    public let closeMs: Millis
    public let createdMs: Millis
    /// The tickers of the event's markets, lowest strike first.
    public var marketTickers: [String]
}

/// One binary market of an event: YES iff the settlement average is above `floorStrike`.
public struct SimMarket: Sendable, Equatable {
    public let ticker: String
    public let eventTicker: String
    public let floorStrike: Dollars
    public let openMs: Millis
    public let closeMs: Millis
    public let createdMs: Millis
    public var status: MarketStatus = .initialized
    public var updatedMs: Millis
    /// `yes` or `no` once determined.
    public var result: OutcomeSide?
    /// The 60-second average the market settled on.
    public var expirationValue: Dollars?
    public var determinedMs: Millis?
    public var settledMs: Millis?
    public var lastPrice: Dollars = .zero
    public var previousPrice: Dollars = .zero
    public var volume: Contracts = .zero
    public var openInterest: Contracts = .zero
    public let yesSubTitle: String
    public let title: String
    public let rulesPrimary: String
}

/// An order as the exchange keeps it. Prices are YES-leg prices.
public struct SimOrder: Sendable, Equatable {
    public let orderID: String
    public let userID: String
    public internal(set) var clientOrderID: String
    public let ticker: String
    public let side: BookSide
    public internal(set) var price: Dollars
    public internal(set) var initialCount: Contracts
    public var fillCount: Contracts = .zero
    public var remainingCount: Contracts
    public var status: OrderStatus = .resting
    public let timeInForce: TimeInForce
    public let selfTradePrevention: SelfTradePrevention
    public let postOnly: Bool
    public let reduceOnly: Bool
    public let expirationSecond: Int64?
    public let createdMs: Millis
    public var updatedMs: Millis
    /// Price × count over taker fills and maker fills, on the order's own leg.
    public var takerFillCost: Dollars = .zero
    public var makerFillCost: Dollars = .zero
    public var takerFees: Dollars = .zero
    public var makerFees: Dollars = .zero
    /// Cash held back for the resting remainder (YES price for bids, NO price for asks).
    var reserved: Dollars = .zero
    /// Arrival sequence, for time priority.
    var sequence: Int64

    /// The leg this order buys: a bid buys YES, an ask buys NO.
    public var outcomeSide: OutcomeSide { side == .bid ? .yes : .no }
    /// The price on the order's own leg.
    public var legPrice: Dollars { side == .bid ? price : oneDollar - price }
}

/// One side of one match, as the user who traded sees it.
public struct SimFill: Sendable, Equatable {
    public let fillID: String
    public let tradeID: String
    public let orderID: String
    public let userID: String
    public let clientOrderID: String
    public let ticker: String
    public let side: BookSide
    /// YES-leg price.
    public let price: Dollars
    public let count: Contracts
    public let isTaker: Bool
    public let fee: Dollars
    public let createdMs: Millis
    /// The user's position after this fill (+ YES, − NO).
    public let postPosition: Contracts
    public var outcomeSide: OutcomeSide { side == .bid ? .yes : .no }
}

/// A public trade print.
public struct SimTrade: Sendable, Equatable {
    public let tradeID: String
    public let ticker: String
    public let price: Dollars
    public let count: Contracts
    public let takerSide: BookSide
    public let createdMs: Millis
}

/// A user's holding in one market. Netted: + YES, − NO.
public struct SimPosition: Sendable, Equatable {
    public let ticker: String
    public var position: Contracts = .zero
    /// What the open position cost (on its own leg).
    public var cost: Dollars = .zero
    public var totalTraded: Dollars = .zero
    public var realizedPnL: Dollars = .zero
    public var feesPaid: Dollars = .zero
    public var volume: Contracts = .zero
    public var updatedMs: Millis = 0

    public init(ticker: String) { self.ticker = ticker }
}

/// The payout of one settled market to one user.
public struct SimSettlement: Sendable, Equatable {
    public let ticker: String
    public let eventTicker: String
    public let result: OutcomeSide
    public let yesCount: Contracts
    public let yesCost: Dollars
    public let noCount: Contracts
    public let noCost: Dollars
    /// What the user received.
    public let revenue: Dollars
    public let settledMs: Millis
    public let fees: Dollars
}
