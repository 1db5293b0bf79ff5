import BusWire
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The files through which a running launcher is found: `$RECIO_HOME/run/launcher-<host>.{pid,json,lock}`.
///
/// The launcher holds an exclusive `flock` on the lock file for its whole life, so a second launcher for the
/// same host cannot start, and a stale pid file (its process gone, or its pid reused) is never taken for a
/// live launcher.
public struct RunFiles: Sendable {
    /// The data folder (`RECIO_HOME`).
    public let home: String
    /// The host name from `bus.conf`.
    public let host: String

    /// The files of the launcher for `host` under `home`.
    public init(home: String, host: String) {
        self.home = home
        self.host = host
    }

    /// `run/`.
    public var directory: String { "\(home)/run" }
    /// Holds the launcher's pid while it runs.
    public var pidFile: String { "\(directory)/launcher-\(host).pid" }
    /// The latest ``LauncherStatus`` as JSON, replaced atomically every second.
    public var statusFile: String { "\(directory)/launcher-\(host).json" }
    /// Locked by the running launcher.
    public var lockFile: String { "\(directory)/launcher-\(host).lock" }

    /// The running launcher's pid: the pid file names a live process and the lock is held. Nil otherwise.
    public func livePid() -> Int32? {
        guard let text = readText(pidFile), let pid = Int32(text.filter(\.isNumber)), pid > 0 else { return nil }
        return Self.isRunning(pid: pid) && isLocked() ? pid : nil
    }

    /// Whether process `pid` exists and is not a zombie waiting to be reaped.
    public static func isRunning(pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        // /proc/<pid>/stat: "pid (comm) S ..."; the state follows the last ')'.
        guard let stat = readText("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return true }
        return stat[close...].dropFirst().drop { $0 == " " }.first != "Z"
    }

    /// Seconds since the status file was last written, nil if it is missing.
    public func statusAge() -> Double? {
        var st = stat()
        guard stat(statusFile, &st) == 0 else { return nil }
        return Double(time(nil) - st.st_mtim.tv_sec)
    }

    /// Whether some process holds the lock.
    public func isLocked() -> Bool {
        let fd = open(lockFile, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    /// The last status the launcher wrote, if readable.
    public func readStatus() -> LauncherStatus? {
        guard let text = readText(statusFile) else { return nil }
        return try? JSONDecoder().decode(LauncherStatus.self, from: Data(text.utf8))
    }

    /// Takes the lock for this process (released when the returned descriptor is closed or the process ends).
    /// - Throws: ``LauncherError`` when another launcher holds it.
    func lock() throws(LauncherError) -> Int32 {
        makeDirectories(directory)
        let fd = open(lockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw LauncherError("cannot open \(lockFile): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            let other = readText(pidFile).map { " (pid \($0.filter(\.isNumber)))" } ?? ""
            throw LauncherError("a launcher for host '\(host)' is already running\(other)")
        }
        return fd
    }
}

/// A small text file's contents, or nil.
func readText(_ path: String) -> String? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        bytes += buf[0..<n]
        if n < buf.count { break }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Writes `text` to `path` via a temporary file and rename, so readers never see half a file.
func writeAtomically(_ path: String, _ text: String) {
    let tmp = "\(path).tmp.\(getpid())"
    guard let f = fopen(tmp, "wb") else { return }
    let bytes = Array(text.utf8)
    let ok = fwrite(bytes, 1, bytes.count, f) == bytes.count
    if fclose(f) == 0 && ok { rename(tmp, path) } else { unlink(tmp) }
}
