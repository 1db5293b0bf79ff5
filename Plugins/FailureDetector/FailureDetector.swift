import BusKit
import BusWire
import Logging
import MarketWire
import ServiceLifecycle
import Synchronization
import TradingWire

/// The failure detector: judges every plugin from its heartbeats (stale after three missed beats, dead after a
/// configurable silence), watches the BTC price and the books for freshness, and acts through the executor's
/// trading holds: stale data or a missing required plugin stops new entries at once (REDUCING) and trading resumes
/// by itself when they recover; several failures inside a window halt trading with one clear alert. It never
/// restarts anything: restarts belong to the launcher and its backoff.
public struct FailureDetector: Plugin {
    public static let name = "failure-detector"
    public static let configKeys = DetectorSettings.keys

    let context: PluginContext
    let settings: DetectorSettings

    public init(context: PluginContext) throws {
        self.context = context
        settings = try DetectorSettings(configuration: context.configuration, plugin: Self.name)
    }

    public func run() async throws {
        let clock = context.clock, bus = context.bus, logger = context.logger
        let state = Guarded(Detector(settings: settings, now: clock.now))
        let webhook = settings.webhookURL.map { Webhook(url: $0, logger: logger) }
        context.health.depends(on: "heartbeats")
        context.health.set(.running)
        let messages = bus.subscribe([.heartbeats, TopicFilter(Topic.btcTick), .launcherStatuses])
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await e in messages {
                        let now = clock.now
                        if e.topic == Topic.btcTick.rawValue {
                            // Only a tick that decodes is fresh data; garbage on the price topic keeps nothing alive.
                            do {
                                _ = try e.decode(BTCTick.self)
                                state.withLock { $0.tick(at: now) }
                            } catch { context.health.rejected(topic: e.topic, reason: "\(error)") }
                        } else if e.topic.hasPrefix("sys.heartbeat.") {
                            do {
                                let beat = try e.decode(Heartbeat.self)
                                state.withLock { $0.heartbeat(beat, at: now) }
                                context.health.saw("heartbeats", at: now)
                            } catch { context.health.rejected(topic: e.topic, reason: "\(error)") }
                        } else {
                            do {
                                let status = try e.decode(LauncherStatus.self)
                                state.withLock { $0.launcher(status, at: now) }
                            } catch { context.health.rejected(topic: e.topic, reason: "\(error)") }
                        }
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        let now = clock.now
                        let (outputs, health) = state.withLock { d in (d.evaluate(now: now), d.health(now: now)) }
                        for output in outputs { publish(output, now: now, webhook: webhook) }
                        do { try bus.publish(.fleetHealth, health) } catch {
                            logger.error("cannot publish the fleet health", metadata: ["error": "\(error)"])
                        }
                        do { try await clock.sleep(seconds: min(1, settings.heartbeatInterval)) } catch { break }
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
    }

    private func publish(_ output: Detector.Output, now: BusTime, webhook: Webhook?) {
        switch output {
        case .command(let action, let holder, let reason):
            context.logger.notice("trading hold", metadata: ["action": "\(action.rawValue)", "holder": "\(holder)", "reason": "\(reason)"])
            do {
                try context.bus.publish(.tradingCommand, TradingCommand(action: action, holder: holder, reason: reason, time: now.description))
            } catch { context.logger.error("cannot publish a trading command", metadata: ["error": "\(error)"]) }
        case .alert(let severity, let message):
            let alert = Alert(source: Self.name, severity: severity, message: message)
            context.logger.log(level: severity == .critical ? .critical : severity == .warning ? .warning : .info, "\(message)")
            do { try context.bus.publish(.alert(source: Self.name), alert) } catch {
                context.logger.error("cannot publish an alert", metadata: ["error": "\(error)"])
            }
            if severity != .info { webhook?.send(alert) }
        }
    }
}

/// The detector's state, shared by the reader and the judging loop.
final class Guarded: Sendable {
    private let value: Mutex<Detector>
    init(_ detector: Detector) { value = Mutex(detector) }
    func withLock<T: Sendable>(_ body: (inout Detector) -> T) -> T { value.withLock { body(&$0) } }
}
