public import Launcher
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The child processes of one benchmark run.
///
/// Every child is started under `recio bench worker guard`, a tiny parent that forwards SIGTERM, escalates to
/// SIGKILL, and stops its child on its own when the benchmark process disappears (even after SIGKILL), so a run
/// that fails, is interrupted or is killed never leaves a broker or proxy behind. Each guard leads its own process
/// group, so ``stop(_:)`` can always fall back to killing the whole group.
public final class BenchProcesses: Sendable {
    private let live = Mutex<[ChildProcess]>([])

    /// An empty set.
    public init() {}

    /// Starts `arguments` under a guard run from `executable` (the `recio` binary) that gives the child
    /// `graceSeconds` between SIGTERM and SIGKILL.
    public func spawn(_ arguments: [String], guardedBy executable: String, environment: [String: String] = [:],
                      graceSeconds: Double = 5) throws -> ChildProcess {
        let guardCommand = [executable, "bench", "worker", "guard", "--parent", "\(getpid())", "--grace", "\(graceSeconds)", "--"]
        let child = try ChildProcess.spawn(guardCommand + arguments, environment: environment)
        live.withLock { $0.append(child) }
        return child
    }

    /// Asks a child to stop (SIGTERM), then kills its whole group after `graceSeconds`; reaps it and closes its pipe.
    public func stop(_ child: ChildProcess, graceSeconds: Double = 8) {
        guard live.withLock({ l in
            guard let i = l.firstIndex(where: { $0.pid == child.pid }) else { return false }
            l.remove(at: i)
            return true
        }) else { return }
        child.signal(SIGTERM)
        let deadline = monotonicSeconds() + graceSeconds
        while child.reap() == nil {
            if monotonicSeconds() > deadline {
                kill(-child.pid, SIGKILL)
                _ = waitExit(child)
                break
            }
            usleep(10_000)
        }
        close(child.output)
    }

    /// Stops every child still running.
    public func stopAll() {
        for child in live.withLock({ $0 }) { stop(child) }
    }
}

/// Reads a child's output until end of file or `deadline` (monotonic seconds); `eof` says which came first.
func readOutput(_ child: ChildProcess, until deadline: Double) -> (text: String, eof: Bool) {
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65_536)
    while monotonicSeconds() < deadline {
        var fd = pollfd(fd: child.output, events: Int16(POLLIN), revents: 0)
        _ = poll(&fd, 1, 100)
        let n = read(child.output, &buf, buf.count)
        if n > 0 { out += buf[0..<n] } else if n == 0 { return (String(decoding: out, as: UTF8.self), true) }
    }
    return (String(decoding: out, as: UTF8.self), false)
}

/// Reads a child's output until `word` appears (at most `seconds`); throws with what it said if it does not.
public func waitFor(_ word: String, in child: ChildProcess, seconds: Double = 20) throws(ToolError) {
    var seen = ""
    var buf = [UInt8](repeating: 0, count: 4096)
    let deadline = monotonicSeconds() + seconds
    while monotonicSeconds() < deadline {
        var fd = pollfd(fd: child.output, events: Int16(POLLIN), revents: 0)
        _ = poll(&fd, 1, 50)
        let n = read(child.output, &buf, buf.count)
        if n > 0 { seen += String(decoding: buf[0..<n], as: UTF8.self) }
        if seen.contains(word) { return }
        if n == 0 { break }
    }
    throw ToolError("process did not report '\(word)': \(seen.suffix(2000))")
}

/// Waits for a child to exit and returns its raw wait status.
func waitExit(_ child: ChildProcess) -> Int32 {
    var status: Int32 = 0
    while waitpid(child.pid, &status, 0) < 0 && errno == EINTR {}
    return status
}

/// A loopback TCP endpoint that was free a moment ago.
public func freeLoopbackEndpoint() -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    withUnsafeMutablePointer(to: &addr) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { s in
            _ = bind(fd, s, len)
            _ = getsockname(fd, s, &len)
        }
    }
    return "tcp://127.0.0.1:\(UInt16(bigEndian: addr.sin_port))"
}

/// A new temporary directory.
public func makeTempDirectory(_ prefix: String) -> String {
    var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
}

/// Writes `text` to `path` (replacing it).
func writeTextFile(_ path: String, _ text: String) throws(ToolError) {
    guard let f = fopen(path, "w") else { throw ToolError("cannot create \(path): \(String(cString: strerror(errno)))") }
    defer { fclose(f) }
    let bytes = Array(text.utf8)
    guard fwrite(bytes, 1, bytes.count, f) == bytes.count else { throw ToolError("cannot write \(path)") }
}

/// Seconds on the monotonic clock.
func monotonicSeconds() -> Double { Double(monotonicNanos()) / 1e9 }

/// Nanoseconds on the monotonic clock (latency samples use this, never wall time).
@inline(__always)
func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
