import BusWire
#if canImport(Glibc)
import Glibc
#endif

/// Keeps the log folder bounded: deletes rotated logs older than the retention period, then the oldest rotated
/// logs until everything in the folder fits under the total cap. Current (unrotated) logs are never deleted.
///
/// It reads no clock: the caller passes the time, so tests need not wait out a retention period.
public struct LogJanitor: Sendable {
    /// Seconds a rotated log is kept.
    public var retention: Double
    /// Bytes all files in the folder may take together.
    public var totalCap: Int

    /// A janitor with these limits.
    public init(retention: Double, totalCap: Int) {
        self.retention = retention
        self.totalCap = totalCap
    }

    /// Sweeps `directory` as of `now`; returns the files it deleted.
    @discardableResult
    public func sweep(directory: String, now: BusTime) -> [String] {
        var rotated: [(path: String, time: BusTime, size: Int)] = []
        var total = 0
        for entry in listDirectory(directory) {
            let path = "\(directory)/\(entry)"
            var st = stat()
            guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            total += Int(st.st_size)
            // <name>.<stamp>.log.gz
            guard entry.hasSuffix(".log.gz") else { continue }
            let parts = entry.dropLast(7).split(separator: ".")
            guard parts.count >= 2, let t = LogFile.time(fromStamp: parts[parts.count - 1]) else { continue }
            rotated.append((path, t, Int(st.st_size)))
        }
        rotated.sort { $0.time < $1.time }
        var deleted: [String] = []
        for f in rotated {
            let expired = f.time.seconds(until: now) > retention
            guard expired || total > totalCap else { continue }
            if unlink(f.path) == 0 {
                deleted.append(f.path)
                total -= f.size
            }
        }
        return deleted
    }
}

/// The names in a directory (without `.` and `..`).
func listDirectory(_ path: String) -> [String] {
    guard let dir = opendir(path) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let e = readdir(dir) {
        let name = withUnsafePointer(to: e.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}
