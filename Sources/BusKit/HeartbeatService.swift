import BusWire
import Logging
import ServiceLifecycle

/// Publishes `sys.heartbeat.<plugin>` every interval until shutdown, then one last beat saying `stopped`; the first
/// beat goes out as soon as the plugin is running.
public struct HeartbeatService: Service {
    let plugin: String
    let host: String
    let bus: any Bus
    let clock: any BusClock
    let health: Health
    let interval: Double
    let started: BusTime
    let logger: Logger

    public init(plugin: String, host: String, bus: any Bus, clock: any BusClock, health: Health, interval: Double, logger: Logger) {
        self.plugin = plugin; self.host = host; self.bus = bus; self.clock = clock; self.health = health
        self.interval = interval; self.started = clock.now; self.logger = logger
    }

    /// The heartbeat as of now.
    public func beat(state override: PluginState? = nil) -> Heartbeat {
        let now = clock.now
        let (state, note, ages) = health.snapshot(now: now)
        return Heartbeat(plugin: plugin, host: host, pid: ProcInfo.pid, state: override ?? state,
                         uptime: started.seconds(until: now), rss: ProcInfo.rss(pid: ProcInfo.pid) ?? 0,
                         dataAges: ages, bus: bus.counters, note: note, undecodable: health.undecodable)
    }

    public func run() async throws {
        // Cancelled at once on graceful shutdown (not at the end of the current sleep), so stopping a host's plugins
        // one by one takes milliseconds each.
        await cancelWhenGracefulShutdown {
            // The first beat waits (at most one interval) for the plugin to leave `starting`, so that a plugin that is
            // up says `running` at once rather than an interval later.
            var waited = 0.0
            while health.current == .starting && waited < interval && !Task.isCancelled {
                do { try await clock.sleep(seconds: 0.002) } catch { break }
                waited += 0.002
            }
            while !Task.isCancelled {
                do { try bus.publish(.heartbeat(plugin: plugin), beat()) } catch {
                    logger.warning("heartbeat not published", metadata: ["error": "\(error)"])
                }
                do { try await clock.sleep(seconds: interval) } catch { break }
            }
        }
        try? bus.publish(.heartbeat(plugin: plugin), beat(state: .stopped))
    }
}
