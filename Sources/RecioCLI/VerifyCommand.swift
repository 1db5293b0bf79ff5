import ArgumentParser
import BusKit
import Fleet
import Foundation
import Kalshi
import Money
import TradeManager
import TradingWire

/// `recio verify`: the trades database against the venue — what a chaos run, or an operator after an incident, checks.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the trades database against the venue: every client order id once, every fill in a trade, positions to the contract.",
        discussion: "Reads the trades database read-only and the venue's orders, fills and positions with this mode's credentials, past the archive cutoff too (/historical/orders and /historical/fills). Exits 1 on any difference.")

    @OptionGroup var bus: BusOptions
    @Option(help: "The trades database (default the trade manager's: $RECIO_HOME/<mode>/trades.sqlite).") var database: String?
    @OptionGroup var venueOptions: VenueOptions
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        let config = try bus.load()
        let store = try TradeStore(path: database ?? TradeManagerSettings(configuration: config).database, readOnly: true)
        let trades = try await store.load().trades.map(\.record)
        let venue = try venueOptions.client(mode: config.bus.mode.rawValue)
        let report = Verification(trades: trades, orders: try await venue.allOrders(), fills: try await venue.allFills(),
                                  positions: try await venue.positions().market)
        if json {
            try printJSON(report)
        } else {
            print(report.text)
        }
        if !report.ok { throw ExitCode(1) }
    }
}
