import BusKit
import BusWire
#if canImport(Glibc)
import Glibc
#endif

/// One supervised process (the broker or a plugin): how to start it, its log, and what happened to it.
final class Managed {
    let name: String
    let command: [String]
    let environment: [String: String]
    let log: LogFile
    var child: ChildProcess?
    var status: PluginStatus
    var failures = 0

    init(name: String, command: [String], environment: [String: String], log: LogFile) {
        self.name = name
        self.command = command
        self.environment = environment
        self.log = log
        status = PluginStatus(name: name, state: .starting)
    }

    /// Starts the process now; a failure to spawn counts as a failed run.
    func start(now: BusTime) throws(LauncherError) {
        let c = try ChildProcess.spawn(command, environment: environment)
        child = c
        status.pid = c.pid
        status.state = .starting
        status.startedAt = now
        status.nextStart = nil
        note("started pid \(c.pid): \(command.joined(separator: " "))")
    }

    /// Copies whatever output is waiting into the log. Returns false at end of file.
    @discardableResult
    func drain() -> Bool {
        guard let fd = child?.output else { return false }
        var buf = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = read(fd, &buf, buf.count)
            if n > 0 { buf.withUnsafeBytes { _ = log.write(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }; continue }
            return n < 0 && (errno == EAGAIN || errno == EINTR)
        }
    }

    /// Reaps the process if it ended: drains its output, closes the pipe, and returns how it ended.
    func reapIfExited() -> String? {
        guard let c = child, let exit = c.reap() else { return nil }
        drain()
        close(c.output)
        child = nil
        status.pid = nil
        status.lastExit = exit
        return exit
    }

    /// Writes a launcher line into this process's own log, so the log tells the whole story.
    func note(_ text: String) {
        let line = "[launcher \(SystemClock().now)] \(name): \(text)\n"
        Array(line.utf8).withUnsafeBytes { _ = log.write($0) }
    }
}
