import BusWire
import Logging

/// Everything a plugin gets from the kit.
public struct PluginContext: Sendable {
    /// The plugin's name, such as `price-feed`.
    public let name: String
    /// This host's name in `bus.conf`.
    public let host: String
    /// The whole validated configuration.
    public let configuration: BusConfiguration
    /// The bus connection.
    public let bus: any Bus
    /// The one clock to read.
    public let clock: any BusClock
    /// Where to report state and data ages (published in heartbeats).
    public let health: Health
    /// A logger with `plugin.name` metadata.
    public let logger: Logger

    public init(name: String, host: String, configuration: BusConfiguration, bus: any Bus, clock: any BusClock,
                health: Health, logger: Logger) {
        self.name = name; self.host = host; self.configuration = configuration; self.bus = bus; self.clock = clock
        self.health = health; self.logger = logger
    }
}

/// A plugin: an independent process that subscribes and publishes on the bus.
///
/// ```swift
/// struct Echo: Plugin {
///     static let name = "echo"
///     static let configKeys: Set<String> = ["reply_prefix"]
///     let context: PluginContext
///     init(context: PluginContext) throws { self.context = context }
///     func run() async throws {
///         for await m in context.bus.subscribe([.pings(target: "echo")]).cancelOnGracefulShutdown() { … }
///     }
/// }
/// ```
public protocol Plugin: Sendable {
    /// The name used in `bus.conf` (`[plugin.<name>]`), topics and `recio plugin <name>`.
    static var name: String { get }
    /// The keys the plugin reads from its section; any other key there is a configuration error.
    static var configKeys: Set<String> { get }
    /// Builds the plugin; throw ``ConfigErrors`` for bad settings.
    init(context: PluginContext) throws
    /// Runs until cancelled or shut down gracefully (SIGTERM/SIGINT).
    func run() async throws
}
