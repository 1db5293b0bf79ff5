import BusKit
import BusWire
import Coinbase
import Logging
import MarketWire
import Money
import ServiceLifecycle
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The BTC price feed: follows the Coinbase Exchange `ticker` (the real feed or the simulator's), publishes every
/// tick on `price.btc.tick` and the momentum on `price.btc.momentum`, keeps a 1-second history in its own
/// SQLite file (pruned to `history_window`), reconnects on silence, and reports the tick's age in its heartbeat
/// (data age `btc`), going `degraded` when no tick came for `stale_after`.
public struct PriceFeed: Plugin {
    public static let name = "price-feed"
    public static let configKeys: Set<String> = PriceFeedSettings.keys

    let context: PluginContext
    /// The validated `[plugin.price-feed]` section.
    public let settings: PriceFeedSettings
    let store: PriceStore

    public init(context: PluginContext) throws {
        self.context = context
        settings = try PriceFeedSettings(configuration: context.configuration, plugin: Self.name)
        Self.makeParentDirectory(of: settings.database)
        do { store = try PriceStore(path: settings.database) } catch {
            throw PriceFeedError("cannot open \(settings.database): \(error)")
        }
    }

    public func run() async throws {
        let health = context.health, clock = context.clock, settings = self.settings
        health.depends(on: "btc")
        health.set(.degraded, note: "no BTC tick yet")
        let stored = (try? await store.load()) ?? []
        let lastTick = LastTick()
        let client = CoinbaseFeedClient(
            configuration: .init(url: settings.url, productID: settings.product, silenceTimeout: settings.silenceTimeout),
            logger: context.logger)
        await cancelWhenGracefulShutdown {
            var history = PriceHistory()
            var lastTradeID: Int64?
            for point in stored { history.record(second: point.second, price: point.price) }
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        let (state, note) = Staleness.judge(lastTick: lastTick.time, now: clock.now, staleAfter: settings.staleAfter)
                        if health.current != state || state != .running { health.set(state, note: note) }
                        // Judged often until the first tick makes the feed running (a fast start), then once a second.
                        let pause = state == .running ? min(1, settings.staleAfter / 2) : 0.05
                        do { try await clock.sleep(seconds: pause) } catch { return }
                    }
                }
                for await event in client.events() {
                    if case .tick(let tick) = event, tick.productID == settings.product {
                        let now = clock.now
                        // After a reconnect Coinbase repeats the last trade: the bus sees it once.
                        if tick.tradeID == lastTradeID { continue }
                        lastTradeID = tick.tradeID
                        lastTick.time = now
                        health.saw("btc", at: now)
                        await self.handle(tick, history: &history)
                    } else {
                        self.log(event)
                    }
                }
                group.cancelAll()
            }
        }
    }

    /// Publishes a tick and the momentum, and records the second.
    func handle(_ tick: CoinbaseTick, history: inout PriceHistory) async {
        let bus = context.bus
        do {
            try bus.publish(.btcTick, BTCTick(product: tick.productID, price: tick.price, bestBid: tick.bestBid, bestAsk: tick.bestAsk,
                                              time: tick.time.description, tradeID: tick.tradeID, source: "coinbase"))
        } catch { context.logger.error("cannot publish a tick", metadata: ["error": "\(error)"]) }
        let second = tick.time.microseconds >= 0 ? tick.time.microseconds / 1_000_000 : (tick.time.microseconds - 999_999) / 1_000_000
        if history.record(second: second, price: tick.price) {
            let keepFrom = second - Int64(settings.historyWindow)
            // Momentum looks 30 minutes back whatever the stored window.
            history.prune(before: min(keepFrom, second - Momentum.lookback))
            do { try await store.record(second: second, price: tick.price, product: tick.productID, keepFrom: keepFrom) } catch {
                context.logger.error("cannot store the price history", metadata: ["error": "\(error)"])
            }
        }
        let figure = Momentum.compute(price: tick.price, second: second) { history.price(atOrBefore: $0) }
        let momentum = BTCMomentum(
            product: tick.productID, price: tick.price, time: tick.time.description, score: figure.score.map(Momentum.decimal),
            scoreX100: figure.score.map { Int(($0 * 100).rounded()) }, deltas: figure.deltas.mapValues(Momentum.decimal))
        do { try bus.publish(.btcMomentum, momentum) } catch {
            context.logger.error("cannot publish momentum", metadata: ["error": "\(error)"])
        }
    }

    private func log(_ event: CoinbaseFeedEvent) {
        switch event {
        case .connected(let attempt): context.logger.info("coinbase connected", metadata: ["attempt": "\(attempt)", "url": "\(settings.url)"])
        case .subscribed(let channels): context.logger.info("coinbase subscribed", metadata: ["channels": "\(channels)"])
        case .disconnected(let reason, let retry): context.logger.warning("coinbase disconnected", metadata: ["reason": "\(reason)", "retry_in": "\(retry)"])
        case .gap(let missing): context.logger.warning("coinbase trades missed", metadata: ["missing": "\(missing)"])
        case .serverError(let message, let reason): context.logger.error("coinbase error", metadata: ["message": "\(message)", "reason": "\(reason ?? "")"])
        case .tick, .heartbeat: break
        }
    }

    /// `mkdir -p` of the folder holding `path` (the data folder may not exist yet).
    static func makeParentDirectory(of path: String) {
        var prefix = ""
        for part in path.split(separator: "/", omittingEmptySubsequences: false).dropLast() {
            prefix += (prefix.isEmpty && part.isEmpty) ? "/" : (prefix.hasSuffix("/") || prefix.isEmpty ? "" : "/") + part
            if !prefix.isEmpty && prefix != "/" { mkdir(prefix, 0o700) }
        }
    }
}

/// When the last tick arrived, shared by the reader and the staleness monitor.
final class LastTick: Sendable {
    private let value = Mutex<BusTime?>(nil)
    var time: BusTime? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
