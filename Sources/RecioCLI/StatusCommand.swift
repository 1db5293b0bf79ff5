import ArgumentParser
import BusKit
import BusWire
import Launcher
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `recio status`: the launcher's table for this host, with memory read live.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show plugins: pid, state, uptime, restarts, memory, heartbeat age.")

    @Option(help: "This host's name in bus.conf (default: $RECIO_HOST, else local).")
    var host: String = ProcInfo.env("RECIO_HOST") ?? "local"

    @Flag(help: "Print JSON (a LauncherStatus).") var json = false

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
        if let age = files.statusAge(), age > 5 {
            printError("warning: the status is \(Int(age)) s old; the launcher may be stuck")
        }
    }
}
