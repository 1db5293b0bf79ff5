import MarketWire
import Money
import TradingWire

/// Paper trading's view of the market: the latest top of book of each market, and fills computed against it.
/// Pure. A fill takes the liquidity it used off the cached ask until the next book arrives, so two paper orders
/// never both buy the same contracts.
public struct PaperBooks: Sendable {
    /// One paper fill: how many at which price, and the taker fee.
    public struct Fill: Sendable, Hashable {
        /// Contracts bought.
        public var count: Contracts
        /// The ask they were bought at.
        public var price: Dollars
        /// `TakerFee.of(count:price:)`.
        public var fee: Dollars
    }

    private var books: [String: MarketTopOfBook] = [:]

    /// No books yet.
    public init() {}

    /// Keeps `book` as its market's latest.
    public mutating func update(_ book: MarketTopOfBook) { books[book.marketTicker] = book }

    /// The latest book of `ticker`.
    public func book(_ ticker: String) -> MarketTopOfBook? { books[ticker] }

    /// Fills `intent` against its market's book: a buy at the side's ask when the ask is at or under the cap, up
    /// to the ask's size (IOC fills what there is, FoK all or nothing). Nil fill means nothing filled; the string
    /// says why.
    public mutating func fill(_ intent: OrderIntent) -> (fill: Fill?, why: String?) {
        guard var book = books[intent.ticker] else { return (nil, "no book seen for \(intent.ticker)") }
        let ask = intent.side == .yes ? book.yesAsk : book.noAsk
        let size = (intent.side == .yes ? book.yesAskSize : book.noAskSize) ?? .zero
        guard let ask, size > .zero else { return (nil, "no \(intent.side.rawValue) ask in \(intent.ticker)") }
        guard ask <= intent.limitPrice else {
            return (nil, "\(intent.side.rawValue) ask \(ask.formatted(decimals: 2)) is above the cap \(intent.limitPrice.formatted(decimals: 2))")
        }
        if intent.timeInForce == .fillOrKill, size < intent.count {
            return (nil, "fill-or-kill: only \(size) at the ask, \(intent.count) asked")
        }
        let count = min(size, intent.count)
        if intent.side == .yes { book.yesAskSize = size - count } else { book.noAskSize = size - count }
        books[intent.ticker] = book
        return (Fill(count: count, price: ask, fee: TakerFee.of(count: count, price: ask)), nil)
    }
}
