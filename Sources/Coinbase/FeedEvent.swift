import BusWire
import Money

/// One `ticker` message: the last match on a product, with the top of book and 24-hour statistics.
public struct CoinbaseTick: Sendable, Hashable {
    /// The taker's side of the match.
    public enum Side: String, Sendable, Hashable { case buy, sell }

    /// The product's message sequence (counts every message of the product, so it skips between tickers).
    public var sequence: Int64
    public var productID: String
    /// The match price.
    public var price: Dollars
    public var bestBid: Dollars
    public var bestAsk: Dollars
    public var open24h: Dollars
    public var high24h: Dollars
    public var low24h: Dollars
    /// 24-hour volume in the base asset, as sent (a quantity, not money).
    public var volume24h: String
    /// Size of the last match in the base asset, as sent.
    public var lastSize: String
    public var side: Side?
    /// Exchange time of the match.
    public var time: BusTime
    /// The match's trade id: one per match, consecutive per product.
    public var tradeID: Int64

    public init(sequence: Int64, productID: String, price: Dollars, bestBid: Dollars, bestAsk: Dollars, open24h: Dollars,
                high24h: Dollars, low24h: Dollars, volume24h: String, lastSize: String, side: Side?, time: BusTime, tradeID: Int64) {
        self.sequence = sequence; self.productID = productID; self.price = price; self.bestBid = bestBid
        self.bestAsk = bestAsk; self.open24h = open24h; self.high24h = high24h; self.low24h = low24h
        self.volume24h = volume24h; self.lastSize = lastSize; self.side = side; self.time = time; self.tradeID = tradeID
    }
}

/// One `heartbeat` message: sent every second per product, with the last trade id.
public struct CoinbaseHeartbeat: Sendable, Hashable {
    public var sequence: Int64
    public var productID: String
    public var lastTradeID: Int64
    public var time: BusTime

    public init(sequence: Int64, productID: String, lastTradeID: Int64, time: BusTime) {
        self.sequence = sequence; self.productID = productID; self.lastTradeID = lastTradeID; self.time = time
    }
}

/// What the feed delivers, decoded.
public enum CoinbaseFeedEvent: Sendable, Hashable {
    /// A new, in-order ticker.
    case tick(CoinbaseTick)
    /// A heartbeat.
    case heartbeat(CoinbaseHeartbeat)
    /// The server confirmed these channels.
    case subscribed(channels: [String])
    /// The server sent an `error` message.
    case serverError(message: String, reason: String?)
    /// A connection was established (`attempt` counts from 1) and the subscribe request sent.
    case connected(attempt: Int)
    /// The connection ended; the client reconnects after `retryIn` seconds.
    case disconnected(reason: String, retryIn: Double)
    /// Trades were missed: `missing` trade ids between the last seen and this one.
    case gap(missing: Int64)
}
