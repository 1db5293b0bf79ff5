import ArgumentParser
import BusKit
import BusWire
import Launcher
import Logging
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `recio up`: starts the broker and this host's plugins and keeps them running.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "up", abstract: "Start the broker and this host's plugins.")

    @OptionGroup var bus: BusOptions
    @Flag(help: "Run in the background; return once it is up.") var detach = false

    func run() async throws {
        let config = try bus.load()
        let home = ProcInfo.recioHome
        let pidPath = Launcher.pidFile(home: home, host: bus.host)
        if let pid = livePid(pidPath) { throw ValidationError("a launcher for host '\(bus.host)' is already running (pid \(pid))") }
        let configPath = absolute(bus.config)
        if detach { return try spawnDetached(home: home, pidPath: pidPath, configPath: configPath) }

        PluginRunner.bootstrapLogging()
        let logger = Logger(label: "recio.launcher")
        let launcher = Launcher(options: .init(configPath: configPath, host: bus.host, home: home, executable: selfExecutable()),
                                config: config, logger: logger)
        let connection = try? ZMQBus(source: "launcher@\(bus.host)", options: config.busOptions)
        let follower = Task { if let connection { await launcher.followHeartbeats(connection.subscribe([.heartbeats])) } }
        let result: Result<Void, LauncherError> = await withCheckedContinuation { done in
            _ = OSThread(name: "launcher") {
                do throws(LauncherError) { try launcher.run(bus: connection); done.resume(returning: .success(())) } catch {
                    done.resume(returning: .failure(error))
                }
            }
        }
        connection?.close(flushSeconds: 1)
        follower.cancel()
        try result.get()
    }

    private func spawnDetached(home: String, pidPath: String, configPath: String) throws {
        var args = [selfExecutable(), "up", "--config", configPath, "--host", bus.host]
        args = args.filter { $0 != "--detach" }
        var env = ProcInfo.env("RECIO_HOME") == nil ? ["RECIO_HOME": home] : [:]
        env["RECIO_DETACHED"] = "1"
        let child = try ChildProcess.spawnDetached(args, environment: env, logPath: "\(home)/logs/launcher.log")
        for _ in 0..<200 {
            if livePid(pidPath) != nil { print("launcher running (pid \(child)); `recio status` to see it, `recio down` to stop"); return }
            if kill(child, 0) != 0 { break }
            usleep(50_000)
        }
        throw ValidationError("the launcher did not come up; see \(home)/logs/launcher.log")
    }
}

/// `recio down`: stops this host's launcher and everything it runs.
struct DownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "down", abstract: "Stop this host's plugins and broker.")

    @Option(help: "This host's name in bus.conf.") var host: String = ProcInfo.env("RECIO_HOST") ?? "local"

    func run() async throws {
        let pidPath = Launcher.pidFile(home: ProcInfo.recioHome, host: host)
        guard let pid = livePid(pidPath) else {
            print("no launcher is running for host '\(host)'")
            return
        }
        kill(pid, SIGTERM)
        print("stopping launcher pid \(pid)…", terminator: "")
        for i in 0..<1200 {
            if kill(pid, 0) != 0 { print(" stopped"); return }
            if i % 20 == 19 { print(".", terminator: "") }
            usleep(50_000)
        }
        throw ValidationError("launcher pid \(pid) did not stop within 60 s")
    }
}

/// `recio status`: the launcher's table for this host.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show plugins, pids, states, restarts, memory.")

    @Option(help: "This host's name in bus.conf.") var host: String = ProcInfo.env("RECIO_HOST") ?? "local"
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let home = ProcInfo.recioHome
        guard livePid(Launcher.pidFile(home: home, host: host)) != nil else {
            throw ValidationError("no launcher is running for host '\(host)' (RECIO_HOME=\(home)); start one with `recio up`")
        }
        let path = Launcher.statusFile(home: home, host: host)
        guard let data = FileManager.default.contents(atPath: path), var status = try? JSONDecoder().decode(LauncherStatus.self, from: data) else {
            throw ValidationError("no status yet in \(path)")
        }
        for i in status.plugins.indices { status.plugins[i].rss = status.plugins[i].pid.flatMap { ProcInfo.rss(pid: $0) } }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
        } else {
            print(StatusTable.render(status, now: SystemClock().now))
        }
    }
}

/// The pid in `path` if that process is alive.
func livePid(_ path: String) -> Int32? {
    guard let text = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }),
        let pid = Int32(text.filter { $0.isNumber }), kill(pid, 0) == 0
    else { return nil }
    return pid
}

/// This executable's path.
func selfExecutable() -> String {
    var buf = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buf, buf.count - 1)
    return n > 0 ? String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
}

/// `path` made absolute against the working directory.
func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
}
