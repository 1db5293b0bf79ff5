import ArgumentParser
import BusKit
import BusWire
import Launcher
import TradingWire
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `recio status`: the launcher's table for this host, with memory read live, then the trading state with every hold
/// and its owner (from the broker's last value of `sys.control.state.trading`).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show plugins: pid, state, uptime, restarts, memory, heartbeat age.")

    @Option(help: "This host's name in bus.conf (default: $RECIO_HOST, else local).")
    var host: String = ProcInfo.env("RECIO_HOST") ?? "local"

    @Flag(help: "Print JSON (a LauncherStatus).") var json = false

    @Option(help: "The bus configuration, to show the trading state and its holds (default: $RECIO_CONFIG, else ./bus.conf).")
    var config: String = ProcInfo.env("RECIO_CONFIG") ?? "bus.conf"

    func run() async throws {
        let files = RunFiles(home: ProcInfo.recioHome, host: host)
        guard let pid = files.livePid() else {
            throw LauncherError("no launcher is running for host '\(host)' (RECIO_HOME=\(files.home)); start one with `recio up`")
        }
        guard var status = files.readStatus() else {
            throw LauncherError("launcher pid \(pid) is running but \(files.statusFile) is missing or unreadable")
        }
        for i in status.plugins.indices { status.plugins[i].rss = status.plugins[i].pid.flatMap { ProcInfo.rss(pid: $0) } }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
            return
        }
        print(StatusTable.render(status, now: SystemClock().now))
        await printTrading()
        if let age = files.statusAge(), age > 5 {
            printError("warning: the status is \(Int(age)) s old; the launcher may be stuck")
        }
    }

    /// The trading state and its holds, when the broker answers within two seconds.
    private func printTrading() async {
        var options = BusOptions()
        options.config = config
        options.host = host
        guard let bus = try? options.connect(as: "tap") else { return }
        defer { bus.close() }
        let states = bus.subscribe([TopicFilter(.tradingState)])
        let first = await withTaskGroup(of: TradingStatus?.self) { group in
            group.addTask { for await e in states { if let s = try? e.decode(TradingStatus.self) { return s } }; return nil }
            group.addTask { try? await Task.sleep(for: .seconds(2)); return nil }
            let found = await group.next() ?? nil
            group.cancelAll()
            return found
        }
        guard let state = first else {
            print("trading: unknown (no sys.control.state.trading from the broker within 2 s)")
            return
        }
        print("trading: \(state.mode.rawValue)\(state.hard ? " (hard)" : "")\(state.holds.isEmpty ? ", no holds" : "")")
        for h in state.holds { print("  hold by \(h.holder): \(h.mode.rawValue)\(h.hard ? " hard" : "") since \(h.since): \(h.reason)") }
    }
}
