import BusWire
import Logging
import ServiceLifecycle
import UnixSignals

/// Runs one plugin as a process: loads `bus.conf`, moves an old-layout data folder into the mode's folder
/// (``DataMigration``), connects to the broker, publishes heartbeats and shuts down gracefully on SIGTERM or SIGINT.
public enum PluginRunner {
    /// Sets up logging once per process: human-readable lines on stderr, level from `LOG_LEVEL` (default info).
    public static func bootstrapLogging() {
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = ProcInfo.env("LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .info
            return h
        }
    }

    /// Runs `P` until it returns or the process is told to stop.
    /// - Parameters:
    ///   - configPath: the `bus.conf` to read.
    ///   - host: this host's name in `bus.conf`.
    ///   - pluginKeys: every built-in plugin's keys, for validating the whole file.
    public static func run<P: Plugin>(_ type: P.Type, configPath: String, host: String, pluginKeys: [String: Set<String>]) async throws {
        let config = try BusConfiguration.load(path: configPath, pluginKeys: pluginKeys)
        var logger = Logger(label: "recio.\(P.name)")
        logger[metadataKey: "plugin.name"] = "\(P.name)"
        try DataMigration.run(config.layout(), logger: logger)
        let clock = try config.makeClock()
        let bus = try ZMQBus(source: "\(P.name)@\(host)", options: config.connectionOptions(identity: P.name), clock: clock)
        defer { bus.close() }
        let health = Health()
        let context = PluginContext(name: P.name, host: host, configuration: config, bus: bus, clock: clock, health: health, logger: logger)
        let plugin = try P(context: context)
        let heartbeat = HeartbeatService(plugin: P.name, host: host, bus: bus, clock: clock, health: health,
                                         interval: config.bus.heartbeatInterval, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: heartbeat),
                .init(service: PluginService(plugin: plugin, health: health),
                      successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        logger.info("starting", metadata: ["bus.frontend": "\(config.bus.frontend)", "bus.backend": "\(config.bus.backend)"])
        try await group.run()
        logger.info("stopped")
    }
}

/// Wraps a plugin as a service and keeps its health state in step.
struct PluginService<P: Plugin>: Service {
    let plugin: P
    let health: Health

    func run() async throws {
        health.set(.running)
        do {
            try await plugin.run()
            health.set(.stopping)
        } catch {
            health.set(.stopping, note: "\(error)")
            throw error
        }
    }
}

extension BusConfiguration {
    /// The clock `[bus] clock` names: the system clock, or the simulator's from the file it writes.
    public func makeClock(home: String = ProcInfo.recioHome) throws(BusError) -> any BusClock {
        guard bus.clock == "simulator" else { return SystemClock() }
        return try SimulatorClockFile.read(from: bus.simClockFile ?? SimulatorClockFile.defaultPath(home: home)).clock
    }
}
