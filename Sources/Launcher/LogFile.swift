import BusKit
import BusWire
import CZlib
#if canImport(Glibc)
import Glibc
#endif

/// One plugin's log: appends output to `<dir>/<name>.log`, and past `maxSize` moves it aside as
/// `<name>.<UTC time>.log.gz` (gzip-compressed) and starts a new file.
public final class LogFile {
    public let directory: String
    public let name: String
    private let maxSize: Int
    private let clock: any BusClock
    private var fd: Int32 = -1
    private var size = 0

    /// Opens (appending) the current log file, creating the directory if needed.
    public init(directory: String, name: String, maxSize: Int, clock: any BusClock) {
        self.directory = directory
        self.name = name
        self.maxSize = maxSize
        self.clock = clock
        makeDirectories(directory)
        open()
    }

    deinit { if fd >= 0 { close(fd) } }

    /// The current file's path.
    public var path: String { "\(directory)/\(name).log" }

    private func open() {
        fd = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        var st = stat()
        size = fd >= 0 && fstat(fd, &st) == 0 ? Int(st.st_size) : 0
    }

    /// Appends `bytes`, rotating first if they would take the file past the limit. Returns the rotated file, if any.
    @discardableResult
    public func write(_ bytes: UnsafeRawBufferPointer) -> String? {
        var rotated: String?
        if size > 0 && size + bytes.count > maxSize { rotated = rotate() }
        guard fd >= 0, let base = bytes.baseAddress else { return rotated }
        var off = 0
        while off < bytes.count {
            let n = Glibc.write(fd, base + off, bytes.count - off)
            if n < 0 { if errno == EINTR { continue }; break }
            off += n
        }
        size += off
        return rotated
    }

    /// Moves the current file aside compressed and opens a fresh one. Returns the compressed file's path.
    @discardableResult
    public func rotate() -> String? {
        if fd >= 0 { close(fd); fd = -1 }
        let stamp = Self.stamp(clock.now)
        let target = "\(directory)/\(name).\(stamp).log.gz"
        let ok = gzipFile(from: path, to: target)
        if ok { unlink(path) }
        open()
        return ok ? target : nil
    }

    /// `20261124T201505.123456Z`: sorts by time, and ``LogJanitor`` reads it back.
    static func stamp(_ t: BusTime) -> String {
        let s = t.description  // 2026-11-24T20:15:05.123456Z
        return String(s.filter { $0 != "-" && $0 != ":" && $0 != "." }.dropLast()) + "Z"
    }

    static func time(fromStamp s: Substring) -> BusTime? {
        let c = Array(s.utf8)
        guard c.count == 22, c[8] == UInt8(ascii: "T"), c[21] == UInt8(ascii: "Z") else { return nil }
        let d = String(decoding: c, as: UTF8.self)
        func part(_ a: Int, _ n: Int) -> Substring { d.dropFirst(a).prefix(n) }
        return BusTime(rfc3339: "\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(9, 2)):\(part(11, 2)):\(part(13, 2)).\(part(15, 6))Z".utf8)
    }
}

/// Compresses `source` into `target` with gzip. Returns false (leaving `source` alone) on any failure.
func gzipFile(from source: String, to target: String) -> Bool {
    guard let input = fopen(source, "rb") else { return false }
    defer { fclose(input) }
    guard let gz = gzopen(target, "wb6") else { return false }
    var buf = [UInt8](repeating: 0, count: 1 << 16)
    var ok = true
    while true {
        let n = fread(&buf, 1, buf.count, input)
        if n > 0 && gzwrite(gz, buf, UInt32(n)) != Int32(n) { ok = false; break }
        if n < buf.count { break }
    }
    if gzclose(gz) != Z_OK { ok = false }
    if !ok { unlink(target) }
    return ok
}

/// `mkdir -p`.
func makeDirectories(_ path: String) {
    var current = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
        current += "/\(part)"
        mkdir(current, 0o750)
    }
}
