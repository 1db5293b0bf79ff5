import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A child process whose stdout and stderr both go into one pipe the launcher reads.
public struct ChildProcess: Sendable {
    /// The process id; the process also leads a process group with this id.
    public let pid: pid_t
    /// Read end of the output pipe (non-blocking, close-on-exec).
    public let output: Int32

    /// Spawns `arguments[0]` (a path, or a name looked up in PATH) with `environment` added to ours.
    /// The child gets default signal handling and an empty signal mask, and its own process group.
    /// - Throws: ``LauncherError`` when the program cannot be started.
    public static func spawn(_ arguments: [String], environment: [String: String]) throws(LauncherError) -> ChildProcess {
        guard !arguments.isEmpty else { throw LauncherError("empty command") }
        // Pipe creation and spawning share one lock, so no other thread's child inherits this pipe in the moment
        // before it is marked close-on-exec (Glibc's Swift module does not offer pipe2).
        return try spawnLock.withLock { (_: inout Void) throws(LauncherError) -> ChildProcess in
            try spawnLocked(arguments, environment: environment)
        }
    }

    private static func spawnLocked(_ arguments: [String], environment: [String: String]) throws(LauncherError) -> ChildProcess {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw LauncherError("pipe: \(String(cString: strerror(errno)))") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        defer { close(fds[1]) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)

        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setpgroup(&attr, 0)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        var env = currentEnvironment()
        for (k, v) in environment { env[k] = v }
        let envStrings = env.map { "\($0)=\($1)" }
        var pid: pid_t = 0
        let rc = withCStrings(arguments) { argv in
            withCStrings(envStrings) { envp in posix_spawnp(&pid, arguments[0], &actions, &attr, argv, envp) }
        }
        guard rc == 0 else {
            close(fds[0])
            throw LauncherError("cannot start \(arguments[0]): \(String(cString: strerror(rc)))")
        }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        return ChildProcess(pid: pid, output: fds[0])
    }

    /// The exit status if the process has ended (reaping it), else nil.
    public func reap() -> String? {
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        guard r == pid else { return r < 0 && errno == ECHILD ? "gone" : nil }
        let sig = status & 0x7f
        return sig == 0 ? "exit \((status >> 8) & 0xff)" : "signal \(sig)"
    }

    /// Sends `signal` to the process.
    public func signal(_ signal: Int32) { kill(pid, signal) }

    /// Sends `signal` to the process's whole group (it leads one), reaching anything it started.
    public func signalGroup(_ signal: Int32) { kill(-pid, signal) }
}

/// Why the launcher could not do something. One error type for the launcher.
public struct LauncherError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, for a person.
    public let description: String
    /// An error with a message for a person.
    public init(_ message: String) { description = message }
}

/// Held while creating a child's pipe and spawning, so pipes never leak into other children.
private let spawnLock = Mutex<Void>(())

func currentEnvironment() -> [String: String] {
    var env: [String: String] = [:]
    var p = environ
    while let entry = p.pointee {
        let s = String(cString: entry)
        if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
        p += 1
    }
    return env
}

func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}

extension ChildProcess {
    /// Starts a command detached in its own session (no controlling terminal), stdin from /dev/null and its
    /// output appended to `logPath`. Returns its pid; the caller reaps it if it ends early.
    public static func spawnDetached(_ arguments: [String], environment: [String: String], logPath: String) throws(LauncherError) -> pid_t {
        makeDirectories(String(logPath[..<(logPath.lastIndex(of: "/") ?? logPath.endIndex)]))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o640)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        posix_spawnattr_setflags(&attr, 0x80)  // POSIX_SPAWN_SETSID (glibc ≥ 2.26; hidden from Swift's Glibc module)
        var env = currentEnvironment()
        for (k, v) in environment { env[k] = v }
        var pid: pid_t = 0
        let rc = spawnLock.withLock { _ in
            withCStrings(arguments) { argv in
                withCStrings(env.map { "\($0)=\($1)" }) { envp in posix_spawn(&pid, arguments[0], &actions, &attr, argv, envp) }
            }
        }
        guard rc == 0 else { throw LauncherError("cannot start \(arguments[0]): \(String(cString: strerror(rc)))") }
        return pid
    }
}
