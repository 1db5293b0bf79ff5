public import BusWire
public import Money

/// `price.btc.tick`: one BTC spot trade as the price feed saw it. Prices are decimal strings on the wire.
public struct BTCTick: BusMessage, Hashable {
    public static let typeName = "price.btc.tick"
    /// `BTC-USD`.
    public var product: String
    public var price: Dollars
    public var bestBid: Dollars
    public var bestAsk: Dollars
    /// Exchange time of the trade, RFC 3339 UTC with microseconds.
    public var time: String
    /// The exchange's trade id.
    public var tradeID: Int64
    /// Where the price comes from (`coinbase`).
    public var source: String

    public init(product: String, price: Dollars, bestBid: Dollars, bestAsk: Dollars, time: String, tradeID: Int64, source: String) {
        self.product = product; self.price = price; self.bestBid = bestBid; self.bestAsk = bestAsk; self.time = time
        self.tradeID = tradeID; self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case product, price, bestBid = "best_bid", bestAsk = "best_ask", time, tradeID = "trade_id", source
    }
}

/// `price.btc.momentum`: REC.IO's momentum score. Each delta is the percent change of the price against the
/// price that many minutes before (the newest second at or before); the score is their weighted mean over the
/// deltas that exist, weights 0.30/0.25/0.20/0.15/0.05/0.05 for 1/2/3/4/15/30 minutes.
public struct BTCMomentum: BusMessage, Hashable {
    public static let typeName = "price.btc.momentum"
    public var product: String
    /// The price the deltas are measured from.
    public var price: Dollars
    /// Time of that price, RFC 3339.
    public var time: String
    /// The weighted percent change as a decimal string (`"0.061234"`); nil until any lag has history.
    public var score: String?
    /// The display and fingerprint unit: score × 100, rounded (`6` for 0.06 %).
    public var scoreX100: Int?
    /// Percent change per lag (`"1m"`, `"2m"`, … `"30m"`), decimal strings; missing lags are absent.
    public var deltas: [String: String]

    public init(product: String, price: Dollars, time: String, score: String?, scoreX100: Int?, deltas: [String: String]) {
        self.product = product; self.price = price; self.time = time; self.score = score; self.scoreX100 = scoreX100
        self.deltas = deltas
    }

    enum CodingKeys: String, CodingKey { case product, price, time, score, scoreX100 = "score_x100", deltas }
}
