public import Money

/// One market's book built from WebSocket snapshots and deltas: bids of both legs, each in its own leg's price.
///
/// `yes[price]` is the count bid for YES at `price`; `no[price]` the count bid for NO at `price` (the NO leg).
/// The best YES ask is one dollar minus the best NO bid.
public struct OrderBook: Sendable, Hashable {
    /// YES bids: count by YES price.
    public var yes: [Dollars: Contracts] = [:]
    /// NO bids: count by NO-leg price.
    public var no: [Dollars: Contracts] = [:]

    /// An empty book.
    public init() {}

    /// A book holding these levels (zero or negative counts are left out).
    public init(yes: [PriceLevel], no: [PriceLevel]) {
        for l in yes where l.count > .zero { self.yes[l.price] = l.count }
        for l in no where l.count > .zero { self.no[l.price] = l.count }
    }

    /// The highest YES bid.
    public var bestYesBid: PriceLevel? { yes.max { $0.key < $1.key }.map { PriceLevel(price: $0.key, count: $0.value) } }
    /// The highest NO bid (NO-leg price).
    public var bestNoBid: PriceLevel? { no.max { $0.key < $1.key }.map { PriceLevel(price: $0.key, count: $0.value) } }
    /// The lowest YES ask: 1 − best NO bid, with that level's count.
    public var bestYesAsk: PriceLevel? {
        bestNoBid.map { PriceLevel(price: Dollars(micros: Dollars.scale) - $0.price, count: $0.count) }
    }
    /// The lowest NO ask: 1 − best YES bid.
    public var bestNoAsk: PriceLevel? {
        bestYesBid.map { PriceLevel(price: Dollars(micros: Dollars.scale) - $0.price, count: $0.count) }
    }

    /// Adds `delta` at `price` on `side`; a level that reaches zero is removed. False when the level would go
    /// negative (the book no longer matches the exchange's).
    public mutating func apply(side: OutcomeSide, price: Dollars, delta: Contracts) -> Bool {
        let current = (side == .yes ? yes[price] : no[price]) ?? .zero
        let next = current + delta
        guard next >= .zero else { return false }
        let value: Contracts? = next == .zero ? nil : next
        if side == .yes { yes[price] = value } else { no[price] = value }
        return true
    }
}
