import BusKit
import BusWire
import Foundation
import Kalshi
import Logging
import MarketWire
import Money
import ServiceLifecycle

/// The Kalshi market feed: follows the current and next hourly events of a series (`KXBTCD`), publishes each
/// event's summary on `market.event.<event>` and the followed list on `market.series.<series>`, streams the
/// markets' books (`orderbook_delta`, `ticker`) and publishes each top of book on `market.book.<market>` when it
/// changes (from a REST snapshot while a market's stream book is not valid), and lifecycle transitions (`market_lifecycle_v2`) on `market.lifecycle.<market>`. When the hour rolls
/// it drops the closed event's markets and adds the new one's. Heartbeat data ages `events` and `books`; degraded
/// when no book data came for `stale_after`.
public struct MarketFeed: Plugin {
    public static let name = "market-feed"
    public static let configKeys: Set<String> = MarketFeedSettings.keys

    let context: PluginContext
    /// The validated `[plugin.market-feed]` section.
    public let settings: MarketFeedSettings
    /// The API key, when the credentials folder exists; without it the feed stays on public endpoints.
    let credentials: Credentials?

    public init(context: PluginContext) throws {
        self.context = context
        settings = try MarketFeedSettings(configuration: context.configuration, plugin: Self.name)
        let folder = URL(fileURLWithPath: settings.credentials)
        if FileManager.default.fileExists(atPath: folder.path) {
            do { credentials = try Credentials.load(from: folder) } catch {
                throw MarketFeedError("cannot use the credentials in \(folder.path): \(error)")
            }
        } else {
            credentials = nil
        }
    }

    public func run() async throws {
        let health = context.health, clock = context.clock, settings = self.settings, logger = context.logger
        health.depends(on: "events")
        health.depends(on: "books")
        health.set(.degraded, note: "no events read yet")
        logger.info("market feed starting", metadata: [
            "rest": "\(settings.restURL)", "ws": "\(settings.wsURL)", "series": "\(settings.series)",
            "signed": "\(credentials != nil)",
        ])
        let rest = KalshiRESTClient(configuration: KalshiConfiguration(baseURL: settings.restURL), credentials: credentials,
                                    logger: logger)
        let ws = KalshiWebSocketClient(configuration: .init(url: settings.wsURL), credentials: credentials, logger: logger)
        let state = FeedState(series: settings.series)
        let (pokes, poke) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        await ws.subscribe([.marketLifecycle])
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await ws.run() }
                group.addTask {
                    while !Task.isCancelled {
                        poke.yield()
                        do { try await clock.sleep(seconds: settings.refreshInterval) } catch { return }
                    }
                }
                group.addTask {
                    for await _ in pokes { await self.refresh(rest: rest, ws: ws, state: state) }
                }
                group.addTask {
                    while !Task.isCancelled {
                        do { try await clock.sleep(seconds: settings.bookFallbackInterval) } catch { return }
                        await self.restFallback(rest: rest, ws: ws, state: state)
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        let markets = state.withTracker { $0.markets.count }
                        let (s, note) = FeedHealth.judge(lastEvents: state.lastEvents, lastBook: state.lastBook, markets: markets,
                                                         now: clock.now, staleAfter: settings.staleAfter)
                        if health.current != s || s != .running { health.set(s, note: note) }
                        // Judged often until events and books make the feed running (a fast start), then once a second.
                        let pause = s == .running ? min(1, settings.staleAfter / 2) : 0.05
                        do { try await clock.sleep(seconds: pause) } catch { return }
                    }
                }
                for await event in ws.events { await self.handle(event, ws: ws, state: state, poke: poke) }
                poke.finish()
                group.cancelAll()
            }
        }
    }

    /// Reads the series' events and follows the current and next ones, retrying with backoff until it succeeds
    /// or the feed stops.
    func refresh(rest: KalshiRESTClient, ws: KalshiWebSocketClient, state: FeedState) async {
        var delay = 0.5
        while !Task.isCancelled {
            do {
                let series = settings.series
                let open = try await rest.events(seriesTicker: series, status: .open, withNestedMarkets: true)
                let unopened = try await rest.events(seriesTicker: series, status: .unopened, withNestedMarkets: true)
                let now = context.clock.now
                let selected = EventSelection.select(open + unopened, series: series, now: Date(busTime: now))
                state.lastEvents = now
                context.health.saw("events", at: now)
                let roll = state.withTracker { $0.apply(selected: selected) }
                await apply(roll, ws: ws, state: state)
                return
            } catch is CancellationError {
                return
            } catch {
                context.logger.warning("cannot read Kalshi events", metadata: ["error": "\(error)", "retry_in": "\(delay)"])
                do { try await context.clock.sleep(seconds: delay) } catch { return }
                delay = min(delay * 2, max(settings.refreshInterval, 0.5))
            }
        }
    }

    /// Markets followed whose WebSocket book is not valid get their top of book from one REST `markets/orderbooks`
    /// read, so no book goes dark while the stream waits for a snapshot, recovers from a gap or cannot connect.
    func restFallback(rest: KalshiRESTClient, ws: KalshiWebSocketClient, state: FeedState) async {
        var dark: [String] = []
        for ticker in state.withTracker({ $0.markets.sorted() }) where await ws.book(ticker) == nil { dark.append(ticker) }
        guard !dark.isEmpty else { return }
        let books: [String: OrderbookLevels]
        do { books = try await rest.orderbooks(dark) } catch {
            context.logger.warning("cannot read Kalshi order books", metadata: ["markets": "\(dark.count)", "error": "\(error)"])
            return
        }
        let now = context.clock.now
        for (ticker, levels) in books.sorted(by: { $0.key < $1.key }) where await ws.book(ticker) == nil {
            let book = OrderBook(yes: levels.yes, no: levels.no)
            guard let quote = state.withTracker({ t -> MarketTopOfBook?? in
                t.markets.contains(ticker) ? .some(t.quote(ticker, book: book, time: now)) : nil
            }) else { continue }
            sawBook(now, state: state)
            if let quote { publish(.marketBook(ticker), quote) }
        }
    }

    /// Publishes a roll's summaries and index, and moves the WebSocket subscriptions.
    func apply(_ roll: MarketTracker.Roll, ws: KalshiWebSocketClient, state: FeedState) async {
        for summary in roll.summaries { publish(.marketEvent(summary.eventTicker), summary) }
        if roll.indexChanged {
            let index = state.withTracker { $0.index }
            publish(.marketSeries(settings.series), index)
            context.logger.info("following events", metadata: ["events": "\(index.events)"])
        }
        if !roll.removed.isEmpty {
            await ws.removeMarkets(roll.removed, from: .orderbookDelta)
            await ws.removeMarkets(roll.removed, from: .ticker)
        }
        if !roll.added.isEmpty { await ws.subscribe([.orderbookDelta, .ticker], marketTickers: roll.added) }
    }

    /// One WebSocket event: books and tickers become top-of-book messages, lifecycle transitions are passed on.
    func handle(_ event: KalshiWebSocketClient.Event, ws: KalshiWebSocketClient, state: FeedState,
                poke: AsyncStream<Void>.Continuation) async {
        let now = context.clock.now
        switch event {
        case .book(let ticker, let book):
            guard let quote = state.withTracker({ t -> MarketTopOfBook?? in
                t.markets.contains(ticker) ? .some(t.quote(ticker, book: book, time: now)) : nil
            }) else { return }
            sawBook(now, state: state)
            if let quote { publish(.marketBook(ticker), quote) }
        case .message(.ticker(_, let update)):
            guard state.withTracker({ $0.record(update) }) else { return }
            sawBook(now, state: state)
            guard let book = await ws.book(update.marketTicker) else { return }  // waiting for a snapshot
            if let quote = state.withTracker({ $0.quote(update.marketTicker, book: book, time: now) }) {
                publish(.marketBook(update.marketTicker), quote)
            }
        case .message(.marketLifecycle(_, let l)):
            guard state.withTracker({ $0.concerns(l.marketTicker) }) else { return }
            publish(.marketLifecycle(l.marketTicker), MarketLifecycleEvent(
                marketTicker: l.marketTicker, eventType: l.eventType, openTs: l.openTs, closeTs: l.closeTs,
                result: l.result?.rawValue, settlementValue: l.settlementValue, time: now.description))
            poke.yield()  // a market was listed, closed or settled: read the events again now
        case .message(.error(let id, let code, let message)):
            context.logger.warning("Kalshi WebSocket error", metadata: ["id": "\(id ?? 0)", "code": "\(code ?? 0)", "message": "\(message)"])
        case .message: break
        case .connected(let n): context.logger.info("Kalshi WebSocket connected", metadata: ["connection": "\(n)"])
        case .disconnected(let error): context.logger.warning("Kalshi WebSocket disconnected", metadata: ["error": "\(error.map { "\($0)" } ?? "closed")"])
        }
    }

    private func sawBook(_ now: BusTime, state: FeedState) {
        state.lastBook = now
        context.health.saw("books", at: now)
    }

    private func publish<M: BusMessage>(_ topic: Topic, _ message: M) {
        do { try context.bus.publish(topic, message) } catch {
            context.logger.error("cannot publish", metadata: ["topic": "\(topic)", "error": "\(error)"])
        }
    }
}

extension Date {
    /// The instant a bus time names.
    init(busTime: BusTime) { self.init(timeIntervalSince1970: Double(busTime.microseconds) / 1_000_000) }
}
