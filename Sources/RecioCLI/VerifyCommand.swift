import ArgumentParser
import BusKit
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

/// The comparison itself.
struct Verification: Codable {
    var trades: Int
    var venueOrders: Int
    var venueFills: Int
    /// Client order ids the venue holds more than once.
    var duplicateClientOrderIDs: [String]
    /// Venue fills whose order no trade knows.
    var unmatchedFills: [String]
    /// Markets whose venue position differs from the trades': ticker → "trades X, venue Y".
    var positionMismatches: [String: String]
    var ok: Bool { duplicateClientOrderIDs.isEmpty && unmatchedFills.isEmpty && positionMismatches.isEmpty }

    init(trades: [TradeRecord], orders: [Order], fills: [Fill], positions: [MarketPosition]) {
        self.trades = trades.count
        venueOrders = orders.count
        venueFills = fills.count
        var seen: [String: Int] = [:]
        for o in orders { if let id = o.clientOrderId { seen[id, default: 0] += 1 } }
        duplicateClientOrderIDs = seen.filter { $0.value > 1 }.keys.sorted()
        let known = Set(trades.flatMap { [$0.entryOrderID, $0.closeOrderID].compactMap { $0 } })
        unmatchedFills = fills.filter { !known.contains($0.orderId) }.map { $0.tradeId ?? $0.fillId ?? $0.orderId }.sorted()
        let expected = Dictionary(grouping: trades.filter { $0.status.holdsPosition }, by: \.ticker)
            .mapValues { $0.reduce(Contracts.zero) { $0 + ($1.side == .yes ? $1.count : -$1.count) } }
        let held = Dictionary(positions.map { ($0.ticker, $0.positionFp ?? .zero) }, uniquingKeysWith: +)
        var mismatches: [String: String] = [:]
        for ticker in Set(expected.keys).union(held.keys) {
            let want = expected[ticker] ?? .zero, have = held[ticker] ?? .zero
            if want != have { mismatches[ticker] = "trades \(want), venue \(have)" }
        }
        positionMismatches = mismatches
    }

    var text: String {
        var lines = ["trades \(trades), venue orders \(venueOrders), venue fills \(venueFills)"]
        lines.append(duplicateClientOrderIDs.isEmpty ? "client order ids: each once" : "DUPLICATE client order ids: \(duplicateClientOrderIDs)")
        lines.append(unmatchedFills.isEmpty ? "fills: every one in a trade" : "UNMATCHED fills: \(unmatchedFills)")
        lines.append(positionMismatches.isEmpty ? "positions: match to the contract"
                     : "POSITION mismatches: " + positionMismatches.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; "))
        lines.append(ok ? "OK" : "DIFFERENCES FOUND")
        return lines.joined(separator: "\n")
    }
}
