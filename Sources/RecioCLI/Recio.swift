import AccountSync
import ArgumentParser
import AutoEntry
import BusKit
import Executor
import FailureDetector
import MarketFeed
import Model
import Pong
import PriceFeed
import TradeManager
import TradeSupervisor
import Web

/// `recio`: one binary for the broker, every plugin, the launcher and the terminal tools.
@main
struct Recio: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recio",
        abstract: "rec.io: a ZeroMQ message-bus trading system for Kalshi's hourly Bitcoin markets.",
        subcommands: [
            BrokerCommand.self, PluginCommand.self,
            UpCommand.self, DownCommand.self, StatusCommand.self, CheckCommand.self,
            TapCommand.self, PubCommand.self, TopicsCommand.self, HzCommand.self, RecordCommand.self, PlayCommand.self,
            PingCommand.self, BenchCommand.self, HistoryCommand.self, SimCommand.self, CredentialsCommand.self, KeysCommand.self,
            ModelCommand.self, TradesCommand.self, WebCommand.self, VerifyCommand.self, FlattenCommand.self, DoctorCommand.self,
            BacktestCommand.self, ReplayCommand.self, ResearchCommand.self,
        ])
}

/// A built-in plugin: its name, its configuration keys and how to run it.
struct PluginEntry: Sendable {
    let name: String
    let keys: Set<String>
    let run: @Sendable (_ config: String, _ host: String) async throws -> Void

    init<P: Plugin>(_ type: P.Type) {
        name = P.name
        keys = P.configKeys
        run = { config, host in try await PluginRunner.run(P.self, configPath: config, host: host, pluginKeys: builtInPluginKeys) }
    }
}

/// Every built-in plugin. A plugin never imports another; only this list knows them all.
let builtInPlugins: [PluginEntry] = [
    PluginEntry(Pong.self), PluginEntry(PriceFeed.self), PluginEntry(MarketFeed.self), PluginEntry(ModelPlugin.self),
    PluginEntry(AutoEntry.self), PluginEntry(TradeSupervisor.self), PluginEntry(Executor.self), PluginEntry(TradeManager.self),
    PluginEntry(AccountSync.self), PluginEntry(FailureDetector.self), PluginEntry(Web.self),
]

/// The keys each built-in plugin reads, for validating `bus.conf` as a whole.
var builtInPluginKeys: [String: Set<String>] {
    Dictionary(uniqueKeysWithValues: builtInPlugins.map { ($0.name, $0.keys) })
}

/// Options every bus-facing command shares.
struct BusOptions: ParsableArguments {
    @Option(name: .long, help: "The bus configuration file (default: $RECIO_CONFIG, else ./bus.conf).")
    var config: String = ProcInfo.env("RECIO_CONFIG") ?? "bus.conf"

    @Option(name: .long, help: "This host's name in bus.conf (default: $RECIO_HOST, else local).")
    var host: String = ProcInfo.env("RECIO_HOST") ?? "local"

    /// Loads and validates the configuration, printing every problem with file, line and key.
    func load() throws -> BusConfiguration {
        do {
            return try BusConfiguration.load(path: config, pluginKeys: builtInPluginKeys)
        } catch {
            throw ValidationError("invalid configuration:\n\(error)")
        }
    }
}

/// `recio plugin <name>`: runs one built-in plugin in the foreground.
struct PluginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plugin", abstract: "Run one plugin in the foreground.")

    @Argument(help: "The plugin's name.")
    var name: String

    @OptionGroup var bus: BusOptions

    func run() async throws {
        guard let entry = builtInPlugins.first(where: { $0.name == name }) else {
            throw ValidationError("no plugin named '\(name)'; built-in plugins: \(builtInPlugins.map(\.name).sorted().joined(separator: ", "))")
        }
        PluginRunner.bootstrapLogging()
        try await entry.run(bus.config, bus.host)
    }
}
