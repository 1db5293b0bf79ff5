import ArgumentParser
import BusKit
import BusWire
import Foundation
import Money
import TradeManager
import TradingWire

/// `recio trades`: the trade manager's trades from the terminal.
struct TradesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trades", abstract: "Trades: run the expiration check now, list trades.",
        subcommands: [TradesExpireNowCommand.self, TradesListCommand.self])
}

/// `recio trades expire-now`: the original's manual expiration check, over the bus.
struct TradesExpireNowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expire-now",
        abstract: "Ask the trade manager to run its expiration check now and print what expired.",
        discussion: "Publishes cmd.trades.expire and waits for the next trade.state.open from the trade manager.")

    @Option(help: "Seconds to wait for the trade manager's answer.") var timeout: Double = 10
    @Flag(help: "Print the expired trades as JSON.") var json = false
    @OptionGroup var bus: BusOptions

    func run() async throws {
        let connection = try bus.connect(as: "trades")
        defer { connection.close(flushSeconds: 1) }
        guard let outcome = await TradesClient.expireNow(bus: connection, timeoutSeconds: timeout) else {
            throw ValidationError("no answer from the trade manager within \(timeout) s; is it running (recio status)?")
        }
        if json { return try printJSON(outcome.expired) }
        if outcome.expired.isEmpty {
            print("nothing expired; \(outcome.open.trades.count) trade(s) in flight")
        } else {
            print("expired \(outcome.expired.count) trade(s):")
            printTrades(outcome.expired)
        }
    }
}

/// `recio trades list`: the trades in flight from the bus, or every trade from the database file.
struct TradesListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List trades.",
        discussion: """
            Without --database: the trades in flight (pending, open, closing, expired, error), from the trade \
            manager's trade.state.open on the bus. With --stored: every trade in the mode's trade store (the trade \
            manager's database, $RECIO_HOME/<mode>/trades.sqlite by default), opened read-only; --database names another file.
            """)

    @Option(help: "Only trades with this status (pending, open, closing, closed, expired, settled, rejected, error).")
    var status: String?
    @Option(help: "Read this trades database file read-only instead of the bus.") var database: String?
    @Flag(help: "Read the mode's trade store (bus.conf's mode and trade manager) read-only instead of the bus.") var stored = false
    @Flag(help: "Print JSON (an array of trade records).") var json = false
    @Option(help: "Seconds to wait for trade.state.open.") var timeout: Double = 5
    @OptionGroup var bus: BusOptions

    func run() async throws {
        let wanted: TradeStatus?
        if let status {
            guard let s = TradeStatus(rawValue: status) else { throw ValidationError("unknown status '\(status)'") }
            wanted = s
        } else { wanted = nil }
        var trades: [TradeRecord]
        if let path = try database ?? (stored ? TradeManagerSettings(configuration: bus.load()).database : nil) {
            let store = try TradeStore(path: path, readOnly: true)
            trades = try await store.load().trades.map(\.record)
        } else {
            if let wanted, wanted.isFinal {
                throw ValidationError("the bus carries only trades in flight; use --database for \(wanted.rawValue) trades")
            }
            let connection = try bus.connect(as: "trades")
            defer { connection.close(flushSeconds: 0) }
            guard let open = await TradesClient.openTrades(bus: connection, timeoutSeconds: timeout) else {
                throw ValidationError("no trade.state.open within \(timeout) s; is the trade manager running?")
            }
            trades = open.trades
        }
        if let wanted { trades = trades.filter { $0.status == wanted } }
        if json { return try printJSON(trades) }
        if trades.isEmpty { print("no trades"); return }
        printTrades(trades)
    }
}

private func printJSON(_ trades: [TradeRecord]) throws {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    print(String(decoding: try e.encode(trades), as: UTF8.self))
}

private func printTrades(_ trades: [TradeRecord]) {
    var rows = [["id", "status", "ticker", "side", "count", "entry", "exit", "pnl", "result"]]
    for t in trades {
        rows.append([t.id, t.status.rawValue, t.ticker, t.side.rawValue, t.count.description,
                     t.entryPrice?.formatted(decimals: 4) ?? "-", t.exitValue?.formatted(decimals: 4) ?? "-",
                     t.pnl?.formatted(decimals: 2) ?? "-", t.result?.rawValue ?? "-"])
    }
    printTable(rows)
}
