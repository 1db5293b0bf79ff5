import Money

/// One market's resting orders on the YES leg: bids buy YES, asks sell YES. Within a price level, orders keep
/// their arrival order (price-time priority).
struct OrderBook: Sendable {
    struct Entry: Sendable, Equatable {
        let orderID: String
        let userID: String
        var remaining: Contracts
    }

    private(set) var bids: [Int64: [Entry]] = [:]
    private(set) var asks: [Int64: [Entry]] = [:]

    var bestBid: Dollars? { bids.keys.max().map { Dollars(micros: $0) } }
    var bestAsk: Dollars? { asks.keys.min().map { Dollars(micros: $0) } }

    /// Prices on `side`, best first.
    func prices(_ side: BookSide) -> [Dollars] {
        side == .bid ? bids.keys.sorted(by: >).map { Dollars(micros: $0) } : asks.keys.sorted().map { Dollars(micros: $0) }
    }

    func entries(_ side: BookSide, at price: Dollars) -> [Entry] {
        (side == .bid ? bids : asks)[price.micros] ?? []
    }

    /// Total resting at one price.
    func size(_ side: BookSide, at price: Dollars) -> Contracts {
        entries(side, at: price).reduce(.zero) { $0 + $1.remaining }
    }

    mutating func add(_ side: BookSide, price: Dollars, _ entry: Entry) {
        if side == .bid { bids[price.micros, default: []].append(entry) } else { asks[price.micros, default: []].append(entry) }
    }

    /// Sets an order's remaining count; zero removes it. Returns the change in the level's size.
    @discardableResult
    mutating func update(_ side: BookSide, price: Dollars, orderID: String, remaining: Contracts) -> Contracts {
        var level = entries(side, at: price)
        guard let i = level.firstIndex(where: { $0.orderID == orderID }) else { return .zero }
        let delta = remaining - level[i].remaining
        if remaining == .zero { level.remove(at: i) } else { level[i].remaining = remaining }
        let stored: [Entry]? = level.isEmpty ? nil : level
        if side == .bid { bids[price.micros] = stored } else { asks[price.micros] = stored }
        return delta
    }

    /// Aggregated levels, ascending by the leg's own price, as Kalshi's orderbook lists them (best last): YES bids
    /// at YES prices, and NO bids (the YES asks) at NO prices.
    func levels(_ leg: OutcomeSide) -> [(price: Dollars, count: Contracts)] {
        switch leg {
        case .yes:
            return bids.keys.sorted().map { (Dollars(micros: $0), size(.bid, at: Dollars(micros: $0))) }
        case .no:
            return asks.keys.sorted(by: >).map { (oneDollar - Dollars(micros: $0), size(.ask, at: Dollars(micros: $0))) }
        }
    }
}

/// A read-only snapshot of a market's book in Kalshi's shape.
public struct BookView: Sendable, Equatable {
    /// YES bids, ascending (best last).
    public let yes: [PriceLevel]
    /// NO bids at NO prices, ascending (best last).
    public let no: [PriceLevel]
}

/// One aggregated price level.
public struct PriceLevel: Sendable, Equatable {
    public let price: Dollars
    public let count: Contracts
    public init(price: Dollars, count: Contracts) {
        self.price = price
        self.count = count
    }
}
