import BusKit
import BusWire
import CZlib
#if canImport(Glibc)
import Glibc
#endif

/// One process's log: appends output to `<dir>/<name>.log`, and past `maxSize` moves it aside as
/// `<name>.<UTC time>.log.gz` (gzip-compressed) and starts a new file. Time comes from the injected clock.
public final class LogFile {
    /// The folder holding the log and its rotated archives.
    public let directory: String
    /// The process's name: the file is `<name>.log`.
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

    /// Appends `bytes`, rotating whenever the file would pass its limit (cutting at a line end when one is near),
    /// so no file grows past `maxSize` however large a single write is. Returns the archives made meanwhile.
    @discardableResult
    public func write(_ bytes: UnsafeRawBufferPointer) -> [String] {
        var rotated: [String] = []
        var rest = bytes[...]
        while !rest.isEmpty {
            if size >= maxSize, let r = rotate() { rotated.append(r) }
            var n = min(rest.count, maxSize - size)
            if n < rest.count {
                if let newline = rest.prefix(n).lastIndex(of: UInt8(ascii: "\n")) {
                    n = newline + 1 - rest.startIndex
                } else if size > 0 {
                    if let r = rotate() { rotated.append(r) }  // start the long line in a fresh file
                    continue
                }
            }
            append(UnsafeRawBufferPointer(rebasing: rest.prefix(n)))
            rest = rest.dropFirst(n)
        }
        return rotated
    }

    private func append(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        var off = 0
        while off < bytes.count {
            let n = Glibc.write(fd, base + off, bytes.count - off)
            if n < 0 { if errno == EINTR { continue }; break }
            off += n
        }
        size += bytes.count  // counted even if the disk refused it, so a full disk still rotates (and frees space)
    }

    /// Moves the current file aside compressed and opens a fresh one. Returns the compressed file's path, or nil
    /// if compressing failed (then the old content is dropped, so the disk stays bounded even when it is full).
    @discardableResult
    public func rotate() -> String? {
        if fd >= 0 { close(fd); fd = -1 }
        let target = Self.archivePath(directory: directory, name: name, now: clock.now)
        let ok = gzipFile(from: path, to: target)
        unlink(path)
        open()
        if !ok {
            let note = "[launcher] could not compress the previous log into \(target); it was dropped\n"
            Array(note.utf8).withUnsafeBytes { append($0) }
        }
        return ok ? target : nil
    }

    /// Rotates a log written by someone else through `O_APPEND` (the detached launcher's own `launcher.log`)
    /// once it passes `maxSize`: compresses a copy, then truncates it in place. Returns the archive, if any.
    @discardableResult
    public static func rotateInPlace(path: String, maxSize: Int, now: BusTime) -> String? {
        var st = stat()
        guard stat(path, &st) == 0, Int(st.st_size) > maxSize else { return nil }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        var name = path.split(separator: "/").last.map(String.init) ?? path
        if name.hasSuffix(".log") { name.removeLast(4) }
        let target = archivePath(directory: directory, name: name, now: now)
        let ok = gzipFile(from: path, to: target)
        truncate(path, 0)
        return ok ? target : nil
    }

    /// `<dir>/<name>.<stamp>.log.gz` for `now`, a microsecond later for each archive already there.
    static func archivePath(directory: String, name: String, now: BusTime) -> String {
        var t = now
        while true {
            let candidate = "\(directory)/\(name).\(stamp(t)).log.gz"
            if access(candidate, F_OK) != 0 { return candidate }
            t = t.adding(seconds: 0.000_001)
        }
    }

    /// `20261124T201505.123456Z` without punctuation: sorts by time, and ``LogJanitor`` reads it back.
    static func stamp(_ t: BusTime) -> String {
        let s = t.description  // 2026-11-24T20:15:05.123456Z
        return String(s.filter { $0 != "-" && $0 != ":" && $0 != "." }.dropLast()) + "Z"
    }

    /// The time in a ``stamp(_:)``, or nil if `s` is not one.
    static func time(fromStamp s: Substring) -> BusTime? {
        let c = Array(s.utf8)
        guard c.count == 22, c[8] == UInt8(ascii: "T"), c[21] == UInt8(ascii: "Z") else { return nil }
        let d = String(decoding: c, as: UTF8.self)
        func part(_ a: Int, _ n: Int) -> Substring { d.dropFirst(a).prefix(n) }
        return BusTime(rfc3339: "\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(9, 2)):\(part(11, 2)):\(part(13, 2)).\(part(15, 6))Z".utf8)
    }
}

/// Compresses `source` into `target` with gzip. Returns false (leaving no partial `target`) on any failure.
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
    if ferror(input) != 0 { ok = false }
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
