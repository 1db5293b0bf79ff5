import CivilTime
import BusKit
import BusWire
import Logging
import MarketWire
import ServiceLifecycle
import TradingWire
#if canImport(Glibc)
import Glibc
#endif

/// The trade manager: owns the trades database, follows every trade from intent to its end, expires open trades
/// at the top of the hour (or on `cmd.trades.expire`), settles them from the venue's settlements or the market
/// lifecycle, publishes each transition (`trade.update`), the trades in flight (`trade.state.open`) and the
/// statistics (`trade.stats.summary`), and answers trade queries (`cmd.trades.query`) from the database. Every
/// change is written in one transaction before it is published; on start it rebuilds the book from its database, so
/// a restart loses nothing and repeated inputs change nothing.
public struct TradeManager: Plugin {
    public static let name = "trade-manager"
    public static let configKeys: Set<String> = TradeManagerSettings.keys

    let context: PluginContext
    /// The validated `[plugin.trade-manager]` section.
    public let settings: TradeManagerSettings
    let store: TradeStore

    public init(context: PluginContext) throws {
        self.context = context
        settings = try TradeManagerSettings(configuration: context.configuration, plugin: Self.name)
        Self.makeParentDirectory(of: settings.database)
        do { store = try TradeStore(path: settings.database) } catch {
            throw TradeManagerError("cannot open \(settings.database): \(error)")
        }
    }

    public func run() async throws {
        // Subscribed before the trades are read, so nothing published meanwhile is missed.
        let subscription = context.bus.subscribe([
            .orderIntents, .orderEvents, .venue, .marketLifecycles, .marketEvents, TopicFilter(.expireTradesNow),
            TopicFilter(.btcTick), TopicFilter(.tradeQuery),
        ])
        let stored: (trades: [BookTrade], fills: [StoredFill])
        do { stored = try await store.load() } catch { throw TradeManagerError("cannot read \(settings.database): \(error)") }
        var book = TradeBook(trades: stored.trades, fills: stored.fills)
        book.adoptedSeries = settings.series
        book.adoptForeignOrders = settings.adoptForeignOrders
        let shell = Shell(book: book, context: context, store: store, series: settings.series)
        context.logger.info("trades loaded", metadata: ["trades": "\(stored.trades.count)", "open": "\(shell.book.openTrades.count)"])
        context.health.set(.running)
        let clock = context.clock, settings = self.settings
        await context.runLoop(subscription, nextDelay: {
            // The open trades are republished every interval, and the book wakes at the top of each hour for expiry.
            let now = clock.now
            let hour = Double(EasternTime.nextHour(after: now.unixSeconds)) - Double(now.microseconds) / 1e6
            return max(0.001, min(settings.openPublishInterval, hour))
        }) { inputs in await Self.loop(shell, inputs: inputs, clock: clock, settings: settings) }
    }

    /// Feeds inputs to the book one at a time until they end.
    static func loop(_ start: Shell, inputs: AsyncStream<LoopInput>, clock: any BusClock, settings: TradeManagerSettings) async {
        var shell = start
        shell.publishOpen()
        shell.publishStatistics()
        var lastStats = clock.now
        for await input in inputs {
            switch input {
            case .message(let e): await shell.handle(e)
            case .timer:
                let now = clock.now
                await shell.save(shell.book.expire(now: now))
                for probe in shell.book.probes(now: now, after: settings.stuckAfter) {
                    shell.context.logger.notice("asking the executor about a trade with no answer", metadata: ["key": "\(probe.key)", "trade": "\(probe.tradeID ?? probe.key)"])
                    shell.publish(.orderIntent(source: TradeBook.probeSource), probe)
                }
                shell.publishOpen()
                if lastStats.seconds(until: now) >= settings.statsInterval {
                    lastStats = now
                    shell.publishStatistics()
                }
            }
        }
    }

    /// `mkdir -p` of the folder holding `path`.
    static func makeParentDirectory(of path: String) {
        var prefix = ""
        for part in path.split(separator: "/", omittingEmptySubsequences: false).dropLast() {
            prefix += (prefix.isEmpty && part.isEmpty) ? "/" : (prefix.hasSuffix("/") || prefix.isEmpty ? "" : "/") + part
            if !prefix.isEmpty && prefix != "/" { mkdir(prefix, 0o700) }
        }
    }
}
