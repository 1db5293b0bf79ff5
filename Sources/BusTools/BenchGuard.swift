import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Set by SIGTERM/SIGINT/SIGHUP in a guard process.
private let guardStopRequested = Atomic<Bool>(false)

/// `recio bench worker guard -- COMMAND...`: runs one benchmark child and makes sure it never outlives the benchmark.
///
/// The child shares the guard's output and process group. The guard forwards SIGTERM (escalating to SIGKILL after
/// a grace period) and stops the child by itself as soon as its own parent, the benchmark, is gone, whichever way
/// that one ended. It polls every 20 ms, which costs nothing measurable next to the figures.
public enum BenchGuard {
    /// Runs `arguments` and returns the exit code to leave with: the child's, or 128 + the signal that ended it.
    /// - Parameter parent: the benchmark's pid, passed in rather than read here, so a benchmark that dies while the
    ///   guard is still starting up is noticed too.
    public static func run(_ arguments: [String], parent: pid_t, graceSeconds: Double = 5) -> Int32 {
        guard !arguments.isEmpty else { return 2 }
        _ = guardStopRequested.load(ordering: .relaxed)  // initialise the global before any handler can run
        for s in [SIGTERM, SIGINT, SIGHUP] { signal(s) { _ in guardStopRequested.store(true, ordering: .relaxed) } }
        guard let pid = spawnInheriting(arguments) else { return 127 }
        var deadline: Double?
        while true {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let sig = status & 0x7f
                return sig == 0 ? (status >> 8) & 0xff : 128 + sig
            }
            let orphaned = getppid() != parent
            if deadline == nil && (guardStopRequested.load(ordering: .relaxed) || orphaned) {
                kill(pid, SIGTERM)
                deadline = monotonicSeconds() + graceSeconds
            }
            if let d = deadline, monotonicSeconds() > d { kill(pid, SIGKILL) }
            usleep(20_000)
        }
    }

    /// Starts `arguments` (looked up in PATH) with our stdin/stdout/stderr, default signal handling and an empty mask.
    private static func spawnInheriting(_ arguments: [String]) -> pid_t? {
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, arguments[0], nil, &attr, &argv, environ)
        guard rc == 0 else {
            let text = "cannot start \(arguments[0]): \(String(cString: strerror(rc)))\n"
            _ = Array(text.utf8).withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            return nil
        }
        return pid
    }
}
