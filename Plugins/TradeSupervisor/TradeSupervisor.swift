import BusKit
import BusWire
import Logging
import MarketWire
import Money
import ServiceLifecycle
import TradingWire

/// The trade supervisor: watches every trade that is not final, publishes its live win probability, close price,
/// PnL, time since entry and distance to strike on `trade.state.supervised`, and closes `open` trades through the
/// executor like any other intent: auto-stop (probability below the threshold for the confirmation period, after
/// the minimum time since entry) and the momentum ripcord. Decisions are ``Supervisor``'s; this shell subscribes,
/// feeds it, publishes, repeats closes until answered, and applies and persists runtime settings.
public struct TradeSupervisor: Plugin {
    /// `trade-supervisor`.
    public static let name = "trade-supervisor"
    /// Every `[plugin.trade-supervisor]` key.
    public static let configKeys: Set<String> = SupervisorSettings.keys

    let context: PluginContext
    /// The settings in force at start: `bus.conf`, then the persisted runtime settings over them.
    public let settings: SupervisorSettings
    /// Where runtime settings persist.
    public let store: RuntimeSettingsStore
    /// Stored keys that could not be applied at start, with why.
    let storedRefusals: [SettingRefusal]

    /// Reads `bus.conf` and the persisted settings; throws on bad configuration or an unreadable settings file.
    public init(context: PluginContext) throws {
        self.context = context
        let (base, file) = try SupervisorSettings.load(configuration: context.configuration, plugin: Self.name, home: ProcInfo.recioHome)
        store = RuntimeSettingsStore(path: file)
        do {
            (settings, storedRefusals) = SupervisorSettings.schema.applyingStored(try store.load() ?? [:], to: base)
        } catch { throw TradeSupervisorError("\(error)") }
    }

    /// Runs until cancelled or shut down gracefully.
    public func run() async throws {
        let name = Self.name
        for r in storedRefusals { alert("stored setting refused at start: \(r)", .warning) }
        context.health.depends(on: "strikes")
        await context.runLoop(subscribing: [
            TopicFilter(.openTrades), .strikeTables, TopicFilter(.btcMomentum), .orderEvents(source: name),
            TopicFilter(.settingsChange(plugin: name)),
        ], nextDelay: { 0.25 }) { inputs in await self.consume(inputs) }
    }

    /// The one loop that owns the supervisor: every message and tick, in order.
    func consume(_ inputs: AsyncStream<LoopInput>) async {
        let clock = context.clock
        var supervisor = Supervisor(settings: settings, source: Self.name)
        publishSettings(supervisor.settings)
        context.health.set(.running)
        for await input in inputs {
            let now = clock.now
            switch input {
            case .timer:
                let intents = supervisor.tick(now: now)
                for intent in intents { send(intent, first: intent.createdTime == now.description) }
                if !intents.isEmpty { publishSnapshot(supervisor, now: now) }
            case .message(let e):
                for intent in handle(e, supervisor: &supervisor, now: now) { send(intent, first: true) }
                if e.type != OrderEvent.typeName { publishSnapshot(supervisor, now: now) }
            }
        }
    }

    /// Feeds one message to the supervisor; returns the new closes.
    func handle(_ e: Envelope, supervisor: inout Supervisor, now: BusTime) -> [OrderIntent] {
        do {
            switch e.type {
            case OpenTrades.typeName: return supervisor.openTrades(try e.decode(OpenTrades.self), now: now)
            case StrikeTable.typeName:
                context.health.saw("strikes", at: now)
                return supervisor.strikeTable(try e.decode(StrikeTable.self), now: now)
            case BTCMomentum.typeName: return supervisor.momentum(try e.decode(BTCMomentum.self).scoreX100, now: now)
            case OrderEvent.typeName:
                let answer = try e.decode(OrderEvent.self)
                if answer.source == Self.name { supervisor.answer(answer, now: now) }
            case SettingsChange.typeName: change(try e.decode(SettingsChange.self), supervisor: &supervisor)
            default:
                context.health.rejected(topic: e.topic, reason: "unexpected type \(e.type)")
                context.logger.debug("ignored message", metadata: ["topic": "\(e.topic)", "type": "\(e.type)"])
            }
        } catch {
            context.health.rejected(topic: e.topic, reason: "\(error)")
            context.logger.warning("malformed message", metadata: ["topic": "\(e.topic)", "error": "\(error)"])
        }
        return []
    }

    /// Validates a runtime change, persists it, then applies it: all or none; a refusal is an alert naming the keys.
    func change(_ c: SettingsChange, supervisor: inout Supervisor) {
        guard c.plugin == Self.name else { return }
        switch SupervisorSettings.schema.applying(c.values, to: supervisor.settings) {
        case .failure(let refusals):
            alert("settings change from \(c.requester) refused: \(refusals)", .warning)
        case .success(let next):
            let changed = SupervisorSettings.schema.render(next).filter { c.values.keys.contains($0.key) }
            do { try store.saveChanges(changed) } catch {
                alert("settings change from \(c.requester) refused: cannot persist: \(error)", .critical)
                return
            }
            supervisor.apply(next)
            context.logger.info("settings changed", metadata: ["by": "\(c.requester)", "keys": "\(c.values.keys.sorted())"])
            publishSettings(next)
        }
    }

    func send(_ intent: OrderIntent, first: Bool) {
        do { try context.bus.publish(.orderIntent(source: Self.name), intent) } catch {
            context.logger.error("cannot publish a close", metadata: ["key": "\(intent.key)", "error": "\(error)"])
        }
        if first {
            context.logger.info("close", metadata: ["key": "\(intent.key)", "trade": "\(intent.tradeID ?? "")", "method": "\(intent.method)",
                                                    "limit": "\(intent.limitPrice)", "reason": "\(intent.reason ?? "")"])
        }
    }

    func publishSnapshot(_ supervisor: Supervisor, now: BusTime) {
        do { try context.bus.publish(.supervisedTrades, supervisor.snapshot(now: now)) } catch {
            context.logger.error("cannot publish supervised trades", metadata: ["error": "\(error)"])
        }
    }

    func publishSettings(_ s: SupervisorSettings) {
        let sources = SupervisorSettings.schema.sources(configuration: context.configuration, plugin: Self.name, stored: store.storedKeys)
        let message = RuntimeSettings(plugin: Self.name, values: SupervisorSettings.schema.render(s), sources: sources,
                                      time: context.clock.now.description)
        do { try context.bus.publish(.settings(plugin: Self.name), message) } catch {
            context.logger.error("cannot publish settings", metadata: ["error": "\(error)"])
        }
    }

    func alert(_ message: String, _ severity: Alert.Severity) {
        context.logger.warning("\(message)")
        try? context.bus.publish(.alert(source: Self.name), Alert(source: Self.name, severity: severity, message: message, plugin: Self.name))
    }
}
