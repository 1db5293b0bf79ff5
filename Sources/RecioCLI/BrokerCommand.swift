import ArgumentParser
import Broker
import BusKit
import Logging
import ServiceLifecycle
import UnixSignals

/// `recio broker`: runs the broker in the foreground.
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "broker", abstract: "Run the message broker in the foreground.")

    @OptionGroup var bus: BusOptions

    func run() async throws {
        let config = try bus.load()
        PluginRunner.bootstrapLogging()
        let logger = Logger(label: "recio.broker")
        let broker: Broker
        do { broker = try Broker(options: BrokerOptions.load(config, host: bus.host), logger: logger) } catch {
            throw ValidationError("broker cannot start: \(error)")
        }
        let group = ServiceGroup(services: [BrokerService(broker: broker)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}
