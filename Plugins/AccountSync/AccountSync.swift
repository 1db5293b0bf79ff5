import BusKit
import BusWire
import Foundation
import Kalshi
import Logging
import ServiceLifecycle
import TradingWire

/// The account sync: the Kalshi account (balance, positions, fills, orders, settlements) from WebSocket pushes
/// (`fill`, `user_orders`, `market_positions`) with REST catch-up at start, after every reconnect and every
/// `catchup_interval`, stored once each in `account.sqlite` and published (`account.balance`, `account.positions`,
/// `venue.fill`, `venue.settlement`, `venue.order`); and the reconciliation of `trade.state.open` with the venue
/// positions on `account.reconciliation` (a failure also raises `sys.alert.account-sync`).
///
/// In `paper` mode there is no venue account: it keeps the simulated one (``PaperSync``: a balance from
/// `paper_balance`, moved by paper fills and by settlements read from the venue's public market data) and publishes
/// a `passed` reconciliation with no mismatches every `reconcile_interval`.
public struct AccountSync: Plugin {
    /// `account-sync`.
    public static let name = "account-sync"
    /// The keys of `[plugin.account-sync]`.
    public static let configKeys: Set<String> = AccountSyncSettings.keys

    let context: PluginContext
    /// The validated `[plugin.account-sync]` section.
    public let settings: AccountSyncSettings
    /// The API key (nil in paper mode).
    let credentials: Credentials?

    /// Reads the settings and, outside paper mode, the credentials.
    /// - Throws: ``AccountSyncError`` for bad settings or unusable credentials.
    public init(context: PluginContext) throws {
        self.context = context
        settings = try AccountSyncSettings(configuration: context.configuration, plugin: Self.name)
        if settings.mode == .paper {
            credentials = nil
            return
        }
        do { credentials = try Credentials.load(from: URL(fileURLWithPath: settings.credentials)) } catch {
            throw AccountSyncError("account-sync needs the \(settings.mode) credentials in \(settings.credentials): \(error)")
        }
    }

    /// Runs until cancelled or shut down gracefully.
    /// - Throws: ``AccountSyncError`` when the database cannot be opened.
    public func run() async throws {
        if settings.mode == .paper { return try await runPaper() }
        let context = self.context, settings = self.settings, logger = context.logger, clock = context.clock
        let store: AccountStore
        do { store = try AccountStore(path: settings.database) } catch {
            throw AccountSyncError("cannot open \(settings.database): \(error)")
        }
        context.health.depends(on: "venue")
        context.health.depends(on: "trades")
        logger.info("account sync starting", metadata: [
            "rest": "\(settings.restURL)", "ws": "\(settings.wsURL)", "mode": "\(settings.mode)", "database": "\(settings.database)",
        ])
        let rest = KalshiRESTClient(configuration: KalshiConfiguration(baseURL: settings.restURL), credentials: credentials, logger: logger)
        let ws = KalshiWebSocketClient(configuration: .init(url: settings.wsURL), credentials: credentials, logger: logger)
        let (rechecks, recheck) = AsyncStream<Double>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let (republishes, republishSoon) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let syncer = AccountSyncer(rest: rest, store: store, context: context, settings: settings, recheck: recheck,
                                   republishSoon: republishSoon)
        let queue = RefreshQueue()
        let trades = context.bus.subscribe([TopicFilter(.openTrades)])
        let lifecycles = context.bus.subscribe([.marketLifecycles])
        let queries = context.bus.subscribe([TopicFilter(.accountQuery)])
        let answerer = AccountQueryAnswerer(store: store, context: context)
        await ws.subscribe([.fill, .userOrders, .marketPositions])
        await syncer.reconcile()  // pending until the venue and the trades are both seen
        queue.request(RefreshKind.all)
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await ws.run() }
                group.addTask { await Self.work(queue: queue, syncer: syncer, clock: clock, settings: settings) }
                group.addTask { await Self.every(settings.catchupInterval, clock) { queue.request(RefreshKind.periodic) } }
                group.addTask { await Self.every(settings.reconcileInterval, clock) { await syncer.reconcile() } }
                group.addTask {
                    for await delay in rechecks {
                        do { try await clock.sleep(seconds: delay) } catch { return }
                        await syncer.reconcile()
                    }
                }
                group.addTask {
                    // A trade manager that just (re)appeared may not be subscribed yet: give it a moment first.
                    for await _ in republishes {
                        do { try await clock.sleep(seconds: Self.republishDelay) } catch { return }
                        await syncer.republishRecent()
                    }
                }
                group.addTask { for await envelope in trades { await syncer.openTrades(envelope) } }
                group.addTask { for await envelope in lifecycles { await syncer.lifecycle(envelope) } }
                group.addTask { for await envelope in queries { answerer.answer(envelope) } }
                for await event in ws.events {
                    switch event {
                    case .connected(let n):
                        logger.info("Kalshi WebSocket connected", metadata: ["connection": "\(n)"])
                        queue.request(RefreshKind.all)  // whatever happened while disconnected is read back
                    case .disconnected(let error):
                        logger.warning("Kalshi WebSocket disconnected", metadata: ["error": "\(error.map { "\($0)" } ?? "closed")"])
                    case .message(.error(let id, let code, let message)):
                        logger.warning("Kalshi WebSocket error", metadata: ["id": "\(id ?? 0)", "code": "\(code ?? 0)", "message": "\(message)"])
                    case .message(let message):
                        queue.request(await syncer.push(message))
                    case .book:
                        break
                    }
                }
                queue.finish()
                recheck.finish()
                republishSoon.finish()
                group.cancelAll()
            }
        }
    }

    /// Seconds between seeing the trade manager (re)appear and publishing the recent venue messages again.
    static let republishDelay = 2.0

    /// The refresh worker: waits `debounce` after a request so a burst of pushes is one refresh; retries failed
    /// reads with backoff (at most `catchup_interval` apart).
    static func work(queue: RefreshQueue, syncer: AccountSyncer, clock: any BusClock, settings: AccountSyncSettings) async {
        var backoff = 1.0
        for await _ in queue.pokes {
            if settings.debounce > 0 { do { try await clock.sleep(seconds: settings.debounce) } catch { return } }
            let kinds = queue.take()
            guard !kinds.isEmpty else { continue }
            let failed = await syncer.catchUp(kinds)
            if failed.isEmpty {
                backoff = 1
                continue
            }
            do { try await clock.sleep(seconds: backoff) } catch { return }
            backoff = min(backoff * 2, settings.catchupInterval)
            queue.request(failed)
        }
    }

    /// Runs `body` every `seconds` until cancelled.
    static func every(_ seconds: Double, _ clock: any BusClock, _ body: @Sendable () async -> Void) async {
        while !Task.isCancelled {
            do { try await clock.sleep(seconds: seconds) } catch { return }
            await body()
        }
    }

    /// Paper mode: the simulated account; nothing can disagree with a venue, so reconciliation always passes.
    private func runPaper() async throws {
        let context = self.context, settings = self.settings
        let store: AccountStore
        do { store = try AccountStore(path: settings.database) } catch {
            throw AccountSyncError("cannot open \(settings.database): \(error)")
        }
        let paper = try await PaperSync(settings: settings, store: store, context: context)
        let fills = context.bus.subscribe([TopicFilter(.venueFill)])
        let lifecycles = context.bus.subscribe([.marketLifecycles])
        context.logger.info("account sync in paper mode: a simulated account, settled from public market data", metadata: [
            "start": "\(settings.paperBalance)", "markets": "\(settings.restURL)", "database": "\(settings.database)",
        ])
        context.health.set(.running, note: "paper mode")
        await paper.publishAccount()
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await paper.settleDue() }  // what settled while it was stopped; the venue may be slow
                group.addTask { for await envelope in fills { await paper.fill(envelope) } }
                group.addTask { for await _ in lifecycles { await paper.settleDue() } }
                group.addTask { await Self.every(settings.settleInterval, context.clock) { await paper.settleDue() } }
                group.addTask { await Self.every(settings.reconcileInterval, context.clock) { await paper.publishAccount() } }
                var startup = true
                while !Task.isCancelled {
                    let report = ReconciliationReport(status: .passed, startup: startup, mismatches: [], checkedTime: context.clock.now.description)
                    do { try context.bus.publish(.reconciliation, report) } catch {
                        context.logger.error("cannot publish", metadata: ["topic": "\(Topic.reconciliation)", "error": "\(error)"])
                    }
                    startup = false
                    do { try await context.clock.sleep(seconds: settings.reconcileInterval) } catch { break }
                }
                group.cancelAll()
            }
        }
    }
}
