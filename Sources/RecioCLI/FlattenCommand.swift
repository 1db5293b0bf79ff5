import ArgumentParser
import BusKit
import BusWire
import Foundation
import Kalshi
import Money
import TradingWire

/// `recio flatten`: the kill switch. Halts entries on the bus, cancels resting orders, closes every position with
/// reduce-only IOC orders, and reports what is left.
struct FlattenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flatten",
        abstract: "Kill switch: halt entries, cancel resting orders, close every position, report what is left.",
        discussion: """
            Publishes a `halt` hold (holder `user`) when a broker answers, then uses this mode's credentials on the venue. \
            By default Kalshi's cancel-all is used: it cancels every resting order of the member on every shard and \
            subaccount, manual orders included, and may also cancel orders placed in the following minute. \
            --only-recio cancels only the orders rec.io placed, in batches sized from the write budget, each routed by its market. \
            Release the hold afterwards from the dashboard or with `recio pub`. Exits 1 when something is left.
            """)

    @OptionGroup var bus: BusOptions
    @OptionGroup var venueOptions: VenueOptions
    @Flag(help: "Do not ask for confirmation.") var yes = false
    @Flag(help: "Cancel only rec.io's orders (by client order id), not Kalshi's cancel-all.") var onlyRecio = false
    @Option(help: "The worst price paid for a closing leg, in dollars (0.01 to 0.99).") var worstPrice = "0.99"
    @Option(help: "How long to wait for the broker before going on without the halt, in seconds.") var busWait: Double = 3
    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        guard let worst = Dollars(worstPrice), worst >= Dollars(cents: 1), worst <= Dollars(cents: 99) else {
            throw ValidationError("--worst-price \(worstPrice) must be a dollar amount from 0.01 to 0.99")
        }
        let config = try bus.load()
        let mode = config.bus.mode.rawValue
        let venue = try venueOptions.client(mode: mode)
        printError(onlyRecio
            ? "flatten (\(mode)): cancels rec.io's resting orders only, then closes EVERY open position at worst $\(worst.formatted(decimals: 2))."
            : """
              flatten (\(mode)): Kalshi's cancel-all cancels EVERY resting order of this member on every shard and subaccount, \
              your manual orders included, and may also cancel orders placed in the next minute. \
              Then every open position is closed at worst $\(worst.formatted(decimals: 2)). Use --only-recio to cancel rec.io's orders only.
              """)
        if !yes {
            printError("Type yes to go on: ", terminator: "")
            guard readLine()?.trimmingCharacters(in: .whitespaces).lowercased() == "yes" else {
                printError("nothing done")
                throw ExitCode(2)
            }
        }
        await halt(config: config)
        let report = try await Flattener(rest: venue).run(
            Flattener.Options(worstPrice: worst, onlyRecio: onlyRecio, nowMs: Int64(Date().timeIntervalSince1970 * 1000)))
        if json { try printJSON(report) } else { print(Self.text(report)) }
        if !report.flat { throw ExitCode(1) }
    }

    /// Publishes the user's halt when a broker answers within `busWait`; says so either way.
    private func halt(config: BusConfiguration) async {
        do {
            let connection = try bus.connect(as: "flatten")
            defer { connection.close(flushSeconds: 5) }
            guard await connection.waitUntilConnected(timeoutSeconds: busWait) else {
                printError("no broker at \(config.bus.frontend): entries not halted on the bus (is the fleet down?)")
                return
            }
            try connection.publish(.tradingCommand, TradingCommand(action: .halt, holder: "user", reason: "recio flatten",
                                                                   time: SystemClock().now.description))
            printError("entries halted (holder user)")
        } catch {
            printError("could not halt on the bus: \(error)")
        }
    }

    static func text(_ r: Flattener.Report) -> String {
        func rows(_ lines: [Flattener.Line]) -> [[String]] {
            lines.map { [$0.kind, $0.ticker, $0.orderID, $0.clientOrderID ?? "", "\($0.count)", $0.recio.map { $0 ? "rec.io" : "other" } ?? "", $0.note] }
        }
        let lines = r.cancelled + r.closes + r.restingLeft + r.positionsLeft
        var out = lines.isEmpty ? ["nothing to cancel or close"]
            : [table([["what", "market", "order", "client order id", "count", "placed by", "note"]] + rows(lines))]
        out += r.errors.map { "error: \($0)" }
        out.append(r.flat ? "FLAT: nothing rests, no position open" : "NOT FLAT: see the resting orders, positions and errors above")
        return out.joined(separator: "\n")
    }
}
