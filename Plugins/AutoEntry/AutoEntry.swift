import BusKit
import BusWire
import Logging
import MarketWire
import Money
import ServiceLifecycle
import TradingWire

/// Auto-entry: buys the active side of watchlist rows that pass REC.IO's rules (TTC window, probability, edge,
/// cooldown, duplicate guard, spike pause) and the guards the original lacked (open positions, dollars per event and
/// per hour, balance, enforced re-entry policy, kill switch, trading state). Decisions are ``EntryDecider``'s; this
/// shell subscribes, feeds it, publishes its intents on `order.intent.auto-entry`, repeats them until answered, and
/// applies and persists runtime settings from `cmd.settings.auto-entry`.
public struct AutoEntry: Plugin {
    /// `auto-entry`.
    public static let name = "auto-entry"
    /// Every `[plugin.auto-entry]` key.
    public static let configKeys: Set<String> = AutoEntrySettings.keys

    let context: PluginContext
    /// The settings in force at start: `bus.conf`, then the values changed at runtime in this mode over them.
    public let settings: AutoEntrySettings
    /// Where runtime settings persist.
    public let store: RuntimeSettingsStore
    /// Stored keys that could not be applied at start, with why.
    let storedRefusals: [SettingRefusal]

    /// Reads `bus.conf` and the persisted settings; throws on bad configuration or an unreadable settings file.
    public init(context: PluginContext) throws {
        self.context = context
        let (base, file) = try AutoEntrySettings.load(configuration: context.configuration, plugin: Self.name, home: ProcInfo.recioHome)
        store = RuntimeSettingsStore(path: file)
        do {
            (settings, storedRefusals) = AutoEntrySettings.schema.applyingStored(try store.load() ?? [:], to: base)
        } catch { throw AutoEntryError("\(error)") }
    }

    /// Runs until cancelled or shut down gracefully.
    public func run() async throws {
        let name = Self.name
        for r in storedRefusals { alert("stored setting refused at start: \(r)", .warning) }
        context.health.depends(on: "watchlist")
        await context.runLoop(subscribing: [
            .watchlists, TopicFilter(.openTrades), TopicFilter(.accountBalance), TopicFilter(.btcMomentum),
            TopicFilter(.tradingState), .orderEvents(source: name), TopicFilter(.settingsChange(plugin: name)),
            TopicFilter(.tradeQueryReply(requester: name)),
        ], nextDelay: { 0.25 }) { inputs in await self.consume(inputs) }
    }

    /// The one loop that owns the decider: every message and tick, in order.
    func consume(_ inputs: AsyncStream<LoopInput>) async {
        let clock = context.clock
        var decider = EntryDecider(settings: settings, source: Self.name)
        var status = decider.status(now: clock.now)
        publishSettings(decider, status)
        context.health.set(.running, note: status.reason)
        // The caps count what was entered in the last hour, from the trade store (manual trades and our own before a
        // restart too): asked at start, and again every 5 s until the trade manager answers.
        var asked: BusTime?
        for await input in inputs {
            let now = clock.now
            switch input {
            case .timer:
                if !decider.recentLoaded, asked.map({ $0.adding(seconds: 5) <= now }) ?? true {
                    asked = now
                    askRecentTrades(now: now)
                }
                for intent in decider.tick(now: now) { send(intent, repeat: true) }
            case .message(let e):
                handle(e, decider: &decider, now: now)
            }
            let next = decider.status(now: now)
            if next != status {
                status = next
                publishSettings(decider, status)
                context.health.set(.running, note: status.reason)
                context.logger.info("auto-entry status", metadata: ["scanning": "\(status.scanning)", "reason": "\(status.reason)"])
            }
        }
    }

    /// Feeds one message to the decider.
    func handle(_ e: Envelope, decider: inout EntryDecider, now: BusTime) {
        do {
            switch e.type {
            case Watchlist.typeName:
                let w = try e.decode(Watchlist.self)
                context.health.saw("watchlist", at: now)
                let pass = decider.watchlist(w, now: now)
                for intent in pass.intents { send(intent, repeat: false) }
            case OpenTrades.typeName: decider.openTrades(try e.decode(OpenTrades.self))
            case AccountBalance.typeName: decider.balance(try e.decode(AccountBalance.self))
            case BTCMomentum.typeName: decider.momentum(try e.decode(BTCMomentum.self).scoreX100, now: now)
            case TradingStatus.typeName: decider.tradingStatus(try e.decode(TradingStatus.self))
            case OrderEvent.typeName:
                let answer = try e.decode(OrderEvent.self)
                if answer.source == Self.name { decider.answer(answer) }
            case SettingsChange.typeName: change(try e.decode(SettingsChange.self), decider: &decider, now: now)
            case TradeQueryResult.typeName:
                let reply = try e.decode(TradeQueryResult.self)
                if reply.error == nil { decider.recent(reply.trades) }
            default:
                context.health.rejected(topic: e.topic, reason: "unexpected type \(e.type)")
                context.logger.debug("ignored message", metadata: ["topic": "\(e.topic)", "type": "\(e.type)"])
            }
        } catch {
            context.health.rejected(topic: e.topic, reason: "\(error)")
            context.logger.warning("malformed message", metadata: ["topic": "\(e.topic)", "error": "\(error)"])
        }
    }

    /// Validates a runtime change, persists it, then applies it: all or none; a refusal is an alert naming the keys.
    func change(_ c: SettingsChange, decider: inout EntryDecider, now: BusTime) {
        guard c.plugin == Self.name else { return }
        switch AutoEntrySettings.schema.applying(c.values, to: decider.settings) {
        case .failure(let refusals):
            alert("settings change from \(c.requester) refused: \(refusals)", .warning)
        case .success(let next):
            let changed = AutoEntrySettings.schema.render(next).filter { c.values.keys.contains($0.key) }
            do { try store.saveChanges(changed) } catch {
                alert("settings change from \(c.requester) refused: cannot persist: \(error)", .critical)
                return
            }
            decider.apply(next, now: now)
            context.logger.info("settings changed", metadata: ["by": "\(c.requester)", "keys": "\(c.values.keys.sorted())"])
            publishSettings(decider, decider.status(now: now))
        }
    }

    /// Asks the trade manager for every trade entered in the last hour.
    func askRecentTrades(now: BusTime) {
        let query = TradeQuery(requester: Self.name, requestID: "recent-\(now.microseconds)", fromTs: now.unixSeconds - 3_600, limit: 1_000)
        do { try context.bus.publish(.tradeQuery, query) } catch {
            context.logger.warning("cannot ask for the last hour's trades", metadata: ["error": "\(error)"])
        }
    }

    func send(_ intent: OrderIntent, repeat again: Bool) {
        do { try context.bus.publish(.orderIntent(source: Self.name), intent) } catch {
            context.logger.error("cannot publish an intent", metadata: ["key": "\(intent.key)", "error": "\(error)"])
        }
        if !again {
            context.logger.info("entry", metadata: ["key": "\(intent.key)", "ticker": "\(intent.ticker)", "side": "\(intent.side.rawValue)",
                                                    "count": "\(intent.count)", "limit": "\(intent.limitPrice)", "reason": "\(intent.reason ?? "")"])
        }
    }

    func publishSettings(_ decider: EntryDecider, _ status: EntryStatus) {
        let values = AutoEntrySettings.schema.render(decider.settings).merging(status.values) { a, _ in a }
        let sources = AutoEntrySettings.schema.sources(configuration: context.configuration, plugin: Self.name, stored: store.storedKeys)
        let message = RuntimeSettings(plugin: Self.name, values: values, sources: sources, time: context.clock.now.description)
        do { try context.bus.publish(.settings(plugin: Self.name), message) } catch {
            context.logger.error("cannot publish settings", metadata: ["error": "\(error)"])
        }
    }

    func alert(_ message: String, _ severity: Alert.Severity) {
        context.logger.warning("\(message)")
        try? context.bus.publish(.alert(source: Self.name), Alert(source: Self.name, severity: severity, message: message, plugin: Self.name))
    }
}
