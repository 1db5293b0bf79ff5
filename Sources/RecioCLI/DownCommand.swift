import ArgumentParser
import BusKit
import BusWire
import Launcher
#if canImport(Glibc)
import Glibc
#endif

/// `recio down`: stops this host's launcher, which stops its plugins in reverse order and the broker last.
struct DownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "down", abstract: "Stop this host's plugins and broker.")

    @Option(help: "This host's name in bus.conf (default: $RECIO_HOST, else local).")
    var host: String = ProcInfo.env("RECIO_HOST") ?? "local"

    @Option(help: "Seconds to wait for everything to stop.")
    var timeout: Double = 120

    func run() async throws {
        let files = RunFiles(home: ProcInfo.recioHome, host: host)
        guard let pid = files.livePid() else {
            print("no launcher is running for host '\(host)' (RECIO_HOME=\(files.home))")
            return
        }
        guard kill(pid, SIGTERM) == 0 else { throw LauncherError("cannot signal launcher pid \(pid): \(String(cString: strerror(errno)))") }
        print("stopping launcher pid \(pid) on host '\(host)'")
        let clock = SystemClock()
        let deadline = clock.now.adding(seconds: timeout)
        var shown: [String: PluginState] = [:]
        var lastDot = clock.now
        while clock.now < deadline {
            let gone = !RunFiles.isRunning(pid: pid)
            // The launcher files its status as each process starts and ends stopping (in reverse order).
            for p in (files.readStatus()?.plugins ?? []).reversed() where [.stopping, .stopped].contains(p.state) && shown[p.name] != p.state {
                shown[p.name] = p.state
                print("  \(p.name): \(p.state.rawValue)\(p.state == .stopped ? p.lastExit.map { " (\($0))" } ?? "" : "")")
                lastDot = clock.now
            }
            if gone {
                print("launcher stopped")
                return
            }
            if lastDot.seconds(until: clock.now) >= 2 {
                print("  …still stopping")
                lastDot = clock.now
            }
            usleep(50_000)
        }
        throw LauncherError("launcher pid \(pid) is still running after \(Int(timeout)) s; see \(files.home)/logs, or `kill -9 \(pid)`")
    }
}
