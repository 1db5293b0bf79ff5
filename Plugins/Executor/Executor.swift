import BusKit
import BusWire
import Foundation
import Kalshi
import Logging
import MarketWire
import ServiceLifecycle
import TradingWire

/// The executor: the only plugin that places orders. It turns `order.intent.<source>` into Kalshi V2 orders —
/// always a limit at the intent's cap, IOC or FoK, one order per idempotency key — after the risk checks
/// (``RiskGate``) and under the trading state (``TradingHolds``), and answers each on `order.event.<source>`.
/// In paper mode no order leaves the process: fills are computed against `market.book.` and also published as
/// `venue.fill`. The trading state is published on `sys.control.state.trading` at start, on every change and
/// every `status_interval`.
public struct Executor: Plugin {
    /// `executor`.
    public static let name = "executor"
    /// The keys of `[plugin.executor]`.
    public static let configKeys: Set<String> = ExecutorSettings.keys

    let context: PluginContext
    /// The validated `[plugin.executor]` section.
    public let settings: ExecutorSettings
    /// Where orders go.
    let venue: OrderVenue

    /// Builds the executor from its configuration; prod refuses to start without usable credentials and the
    /// confirmation naming their key id (``ProdConfirmation``).
    public init(context: PluginContext) throws {
        try self.init(context: context, rest: nil, confirmation: ProcInfo.env(ProdConfirmation.environmentVariable))
    }

    /// Builds the executor; `rest`, when given, is the Kalshi client to use instead of one made from the settings
    /// (tests pass one whose backoff does not wait). Ignored in paper mode. `confirmation` is what
    /// `recio up --confirm-prod` handed over (``ProdConfirmation/environmentVariable``).
    public init(context: PluginContext, rest: KalshiRESTClient?, confirmation: String? = nil) throws {
        self.context = context
        settings = try ExecutorSettings(configuration: context.configuration, plugin: Self.name)
        if settings.mode == .paper {
            venue = .paper
            return
        }
        if let rest {
            venue = .kalshi(rest)
            return
        }
        let folder = URL(fileURLWithPath: settings.credentials)
        var credentials: Credentials?
        if FileManager.default.fileExists(atPath: folder.path) {
            do { credentials = try Credentials.load(from: folder) } catch {
                throw ExecutorError("cannot use the credentials in \(folder.path): \(error)")
            }
            if let credentials, let why = ProdConfirmation.refusal(mode: settings.mode, keyID: credentials.keyID,
                                                                    configured: settings.confirmProdKeyID, environment: confirmation,
                                                                    configPath: settings.configPath) {
                throw ExecutorError(why)
            }
        } else if settings.mode == .prod {
            throw ExecutorError("prod mode needs Kalshi credentials: no \(folder.path) (set [plugin.executor] credentials or run `recio credentials add`)")
        } else {
            context.logger.warning("no Kalshi credentials: orders will be refused by the venue", metadata: ["folder": "\(folder.path)"])
        }
        venue = .kalshi(KalshiRESTClient(configuration: KalshiConfiguration(baseURL: settings.restURL), credentials: credentials,
                                         logger: context.logger))
    }

    /// Opens the journal, resolves what a previous run left unanswered, and serves intents until shut down.
    public func run() async throws {
        let context = self.context, settings = self.settings
        let journal: OrderJournal
        do { journal = try OrderJournal(path: settings.journal) } catch {
            throw ExecutorError("cannot open the journal \(settings.journal): \(error)")
        }
        let desk = OrderDesk(journal: journal, venue: venue, mode: settings.mode.rawValue, settings: settings, bus: context.bus,
                             clock: context.clock, logger: context.logger)
        // Paper mode reads books on the intents' subscription, so a book published before an intent is applied first.
        let intents = context.bus.subscribe(settings.mode == .paper ? [.orderIntents, .marketBooks] : [.orderIntents])
        let controls = context.bus.subscribe([
            TopicFilter(.tradingCommand), TopicFilter(.reconciliation), TopicFilter(.accountPositions), TopicFilter(.venueSettlement),
            TopicFilter(.openTrades),
        ])
        try await desk.start()
        await desk.publishStatus()
        context.health.set(.running)
        context.logger.info("executor starting", metadata: [
            "mode": "\(settings.mode)", "journal": "\(settings.journal)",
            "venue": "\(settings.mode == .paper ? "paper" : settings.restURL.absoluteString)",
        ])
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await Self.consume(controls, desk: desk, health: context.health) }
                group.addTask {
                    await Self.every(settings.statusInterval, context.clock) {
                        await desk.checkDailyLoss()
                        await desk.publishStatus()
                    }
                }
                group.addTask {
                    await Self.every(settings.resolveInterval, context.clock, first: true) {
                        await desk.resolve()
                        let open = await desk.unresolvedCount()
                        if open > 0 { context.health.set(.degraded, note: "\(open) orders with an unknown outcome") }
                        else if context.health.current != .running { context.health.set(.running) }
                    }
                }
                await withTaskGroup(of: Void.self) { work in
                    for await e in intents {
                        do {
                            if e.type == MarketTopOfBook.typeName {
                                await desk.update(try e.decode(MarketTopOfBook.self))
                            } else {
                                let intent = try e.decode(OrderIntent.self)
                                // The topic is what the broker lets only that sender publish on: the intent's source must name it.
                                guard e.topic == Topic.orderIntent(source: intent.source).rawValue else {
                                    throw ExecutorError("an intent from source '\(intent.source)' on \(e.topic); a sender's intents go on order.intent.<its name>")
                                }
                                work.addTask { await desk.handle(intent) }
                            }
                        } catch {
                            context.health.rejected(topic: e.topic, reason: "\(error)")
                            await desk.sawMalformed(e.topic, error)
                        }
                    }
                }
                group.cancelAll()
            }
        }
    }

    /// Trading commands, reconciliation reports, the venue's positions and settlements, the open trades, in arrival order.
    static func consume(_ controls: Subscription, desk: OrderDesk, health: Health) async {
        for await e in controls {
            do {
                switch e.topic {
                case Topic.reconciliation.rawValue: await desk.apply(try e.decode(ReconciliationReport.self))
                case Topic.accountPositions.rawValue: await desk.apply(try e.decode(AccountPositions.self))
                case Topic.venueSettlement.rawValue: await desk.apply(try e.decode(VenueSettlement.self))
                case Topic.openTrades.rawValue: await desk.apply(try e.decode(OpenTrades.self))
                default: await desk.apply(try e.decode(TradingCommand.self))
                }
            } catch {
                health.rejected(topic: e.topic, reason: "\(error)")
                await desk.sawMalformed(e.topic, error)
            }
        }
    }

    /// Runs `body` every `seconds` on `clock` (at once first when `first`) until cancelled.
    static func every(_ seconds: Double, _ clock: any BusClock, first: Bool = false, _ body: @Sendable () async -> Void) async {
        if first { await body() }
        while !Task.isCancelled {
            do { try await clock.sleep(seconds: seconds) } catch { return }
            await body()
        }
    }
}
