import Hummingbird
import HummingbirdWebSocket
import Money
import Synchronization

/// A Coinbase Exchange-compatible WebSocket feed of one product, driven by a ``PriceProcess`` and a ``SimClock``.
///
/// It answers the real `subscribe` message (`product_ids` + `channels`, as names or as objects) with
/// `subscriptions`, then sends one `ticker` and one `heartbeat` per simulated second, the ticker right away on
/// subscription as Coinbase does. Everything a message carries is a function of its second (and of injected
/// ``faults``), so every connection sees the same market.
///
/// ```swift
/// let feed = CoinbaseFeed(process: SyntheticProcess(seed: 1, start: t0, initialPrice: Dollars("104000")!),
///                         clock: ScaledClock(startMicros: t0 * 1_000_000, speed: 60))
/// let router = Router(context: BasicWebSocketRequestContext.self)
/// feed.addRoute(to: router)                 // ws://host:port/coinbase
/// ```
public final class CoinbaseFeed: Sendable {
    /// The channels this feed serves.
    public static let channels = ["ticker", "heartbeat"]

    /// The index the ticker follows.
    public let process: any PriceProcess
    /// Simulated time.
    public let clock: any SimClock
    /// The one product served, `BTC-USD` by default.
    public let product: String
    /// Faults to inject and counters to read.
    public let faults = FeedFaults()
    private let cache = Mutex<(second: Int64, stats: (open: Dollars, high: Dollars, low: Dollars))?>(nil)

    /// A feed of `product` following `process` on `clock`.
    public init(process: any PriceProcess, clock: any SimClock, product: String = "BTC-USD") {
        precondition(product.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }, "product ids are letters, digits and dashes")
        self.process = process
        self.clock = clock
        self.product = product
    }

    /// Adds the feed's WebSocket route at `path` to `router` (any context that supports WebSocket upgrades, such
    /// as `BasicWebSocketRequestContext`); serve it with `.http1WebSocketUpgrade(webSocketRouter: router)`.
    public func addRoute<Context: WebSocketRequestContext>(to router: Router<Context>, path: String = "/coinbase") {
        router.ws(RouterPath(path)) { [self] inbound, outbound, _ in
            await FeedConnection(feed: self, outbound: outbound).serve(inbound)
        }
    }

    /// The market at `second`, nil when the process has no price then.
    func market(at second: Int64) -> FeedSecond? {
        guard let price = process.value(atSecond: second) else { return nil }
        let previous = process.value(atSecond: second - 1) ?? price
        let stats = dayStats(at: second, price: price)
        let buy = price >= previous
        let tick = Dollars(cents: 1)
        let index = second - 1_600_000_000
        return FeedSecond(
            second: second, price: price, side: buy ? "buy" : "sell",
            bestBid: buy ? price - tick : price, bestAsk: buy ? price : price + tick,
            open24h: stats.open, high24h: max(stats.high, price), low24h: min(stats.low, price),
            tradeID: 700_000_000 + index + faults.tradeSkip,
            sequence: 90_000_000_000 + index * 16 + Int64(mix(second, 3) % 13),
            micros: second * 1_000_000 + Int64(mix(second, 4) % 1_000))
    }

    /// Open, high and low of the last 24 hours, sampled each minute (cached per second).
    private func dayStats(at second: Int64, price: Dollars) -> (open: Dollars, high: Dollars, low: Dollars) {
        if let c = cache.withLock({ $0 }), c.second == second { return c.stats }
        var open: Dollars?, high = price, low = price
        var t = second - 86_400
        while t < second {
            if let p = process.value(atSecond: t) {
                if open == nil { open = p }
                high = max(high, p)
                low = min(low, p)
            }
            t += 60
        }
        let stats = (open: open ?? price, high: high, low: low)
        cache.withLock { $0 = (second, stats) }
        return stats
    }
}
