import BusKit
import BusWire
#if canImport(Glibc)
import Glibc
#endif

/// One supervised process (the broker or a plugin): how to start it, its log, its supervision state, and the
/// process running now. The launcher's loop owns it; nothing here decides, ``Supervision`` does.
final class Managed {
    let name: String
    let command: [String]
    let environment: [String: String]
    /// Started by a `command =` line: its heartbeats may come from another pid (a wrapper's child).
    let customCommand: Bool
    let log: LogFile
    private let clock: any BusClock
    var supervision: Supervision
    private(set) var child: ChildProcess?
    /// When the launcher last received a heartbeat from this plugin, and what it said.
    var lastHeartbeat: BusTime?
    var heartbeatState: PluginState?

    init(name: String, command: [String], environment: [String: String], customCommand: Bool, log: LogFile,
         policy: RestartPolicy, clock: any BusClock) {
        self.name = name
        self.command = command
        self.environment = environment
        self.customCommand = customCommand
        self.log = log
        self.clock = clock
        supervision = Supervision(policy: policy, start: clock.now)
    }

    /// Starts the process.
    func spawn() throws(LauncherError) {
        let c = try ChildProcess.spawn(command, environment: environment)
        child = c
        note("started pid \(c.pid): \(command.joined(separator: " "))")
    }

    /// Copies waiting output into the log, at most `limit` bytes so one chatty process cannot starve the others.
    /// Returns the files rotated meanwhile.
    @discardableResult
    func drain(limit: Int = 1 << 20) -> [String] {
        guard let fd = child?.output else { return [] }
        var rotated: [String] = []
        var buf = [UInt8](repeating: 0, count: 65_536)
        var total = 0
        while total < limit {
            let n = read(fd, &buf, buf.count)
            guard n > 0 else { break }
            total += n
            rotated += buf.withUnsafeBytes { log.write(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        return rotated
    }

    /// Reaps the process if it ended: drains its output, closes the pipe, kills anything left in its process
    /// group, and returns how it ended.
    func reapIfExited() -> String? {
        guard let c = child, let exit = c.reap() else { return nil }
        drain(limit: .max)
        close(c.output)
        c.signalGroup(SIGKILL)
        child = nil
        return exit
    }

    /// Sends `signal` to the process and its group.
    func signal(_ signal: Int32) { child?.signalGroup(signal) }

    /// Stops watching a process that would not die.
    func abandon() {
        guard let c = child else { return }
        close(c.output)
        child = nil
    }

    /// Whether a heartbeat from `pid` received at `at` is from the current process.
    func isCurrent(heartbeatPid pid: Int32, at: BusTime) -> Bool {
        guard let c = child else { return false }
        if pid == c.pid { return true }
        return customCommand && (supervision.startedAt.map { at >= $0 } ?? false)
    }

    /// The row for the status table at `now`.
    func status() -> PluginStatus {
        var state = supervision.state
        if state == .running, heartbeatState == .degraded { state = .degraded }
        return PluginStatus(
            name: name, pid: child?.pid, state: state, startedAt: child != nil ? supervision.startedAt : nil,
            restarts: supervision.restarts, rss: child.flatMap { ProcInfo.rss(pid: $0.pid) }, lastHeartbeat: lastHeartbeat,
            lastExit: supervision.lastExit, nextStart: supervision.nextStart)
    }

    /// Writes a launcher line into this process's own log, so the log tells the whole story.
    func note(_ text: String) {
        let line = "[launcher \(clock.now)] \(name): \(text)\n"
        Array(line.utf8).withUnsafeBytes { _ = log.write($0) }
    }
}
