import ArgumentParser
import BusKit
import BusWire
import Executor
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
    static let configuration = CommandConfiguration(
        commandName: "up", abstract: "Start the broker and this host's plugins; restart any that exit.",
        discussion: "Logs go to $RECIO_HOME/logs/<name>.log; `recio status` shows the table, `recio down` stops everything.")

    @OptionGroup var bus: BusOptions
    @Flag(help: "Run in the background; return once the launcher is up.") var detach = false
    @Option(name: .customLong("confirm-prod"), help: ArgumentHelp(
        "Mode prod only: the key id of the prod credentials, confirming that real money is meant.", valueName: "key-id"))
    var confirmProd: String?

    func run() async throws {
        let config = try bus.load()
        let hosts = Set([config.bus.brokerHost] + config.plugins.filter(\.enabled).map(\.host))
        guard hosts.contains(bus.host) else {
            throw ValidationError("""
                host '\(bus.host)' runs nothing in \(bus.config): it is not [bus] broker_host and no enabled plugin says \
                host = \(bus.host); hosts there: \(hosts.sorted().joined(separator: ", "))
                """)
        }
        let files = RunFiles(home: ProcInfo.recioHome, host: bus.host)
        if let pid = files.livePid() {
            throw LauncherError("a launcher for host '\(bus.host)' is already running (pid \(pid)); `recio down --host \(bus.host)` stops it")
        }
        let configPath = absolute(bus.config)
        if let confirmProd {
            // The executor checks it at start; every process this launcher starts inherits it.
            guard config.bus.mode == .prod else { throw ValidationError("--confirm-prod is for mode prod; \(bus.config) says mode \(config.bus.mode)") }
            setenv(ProdConfirmation.environmentVariable, confirmProd, 1)
        }
        if config.bus.identities && !config.bus.curveRequired {
            // First start: every identity of this host gets its credentials (0600), so nobody runs a key command.
            let names = Permissions.builtInNames + config.plugins(on: bus.host).map(\.name) + config.permissions.granted.keys
            do { try config.identityStore().ensure(Array(Set(names)).sorted()) } catch { throw ValidationError("\(error)") }
        }
        if detach { return try startDetached(files: files, configPath: configPath) }

        PluginRunner.bootstrapLogging()
        let logger = Logger(label: "recio.launcher")
        try DataMigration.run(config.layout(home: files.home), logger: logger)
        let launcher = try Launcher(
            options: .init(configPath: configPath, host: bus.host, home: files.home, executable: selfExecutable()),
            config: config, logger: logger)
        launcher.stopOnSignals()
        let connection: ZMQBus?
        do { connection = try ZMQBus(source: "launcher@\(bus.host)", options: config.connectionOptions(identity: "launcher")) } catch {
            logger.error("no bus connection: status and alerts go only to files", metadata: ["error": "\(error)"])
            connection = nil
        }
        let follower = Task {
            if let connection { await launcher.followHeartbeats(connection.subscribe([.heartbeats])) }
        }
        // The supervision loop blocks in poll(2), so it gets its own thread, off Swift's cooperative pool.
        let result: Result<Void, LauncherError> = await withCheckedContinuation { done in
            _ = OSThread(name: "launcher") {
                do throws(LauncherError) {
                    try launcher.run(bus: connection)
                    done.resume(returning: .success(()))
                } catch {
                    done.resume(returning: .failure(error))
                }
            }
        }
        connection?.close(flushSeconds: 1)
        follower.cancel()
        try result.get()
    }

    /// Starts `recio up` again in its own session with output to `logs/launcher.log`; returns once its pid file
    /// shows it running, or fails with the end of that log if it exits first.
    private func startDetached(files: RunFiles, configPath: String) throws {
        let log = "\(files.home)/logs/launcher.log"
        let args = [selfExecutable(), "up", "--config", configPath, "--host", bus.host]
        let pid = try ChildProcess.spawnDetached(args, environment: ["RECIO_HOME": files.home], logPath: log)
        for _ in 0..<600 {
            if files.livePid() == pid {
                print("launcher running for host '\(bus.host)' (pid \(pid)); logs in \(files.home)/logs")
                print("`recio status` shows it, `recio down` stops it")
                return
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw LauncherError("the launcher exited before it was up (status \(status >> 8)); end of \(log):\n\(tail(log))")
            }
            usleep(50_000)
        }
        throw LauncherError("the launcher (pid \(pid)) did not come up within 30 s; see \(log)")
    }
}

/// The last `lines` lines of a text file.
func tail(_ path: String, lines: Int = 10) -> String {
    guard let data = FileManager.default.contents(atPath: path) else { return "" }
    return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        .suffix(lines + 1).joined(separator: "\n")
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
