import BusKit
import BusWire
import Logging
import MarketWire
import TradingWire

/// The plugin's loop state: the book, plus the changes written but not yet published.
struct Shell: Sendable {
    var book: TradeBook
    let context: PluginContext
    let store: TradeStore
    let series: String
    /// Reads trade queries off the loop.
    let queries: TradeQueryAnswerer
    /// Changes the database has not accepted yet; retried before the next write, published once written.
    var unsaved = BookChanges()
    /// Messages that could not be decoded.
    var malformed = 0

    init(book: TradeBook, context: PluginContext, store: TradeStore, series: String) {
        self.book = book; self.context = context; self.store = store; self.series = series
        queries = TradeQueryAnswerer(store: store, context: context)
    }

    /// Feeds one message to the book, then saves and publishes what changed.
    mutating func handle(_ e: Envelope) async {
        let now = context.clock.now
        do {
            switch e.type {
            case OrderIntent.typeName: await save(book.apply(intent: try e.decode(OrderIntent.self), now: now))
            case OrderEvent.typeName: await save(book.apply(event: try e.decode(OrderEvent.self), now: now))
            case VenueFill.typeName: await save(book.apply(fill: try e.decode(VenueFill.self), now: now))
            case VenueOrderUpdate.typeName: await save(book.apply(venueOrder: try e.decode(VenueOrderUpdate.self), now: now))
            case VenueSettlement.typeName: await save(book.apply(settlement: try e.decode(VenueSettlement.self), now: now))
            case MarketLifecycleEvent.typeName:
                let m = try e.decode(MarketLifecycleEvent.self)
                if m.marketTicker.hasPrefix(series + "-") { await save(book.apply(lifecycle: m, now: now)) }
            case MarketEventSummary.typeName:
                let m = try e.decode(MarketEventSummary.self)
                if m.series == series { await save(book.observe(eventTicker: m.eventTicker, closeTs: m.closeTs, now: now)) }
            case TradeQuery.typeName: queries.answer(try e.decode(TradeQuery.self))
            case BTCTick.typeName: book.observe(btc: try e.decode(BTCTick.self).price)
            case ExpireTradesNow.typeName:
                let request = try e.decode(ExpireTradesNow.self)
                let changes = book.expire(now: now)
                context.logger.info("expiration check", metadata: ["requester": "\(request.requester)", "expired": "\(changes.transitions.count)"])
                await save(changes)
                publishOpen()
            default: context.health.rejected(topic: e.topic, reason: "unexpected type \(e.type)")
            }
        } catch {
            malformed += 1
            context.health.rejected(topic: e.topic, reason: "\(error)")
            context.logger.warning("malformed message", metadata: ["topic": "\(e.topic)", "error": "\(error)", "malformed": "\(malformed)"])
        }
    }

    /// Writes `changes` (and any earlier unsaved ones) in one transaction, then publishes them. A failed write is
    /// kept and retried; nothing is published before it is stored.
    mutating func save(_ changes: BookChanges) async {
        var changes = changes
        for w in changes.warnings { context.logger.warning("input left alone", metadata: ["why": "\(w)"]) }
        changes.warnings = []
        unsaved.merge(changes)
        guard !unsaved.isEmpty else { return }
        do {
            try await store.write(unsaved)
        } catch {
            context.health.set(.degraded, note: "cannot write the trades database: \(error)")
            context.logger.error("cannot write the trades database", metadata: ["error": "\(error)"])
            return
        }
        if context.health.current != .running { context.health.set(.running) }
        let done = unsaved
        unsaved = BookChanges()
        guard !done.transitions.isEmpty else { return }
        for t in done.transitions { publish(.tradeUpdate, TradeUpdate(previous: t.previous, trade: t.trade.record)) }
        publishOpen()
        if done.hasFinal { publishStatistics() }
    }

    func publishOpen() { publish(.openTrades, OpenTrades(trades: book.openTrades, time: context.clock.now.description)) }

    func publishStatistics() {
        publish(.tradeStats, TradeStatisticsBuilder.build(book.trades.values.map(\.record), time: context.clock.now.description))
    }

    func publish<M: BusMessage>(_ topic: Topic, _ message: M) {
        do { try context.bus.publish(topic, message) } catch {
            context.logger.error("cannot publish", metadata: ["topic": "\(topic)", "error": "\(error)"])
        }
    }
}
