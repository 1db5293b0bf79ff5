public import Money

/// One price level of a book: a price and the count resting at it.
///
/// On the wire a level is a two-element array of strings, `["0.4200","13.00"]`.
public struct PriceLevel: Codable, Sendable, Hashable {
    /// Kalshi's `price`, exact dollars.
    public var price: Dollars
    /// Kalshi's `count`, exact contract count.
    public var count: Contracts

    /// A level.
    public init(price: Dollars, count: Contracts) {
        self.price = price
        self.count = count
    }

    /// Decodes `["0.4200","13.00"]` (numbers are accepted too).
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        price = try c.decode(LenientDollars.self).value
        count = try c.decode(LenientContracts.self).value
    }

    /// Encodes `["0.4200","13.00"]`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(price.formatted(decimals: 4))
        try c.encode(count)
    }
}

/// The bids of both legs of one market, as REST answers: `{"yes_dollars": [...], "no_dollars": [...]}`.
///
/// Both sides hold **bids** only, each in its own leg's price, sorted ascending (the best bid is last). The best
/// YES ask is one dollar minus the best NO bid.
public struct OrderbookLevels: Codable, Sendable, Hashable {
    /// Kalshi's `yes_dollars`.
    public var yesDollars: [PriceLevel]?
    /// Kalshi's `no_dollars`.
    public var noDollars: [PriceLevel]?

    /// Levels of both legs.
    public init(yes: [PriceLevel], no: [PriceLevel]) {
        yesDollars = yes
        noDollars = no
    }

    /// YES bids, ascending.
    public var yes: [PriceLevel] { yesDollars ?? [] }
    /// NO bids (NO-leg prices), ascending.
    public var no: [PriceLevel] { noDollars ?? [] }

    /// The highest YES bid.
    public var bestYesBid: PriceLevel? { yes.max { $0.price < $1.price } }
    /// The highest NO bid.
    public var bestNoBid: PriceLevel? { no.max { $0.price < $1.price } }
    /// The lowest YES ask, implied by the best NO bid: 1 − NO bid.
    public var bestYesAsk: PriceLevel? {
        bestNoBid.map { PriceLevel(price: Dollars(micros: Dollars.scale) - $0.price, count: $0.count) }
    }
}

/// `GET /markets/{ticker}/orderbook` → `{"orderbook_fp": {...}}`.
public struct OrderbookResponse: Codable, Sendable {
    /// Kalshi's `orderbook_fp`.
    public var orderbookFp: OrderbookLevels?
    /// The book, empty when Kalshi sent no levels.
    public var book: OrderbookLevels { orderbookFp ?? OrderbookLevels(yes: [], no: []) }
}

/// `GET /markets/orderbooks` → `{"orderbooks": [{"ticker", "orderbook_fp"}]}`.
public struct OrderbooksResponse: Codable, Sendable {
    /// One market's book in a multi-market answer.
    public struct Item: Codable, Sendable {
        /// The market.
        public var ticker: String
        /// Its levels.
        public var orderbookFp: OrderbookLevels?
    }

    /// The books, in Kalshi's order.
    public var orderbooks: [Item]?
}
