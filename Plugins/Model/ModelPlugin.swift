import BusKit
import BusWire
import Logging
import MarketWire
import ServiceLifecycle
import Synchronization
import TradingWire

/// The model plugin: from BTC ticks, momentum, the followed events and their books, publishes each open event's
/// strike table on `model.strikes.<event>` and watchlist on `model.watchlist.<event>` on every tick, and when only
/// books changed at most every `book_interval`. Its heartbeat carries the ages of `btc` and `books`.
public struct ModelPlugin: Plugin {
    /// `model`.
    public static let name = "model"
    /// The `[plugin.model]` keys.
    public static let configKeys: Set<String> = ModelSettings.keys

    let context: PluginContext
    /// The validated `[plugin.model]` section.
    public let settings: ModelSettings

    /// Reads the settings (and the fingerprint tables when `model = fingerprint`).
    public init(context: PluginContext) throws {
        self.context = context
        settings = try ModelSettings(configuration: context.configuration, plugin: Self.name)
    }

    /// Subscribes, feeds ``ModelState``, publishes what it returns, until cancelled or shut down.
    public func run() async throws {
        let health = context.health, clock = context.clock, interval = max(0.05, settings.bookInterval)
        health.depends(on: "btc")
        health.depends(on: "books")
        health.set(.degraded, note: "no BTC tick yet")
        let state = LockedState(ModelState(settings: settings))
        let subscription = context.bus.subscribe([
            .btcPrice, (try? TopicFilter(validating: "market.series.")) ?? .market, .marketEvents, .marketBooks,
        ])
        context.logger.info("model started", metadata: ["model": "\(settings.modelName)", "series": "\(settings.series)"])
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        do { try await clock.sleep(seconds: interval) } catch { return }
                        let now = clock.now
                        self.publish(state.withLock { $0.flush(now: now) })
                    }
                }
                var malformed = 0, sawTick = false
                for await envelope in subscription {
                    guard let decoded = Self.decode(envelope) else { continue }
                    guard let input = decoded else {
                        malformed += 1
                        health.rejected(topic: envelope.topic, reason: "not a valid \(envelope.type)")
                        context.logger.warning("malformed message", metadata: ["topic": "\(envelope.topic)", "count": "\(malformed)"])
                        continue
                    }
                    let now = clock.now
                    switch input {
                    case .tick:
                        health.saw("btc", at: now)
                        if !sawTick { sawTick = true; health.set(.running) }
                    case .book: health.saw("books", at: now)
                    default: break
                    }
                    self.publish(state.withLock { $0.handle(input, now: now) })
                }
                group.cancelAll()
            }
        }
    }

    /// The input an envelope carries, by topic: nil for a topic the plugin does not read, `.some(nil)` when the
    /// message does not decode.
    static func decode(_ e: Envelope) -> ModelState.Input?? {
        let topic = e.topic
        do {
            if topic == Topic.btcTick.rawValue { return .tick(try e.decode(BTCTick.self)) }
            if topic == Topic.btcMomentum.rawValue { return .momentum(try e.decode(BTCMomentum.self)) }
            if topic.hasPrefix("market.series.") { return .series(try e.decode(MarketSeriesIndex.self)) }
            if topic.hasPrefix("market.event.") { return .event(try e.decode(MarketEventSummary.self)) }
            if topic.hasPrefix("market.book.") { return .book(try e.decode(MarketTopOfBook.self)) }
        } catch { return .some(nil) }
        return nil
    }

    /// The watchlist first: it is what auto-entry decides on; the whole table (for people and the dashboard) follows.
    private func publish(_ outputs: [ModelState.Output]) {
        for o in outputs {
            do {
                try context.bus.publish(.watchlist(event: o.table.eventTicker), o.watchlist)
                try context.bus.publish(.strikeTable(event: o.table.eventTicker), o.table)
            } catch {
                context.logger.error("cannot publish", metadata: ["event": "\(o.table.eventTicker)", "error": "\(error)"])
            }
        }
    }
}

/// The state machine behind a lock, shared by the reader and the book-flush timer.
final class LockedState: Sendable {
    private let mutex: Mutex<ModelState>
    init(_ state: ModelState) { mutex = Mutex(state) }
    func withLock<T: Sendable>(_ body: (inout ModelState) -> T) -> T { mutex.withLock { body(&$0) } }
}
