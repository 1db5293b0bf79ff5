public import BusKit
public import KalshiSim
public import Logging
public import Money
import Foundation
import Synchronization

/// How to build an in-process fleet.
public struct FleetOptions: Sendable {
    /// Simulated seconds per real second.
    public var speed = 60.0
    /// Simulated start, Unix ms.
    public var startMs: Int64 = 1_788_998_400_000 - 1_200_000
    /// The index before any script step.
    public var initialPrice = Dollars(cents: 10_000_000)
    /// The exchange's settings (balance, makers, strikes).
    public var exchange = ExchangeOptions()
    /// Faults the simulator injects.
    public var faults = FaultSettings()
    /// Extra `key = value` lines per section (`bus`, `plugin.model`...), appended to the generated `bus.conf`.
    public var sections: [String: [String: String]] = [:]
    /// The log level of the fleet's plugins: `RECIO_FLEET_LOG_LEVEL` (`info`, `debug`...) when set, else warning.
    public var logLevel = ProcessInfo.processInfo.environment["RECIO_FLEET_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
    /// Called as each HTTP request reaches the simulator, before it is handled (method, path): benchmarks time
    /// orders arriving at the venue with it.
    public var observeRequest: (@Sendable (_ method: String, _ path: String) -> Void)?

    /// The simulator settings a fleet scenario usually changes.
    public struct ExchangeOptions: Sendable {
        public var initialBalance = Dollars(cents: 100_000)
        public var makers = true
        public var strikesEachSide = 10
        public init() {}
    }

    public init() {}
}

/// The whole system in one process: a real broker on loopback ports, the real Kalshi and Coinbase simulator on a
/// loopback HTTP port, and plugins each with its own real ZeroMQ connection, all reading the simulator's clock.
/// Used by the end-to-end tests and by `recio bench pipeline`.
public final class Fleet: Sendable {
    /// The Kalshi simulator.
    public let server: KalshiSimServer
    /// The BTC index both venues follow.
    public let index: ScriptedPrice
    /// The clock every part reads.
    public let clock: SimulatorClock
    /// The simulator's HTTP port.
    public let port: Int
    /// The data folder (`RECIO_HOME`) of this fleet.
    public let home: String
    /// Bus endpoints of the in-process broker.
    public let busOptions: ZMQBus.Options
    /// The API key every plugin signs with; its user id is `fleet`.
    public let keyPEM: String
    let options: FleetOptions
    private let running = Mutex<[(name: String, task: Task<Void, any Error>, bus: ZMQBus)]>([])

    init(server: KalshiSimServer, index: ScriptedPrice, clock: SimulatorClock, port: Int, home: String, busOptions: ZMQBus.Options,
         keyPEM: String, options: FleetOptions) {
        self.server = server; self.index = index; self.clock = clock; self.port = port; self.home = home
        self.busOptions = busOptions; self.keyPEM = keyPEM; self.options = options
    }

    /// The folder holding the fleet's `key_id` and `private_key.pem`.
    public var credentialsFolder: String { home + "/credentials/sim" }

    /// The generated `bus.conf` text for the plugins named in `plugins`: the broker's endpoints, every plugin pointed
    /// at the simulator and at this fleet's data folder, and the scenario's extra lines.
    public func configurationText(plugins: Set<String>) -> String {
        // The fleet's broker runs in this process without identities (its tests speak as stand-ins for any
        // plugin), so the plugins it starts as processes connect without credentials too.
        var sections: [String: [String: String]] = [
            "bus": ["mode": "sim", "frontend": busOptions.frontend, "backend": busOptions.backend, "identities": "off"],
        ]
        let rest = "http://127.0.0.1:\(port)/trade-api/v2", ws = "ws://127.0.0.1:\(port)/trade-api/ws/v2"
        let venue = ["rest_url": rest, "credentials": credentialsFolder]
        sections["plugin.price-feed"] = ["url": "ws://127.0.0.1:\(port)/coinbase", "database": home + "/price-feed.sqlite"]
        sections["plugin.market-feed"] = venue.merging(["ws_url": ws]) { a, _ in a }
        sections["plugin.account-sync"] = venue.merging(["ws_url": ws, "database": home + "/account.sqlite"]) { a, _ in a }
        sections["plugin.executor"] = venue.merging(["journal": home + "/executor.sqlite"]) { a, _ in a }
        sections["plugin.trade-manager"] = ["database": home + "/trades.sqlite"]
        sections["plugin.auto-entry"] = ["settings_file": home + "/auto-entry/settings.json"]
        sections["plugin.trade-supervisor"] = ["settings_file": home + "/trade-supervisor/settings.json"]
        for (section, lines) in options.sections { sections[section, default: [:]].merge(lines) { _, new in new } }
        return sections.filter { $0.key == "bus" || plugins.contains(String($0.key.dropFirst("plugin.".count))) }
            .sorted { $0.key == "bus" || ($1.key != "bus" && $0.key < $1.key) }
            .map { name, lines in "[\(name)]\n" + lines.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)\n" }.joined() }
            .joined(separator: "\n")
    }

    /// Writes a simulator clock file for this fleet's clock, so that plugins in other processes given
    /// `[bus] clock = simulator` and `sim_clock_file = path` follow it.
    public func writeClockFile(to path: String) throws {
        let c = fileClock
        try SimulatorClockFile(startMs: c.startMs, realStartMs: c.realStartMs, speed: c.speed, pid: ProcInfo.pid).write(to: path)
    }

    /// The simulator's clock as processes reading that file tell it (to the microsecond; ``clock`` reads milliseconds).
    public var fileClock: ScaledBusClock {
        let c = clock.host.clock
        return ScaledBusClock(startMs: c.startMs, realStartMs: c.realStartMs, speed: clock.speed)
    }

    /// Starts a plugin in this process on its own bus connection; it runs until ``stopAll()``.
    public func start<P: Plugin>(_ type: P.Type, pluginKeys: [String: Set<String>]) throws {
        let file = try ConfigFile(path: home + "/bus.conf", text: configurationText(plugins: Set(pluginKeys.keys)))
        let configuration = try BusConfiguration(file: file, pluginKeys: pluginKeys)
        let bus = try ZMQBus(source: "\(P.name)@fleet", options: busOptions, clock: clock)
        var logger = Logger(label: "fleet.\(P.name)")
        logger.logLevel = options.logLevel
        let health = Health()
        let context = PluginContext(name: P.name, host: "fleet", configuration: configuration, bus: bus, clock: clock,
                                    health: health, logger: logger)
        let plugin = try P(context: context)
        // Heartbeats as `recio up` sends them (once a second of the machine's time, not the simulator's), so the
        // dashboard and tests see which plugins are running; the state is the plugin's own, set once it is ready.
        let heartbeat = HeartbeatService(plugin: P.name, host: "fleet", bus: bus, clock: clock, health: health,
                                         interval: configuration.bus.heartbeatInterval * max(1, options.speed), logger: logger)
        let task = Task {
            let beats = Task { try await heartbeat.run() }
            defer { beats.cancel() }
            try await plugin.run()
        }
        running.withLock { $0.append((P.name, task, bus)) }
    }

    /// A new bus connection for a test or benchmark, on the fleet's clock.
    public func connect(as source: String) throws -> ZMQBus { try ZMQBus(source: source, options: busOptions, clock: clock) }

    /// The names of the plugins running.
    public var pluginNames: [String] { running.withLock { $0.map(\.name) } }

    /// Cancels every plugin (waiting at most `seconds` for each to return) and closes their connections.
    /// Returns the names of plugins that did not return in time.
    @discardableResult
    public func stopAll(within seconds: Double = 20) async -> [String] {
        let all = running.withLock { r in defer { r.removeAll() }; return r }
        var late: [String] = []
        for plugin in all.reversed() {
            plugin.task.cancel()
            let (ended, signal) = AsyncStream<Void>.makeStream()
            let task = plugin.task
            Task { _ = await task.result; signal.yield(); signal.finish() }
            var it = ended.makeAsyncIterator()
            let waiter = Task { try? await Task.sleep(for: .seconds(seconds)); signal.finish() }
            if await it.next() == nil { late.append(plugin.name) }
            waiter.cancel()
            plugin.bus.close(flushSeconds: 0.2)
        }
        return late
    }
}
