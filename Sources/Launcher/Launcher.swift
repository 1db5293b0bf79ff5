import BusKit
import BusWire
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Supervises the broker and this host's plugins: starts them, restarts any that exit (backoff, jitter, a fatal
/// state), writes their output to rotated logs, publishes and files a status table, and when asked to stop
/// (``requestStop()``, or SIGTERM/SIGINT/SIGHUP after ``stopOnSignals()``) stops them in reverse order, broker last.
public final class Launcher: @unchecked Sendable {  // run() owns the mutable state on one thread; the rest is locked
    /// Everything the launcher needs to know.
    public struct Options: Sendable {
        /// Absolute path of `bus.conf`, passed on to every child.
        public var configPath: String
        /// This host's name in `bus.conf`.
        public var host: String
        /// The data folder (`RECIO_HOME`): logs go to `logs/`, pid and status to `run/`.
        public var home: String
        /// The `recio` executable used for the broker and built-in plugins.
        public var executable: String
        /// Options for one host.
        public init(configPath: String, host: String, home: String, executable: String) {
            self.configPath = configPath; self.host = host; self.home = home; self.executable = executable
        }
    }

    /// A heartbeat as the launcher saw it.
    struct Beat { var at: BusTime; var pid: Int32; var state: PluginState }

    let options: Options
    let config: BusConfiguration
    let clock: any BusClock
    let logger: Logger
    let janitor: LogJanitor
    /// Where the pid, status and lock files are.
    public let files: RunFiles
    private let heartbeats = Mutex<[String: Beat]>([:])
    private let stopPipe: StopPipe
    private var managed: [Managed] = []
    private var random = SystemRandomNumberGenerator()

    /// A launcher for `options.host` as `config` describes it, reading time from `clock`.
    public init(options: Options, config: BusConfiguration, clock: any BusClock = SystemClock(), logger: Logger) throws(LauncherError) {
        self.options = options
        self.config = config
        self.clock = clock
        self.logger = logger
        janitor = LogJanitor(retention: config.launcher.logRetention, totalCap: config.launcher.logTotalCap)
        files = RunFiles(home: options.home, host: options.host)
        stopPipe = try StopPipe()
    }

    var logDirectory: String { "\(options.home)/logs" }

    /// Makes SIGTERM, SIGINT and SIGHUP stop this launcher gracefully.
    public func stopOnSignals() { stopPipe.forwardSignals() }

    /// Asks ``run(bus:)`` to stop everything and return. Safe from any thread.
    public func requestStop() { stopPipe.requestStop() }

    /// The processes to run: the broker first (if it lives on this host), then the plugins in file order.
    func plan() -> [Managed] {
        let env = ["RECIO_CONFIG": options.configPath, "RECIO_HOST": options.host, "RECIO_HOME": options.home]
        let common = ["--config", options.configPath, "--host", options.host]
        let policy = RestartPolicy(config.launcher)
        func managed(_ name: String, _ command: [String], custom: Bool, env: [String: String]) -> Managed {
            Managed(name: name, command: command, environment: env, customCommand: custom,
                    log: LogFile(directory: logDirectory, name: name, maxSize: config.launcher.logMaxSize, clock: clock),
                    policy: policy, clock: clock)
        }
        var list: [Managed] = []
        if config.bus.brokerHost == options.host {
            list.append(managed("broker", [options.executable, "broker"] + common, custom: false, env: env))
        }
        for p in config.plugins(on: options.host) {
            let command = p.command ?? [options.executable, "plugin", p.name] + common
            list.append(managed(p.name, command, custom: p.command != nil, env: env.merging(["RECIO_PLUGIN": p.name]) { $1 }))
        }
        return list
    }

    /// Runs until asked to stop, then stops everything and returns. `bus` carries status and alerts.
    /// - Throws: ``LauncherError`` when another launcher runs for this host.
    public func run(bus: (any Bus)?) throws(LauncherError) {
        let lock = try files.lock()
        defer { close(lock) }
        makeDirectories(logDirectory)
        managed = plan()
        _ = Orphans.stop(
            previous: files.readStatus(), planned: Dictionary(managed.map { ($0.name, $0.command) }) { a, _ in a },
            timeout: config.launcher.stopTimeout) { name, text in
                managed.first { $0.name == name }?.note(text)
                logger.warning("leftover process", metadata: ["plugin.name": "\(name)", "note": "\(text)"])
            }
        writeAtomically(files.pidFile, "\(getpid())\n")
        defer { unlink(files.pidFile) }
        logger.info("up", metadata: ["launcher.host": "\(options.host)", "processes": "\(managed.map(\.name))"])
        var nextStatus = clock.now
        var nextSweep = clock.now
        while !stopPipe.requested {
            var fds = [pollfd(fd: stopPipe.readFD, events: Int16(POLLIN), revents: 0)]
            fds += managed.compactMap { $0.child.map { pollfd(fd: $0.output, events: Int16(POLLIN), revents: 0) } }
            _ = poll(&fds, nfds_t(fds.count), 200)
            let now = clock.now
            let beats = heartbeats.withLock { $0 }
            var rotated = false
            for m in managed {
                rotated = !m.drain().isEmpty || rotated
                if let exit = m.reapIfExited() { handle(m, .exited(exit), now: now, bus: bus) }
                if let beat = beats[m.name], beat.at != m.lastHeartbeat {
                    m.lastHeartbeat = beat.at
                    m.heartbeatState = beat.state
                    if m.isCurrent(heartbeatPid: beat.pid, at: beat.at) { handle(m, .heartbeat, now: now, bus: bus) }
                }
                handle(m, .tick, now: now, bus: bus)
            }
            if now >= nextStatus {
                publishStatus(bus: bus)
                nextStatus = now.adding(seconds: 1)
            }
            if rotated || now >= nextSweep {
                sweepLogs(now: now)
                nextSweep = now.adding(seconds: 60)
            }
        }
        shutdown(bus: bus)
    }

    /// Stops each process in reverse start order, one at a time, draining every log meanwhile.
    private func shutdown(bus: (any Bus)?) {
        logger.info("stopping", metadata: ["launcher.host": "\(options.host)"])
        for m in managed.reversed() {
            let wasAlive = m.supervision.isAlive
            handle(m, .stop, now: clock.now, bus: bus)
            if wasAlive { publishStatus(bus: bus) }  // shows "stopping" to `recio down`
            while m.supervision.isAlive {
                var fds = managed.compactMap { $0.child.map { pollfd(fd: $0.output, events: Int16(POLLIN), revents: 0) } }
                _ = poll(&fds, nfds_t(fds.count), 50)
                let now = clock.now
                for other in managed {
                    other.drain()
                    if let exit = other.reapIfExited() { handle(other, .exited(exit), now: now, bus: bus) }
                }
                handle(m, .tick, now: now, bus: bus)
            }
            if wasAlive { m.note("stopped (\(m.supervision.lastExit ?? "?"))") }
            publishStatus(bus: bus)
        }
        logger.info("stopped", metadata: ["launcher.host": "\(options.host)"])
    }

    /// Feeds `event` to `m`'s state machine and carries out what it decides.
    private func handle(_ m: Managed, _ event: Supervision.Event, now: BusTime, bus: (any Bus)?) {
        for action in m.supervision.handle(event, now: now, random: &random) {
            switch action {
            case .spawn:
                do throws(LauncherError) {
                    try m.spawn()
                    logger.info("started", metadata: ["plugin.name": "\(m.name)", "pid": "\(m.child?.pid ?? 0)"])
                    handle(m, .spawned, now: now, bus: bus)
                } catch {
                    m.note("\(error)")
                    handle(m, .spawnFailed("\(error)"), now: now, bus: bus)
                }
            case .restartScheduled(let at, let delay):
                let exit = m.supervision.lastExit ?? "?"
                m.note("ended (\(exit)); restart \(m.supervision.restarts) in \(format(delay)), at \(at)")
                logger.warning("exited", metadata: ["plugin.name": "\(m.name)", "exit": "\(exit)", "restart.at": "\(at)"])
            case .fatal(let why):
                m.note("fatal: \(why)")
                logger.critical("fatal", metadata: ["plugin.name": "\(m.name)", "reason": "\(why)"])
                let alert = Alert(source: "launcher@\(options.host)", severity: .critical,
                                  message: "\(m.name) on \(options.host) \(why)", plugin: m.name)
                do throws(BusError) { try bus?.publish(.alert(source: "launcher"), alert) } catch {
                    logger.error("cannot publish alert", metadata: ["error": "\(error)"])
                }
            case .terminate:
                m.note("stopping (SIGTERM)")
                m.signal(SIGTERM)
            case .kill:
                m.note("did not stop within \(format(config.launcher.stopTimeout)); SIGKILL")
                m.signal(SIGKILL)
            case .abandon:
                m.note("still alive \(format(Supervision.killGrace)) after SIGKILL; giving up on it")
                m.abandon()
            }
        }
    }

    /// Rotates the launcher's own log if it grew too big, then applies retention and the total cap.
    private func sweepLogs(now: BusTime) {
        LogFile.rotateInPlace(path: "\(logDirectory)/launcher.log", maxSize: config.launcher.logMaxSize, now: now)
        for path in janitor.sweep(directory: logDirectory, now: now) {
            logger.info("deleted old log", metadata: ["path": "\(path)"])
        }
    }

    /// Publishes the status table and files it atomically for `recio status`.
    private func publishStatus(bus: (any Bus)?) {
        let status = LauncherStatus(host: options.host, pid: getpid(), plugins: managed.map { $0.status() })
        try? bus?.publish(.launcherStatus(host: options.host), status)
        if let data = try? JSONEncoder().encode(status) {
            writeAtomically(files.statusFile, String(decoding: data, as: UTF8.self))
        }
    }

    /// Records heartbeats of this host's plugins from `subscription` until it ends (run it in a task beside
    /// ``run(bus:)``). The time recorded is when the launcher received each one, on its own clock.
    public func followHeartbeats(_ subscription: Subscription) async {
        for await e in subscription {
            guard let beat = try? e.decode(Heartbeat.self), beat.host == options.host, beat.state != .stopped else { continue }
            let at = clock.now
            heartbeats.withLock { $0[beat.plugin] = Beat(at: at, pid: beat.pid, state: beat.state) }
        }
    }
}
