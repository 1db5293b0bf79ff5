import ArgumentParser
import BusKit

/// `recio check`: validates `bus.conf` against every built-in plugin's keys without starting anything.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate bus.conf (every error names file, line and key) and list what this host would start.")

    @OptionGroup var bus: BusOptions

    func run() throws {
        let config = try bus.load()
        let here = config.plugins(on: bus.host).map(\.name)
        print("\(bus.config): valid (mode \(config.bus.mode)); host '\(bus.host)' starts: \(config.bus.brokerHost == bus.host ? "broker" : "(no broker)")\(here.isEmpty ? "" : ", " + here.joined(separator: ", "))")
    }
}
