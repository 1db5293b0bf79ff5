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

/// Supervises the broker and this host's plugins: starts them in order, restarts any that exit (with backoff,
/// jitter and a fatal state), writes their output to rotated logs, publishes and files a status table, and on
/// SIGTERM/SIGINT stops them in reverse order with the broker last.
public final class Launcher: @unchecked Sendable {  // run() owns all mutable state on one thread
    /// Everything the launcher needs to know.
    public struct Options: Sendable {
        public var configPath: String
        public var host: String
        public var home: String
        /// The `recio` executable used for built-in plugins and the broker.
        public var executable: String
        public init(configPath: String, host: String, home: String, executable: String) {
            self.configPath = configPath; self.host = host; self.home = home; self.executable = executable
        }
    }

    let options: Options
    let config: BusConfiguration
    let clock: any BusClock
    let logger: Logger
    let policy: RestartPolicy
    let janitor: LogJanitor
    let heartbeats = Mutex<[String: BusTime]>([:])
    private var managed: [Managed] = []
    private var random = SystemRandomNumberGenerator()

    public init(options: Options, config: BusConfiguration, clock: any BusClock = SystemClock(), logger: Logger) {
        self.options = options
        self.config = config
        self.clock = clock
        self.logger = logger
        policy = RestartPolicy(config.launcher)
        janitor = LogJanitor(retention: config.launcher.logRetention, totalCap: config.launcher.logTotalCap)
    }

    var logDirectory: String { "\(options.home)/logs" }
    var runDirectory: String { "\(options.home)/run" }
    public static func pidFile(home: String, host: String) -> String { "\(home)/run/launcher-\(host).pid" }
    public static func statusFile(home: String, host: String) -> String { "\(home)/run/launcher-\(host).json" }

    /// Builds the list of processes: the broker first (if it lives here), then the plugins in file order.
    func plan() -> [Managed] {
        let env = ["RECIO_CONFIG": options.configPath, "RECIO_HOST": options.host, "RECIO_HOME": options.home]
        let common = ["--config", options.configPath, "--host", options.host]
        var list: [Managed] = []
        let size = config.launcher.logMaxSize
        if config.bus.brokerHost == options.host {
            list.append(Managed(name: "broker", command: [options.executable, "broker"] + common, environment: env,
                                log: LogFile(directory: logDirectory, name: "broker", maxSize: size, clock: clock)))
        }
        for p in config.plugins(on: options.host) {
            let command = p.command ?? [options.executable, "plugin", p.name] + common
            list.append(Managed(name: p.name, command: command, environment: env.merging(["RECIO_PLUGIN": p.name]) { $1 },
                                log: LogFile(directory: logDirectory, name: p.name, maxSize: size, clock: clock)))
        }
        return list
    }

    /// Runs until SIGTERM or SIGINT, then stops everything. `bus` carries status, alerts and heartbeats.
    public func run(bus: (any Bus)?) throws(LauncherError) {
        let signals = try SignalPipe()
        makeDirectories(runDirectory)
        let pidPath = Self.pidFile(home: options.home, host: options.host)
        writeAtomically(pidPath, "\(getpid())\n")
        defer { unlink(pidPath) }
        managed = plan()
        for m in managed { start(m, bus: bus) }
        var nextStatus = clock.now
        var nextSweep = clock.now
        while !signals.fired {
            var fds = [pollfd(fd: signals.readFD, events: Int16(POLLIN), revents: 0)]
            fds += managed.compactMap { $0.child.map { pollfd(fd: $0.output, events: Int16(POLLIN), revents: 0) } }
            _ = poll(&fds, nfds_t(fds.count), 200)
            let now = clock.now
            for m in managed {
                m.drain()
                if let exit = m.reapIfExited() { exited(m, exit, now: now, bus: bus) }
                if m.child == nil, let due = m.status.nextStart, due <= now { start(m, bus: bus) }
            }
            if now >= nextStatus {
                publishStatus(bus: bus, now: now)
                nextStatus = now.adding(seconds: 1)
            }
            if now >= nextSweep {
                janitor.sweep(directory: logDirectory, now: now)
                nextSweep = now.adding(seconds: 60)
            }
        }
        logger.info("stopping", metadata: ["launcher.host": "\(options.host)"])
        for m in managed.reversed() { stop(m) }
        publishStatus(bus: bus, now: clock.now)
    }

    private func start(_ m: Managed, bus: (any Bus)?) {
        do {
            try m.start(now: clock.now)
            logger.info("started", metadata: ["plugin.name": "\(m.name)", "pid": "\(m.status.pid ?? 0)"])
        } catch {
            m.note("\(error)")
            m.status.startedAt = clock.now
            exited(m, "\(error)", now: clock.now, bus: bus)
        }
    }

    private func exited(_ m: Managed, _ how: String, now: BusTime, bus: (any Bus)?) {
        let decision = policy.decide(startedAt: m.status.startedAt ?? now, now: now, failures: &m.failures,
                                     random: Double.random(in: 0..<1, using: &random))
        switch decision {
        case .restart(let at):
            m.status.restarts += 1
            m.status.state = .starting
            m.status.nextStart = at
            m.note("exited (\(how)); restart \(m.status.restarts) at \(at)")
            logger.warning("exited", metadata: ["plugin.name": "\(m.name)", "exit": "\(how)", "restart.at": "\(at)"])
        case .fatal:
            m.status.state = .fatal
            m.status.nextStart = nil
            let text = "\(m.name) on \(options.host) exited \(m.failures) times in a row (last: \(how)); not restarting"
            m.note(text)
            logger.critical("fatal", metadata: ["plugin.name": "\(m.name)", "exit": "\(how)"])
            try? bus?.publish(.alert(source: "launcher"), Alert(source: "launcher@\(options.host)", severity: .critical, message: text, plugin: m.name))
        }
    }

    /// SIGTERM, then SIGKILL after the stop timeout; keeps draining output meanwhile.
    private func stop(_ m: Managed) {
        guard let child = m.child else { m.status.state = .stopped; return }
        m.note("stopping")
        child.signal(SIGTERM)
        let deadline = clock.now.adding(seconds: config.launcher.stopTimeout)
        var killed = false
        while m.reapIfExited() == nil {
            var fd = [pollfd(fd: child.output, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fd, 1, 50)
            m.drain()
            if !killed && clock.now >= deadline {
                m.note("did not stop within \(config.launcher.stopTimeout)s; killing")
                child.signal(SIGKILL)
                killed = true
            }
        }
        m.status.state = .stopped
        m.note("stopped (\(m.status.lastExit ?? "?"))")
    }

    private func publishStatus(bus: (any Bus)?, now: BusTime) {
        let beats = heartbeats.withLock { $0 }
        for m in managed {
            m.status.rss = m.status.pid.flatMap { ProcInfo.rss(pid: $0) }
            m.status.lastHeartbeat = beats[m.name]
            if m.child != nil, m.status.state == .starting, let hb = beats[m.name], let started = m.status.startedAt, hb >= started {
                m.status.state = .running
            }
        }
        let status = LauncherStatus(host: options.host, pid: getpid(), plugins: managed.map(\.status))
        try? bus?.publish(.launcherStatus(host: options.host), status)
        if let data = try? JSONEncoder().encode(status) {
            writeAtomically(Self.statusFile(home: options.home, host: options.host), String(decoding: data, as: UTF8.self))
        }
    }

    /// Records heartbeats from `subscription` until it ends (run it in a task beside ``run(bus:)``).
    public func followHeartbeats(_ subscription: Subscription) async {
        for await e in subscription {
            guard let beat = try? e.decode(Heartbeat.self), beat.host == options.host, beat.state != .stopped else { continue }
            heartbeats.withLock { $0[beat.plugin] = e.ts }
        }
    }
}

/// Writes `text` to `path` via a temporary file and rename, so readers never see half a file.
func writeAtomically(_ path: String, _ text: String) {
    let tmp = "\(path).tmp.\(getpid())"
    guard let f = fopen(tmp, "wb") else { return }
    let bytes = Array(text.utf8)
    fwrite(bytes, 1, bytes.count, f)
    fclose(f)
    rename(tmp, path)
}
