import BusWire
#if canImport(Glibc)
import Glibc
#endif

/// Stops what a previous launcher for this host left running when it died without stopping its children
/// (SIGKILL, a crash), so a new launcher does not start a second broker or plugin beside the old ones.
///
/// A process counts as left over only if the last status file names its pid, it still leads its own process
/// group, and its command line is exactly the one this launcher would run under that name, so a reused pid is
/// never touched.
enum Orphans {
    /// Stops the leftovers of `previous` among `planned` (name → command); returns the pids it stopped.
    static func stop(previous: LauncherStatus?, planned: [String: [String]], timeout: Double,
                     note: (String, String) -> Void) -> [Int32] {
        var found: [(name: String, pid: Int32)] = []
        for p in previous?.plugins ?? [] {
            guard let pid = p.pid, let command = planned[p.name], leadsGroup(pid), commandLine(pid) == command else { continue }
            found.append((p.name, pid))
        }
        for (name, pid) in found.reversed() {
            note(name, "pid \(pid) was left running by a previous launcher; stopping it")
            kill(-pid, SIGTERM)
            if !waitGone(pid, seconds: timeout) {
                kill(-pid, SIGKILL)
                _ = waitGone(pid, seconds: 5)
            }
        }
        return found.map(\.pid)
    }

    /// Whether `pid` leads its own process group (as every child the launcher starts does).
    static func leadsGroup(_ pid: Int32) -> Bool { RunFiles.isRunning(pid: pid) && getpgid(pid) == pid }

    /// The argument vector of `pid`, from `/proc/<pid>/cmdline`.
    static func commandLine(_ pid: Int32) -> [String]? {
        guard let text = readText("/proc/\(pid)/cmdline"), !text.isEmpty else { return nil }
        return text.split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    private static func waitGone(_ pid: Int32, seconds: Double) -> Bool {
        for _ in 0..<max(1, Int(seconds * 20)) {
            if !RunFiles.isRunning(pid: pid) { return true }
            usleep(50_000)
        }
        return !RunFiles.isRunning(pid: pid)
    }
}
