import BusKit
import BusWire
import Launcher
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Logs: rotation by size, gzip, retention, total cap")
struct LogRotationTests {
    func tempDir() -> String {
        var template = Array("/tmp/recio-logs-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    func files(_ dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let n = withUnsafePointer(to: e.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
            if n != "." && n != ".." { names.append(n) }
        }
        return names.sorted()
    }

    func write(_ log: LogFile, _ text: String) -> [String] {
        Array(text.utf8).withUnsafeBytes { log.write($0) }
    }

    func run(_ command: String) -> Int32 {
        var pid: pid_t = 0
        let args = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, "/bin/sh", nil, nil, &argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return (status >> 8) & 0xff
    }

    @Test("a log past its size limit is moved aside gzip-compressed, with nothing lost")
    func rotatesAndCompresses() throws {
        let dir = tempDir()
        let clock = TestClock()
        let log = LogFile(directory: dir, name: "pong", maxSize: 1000, clock: clock)
        let line = String(repeating: "x", count: 99) + "\n"
        var rotated: [String] = []
        for _ in 0..<25 {
            rotated += write(log, line)
            clock.advance(seconds: 1)
        }
        #expect(rotated.count == 2)
        #expect(files(dir).filter { $0.hasSuffix(".log.gz") }.count == 2)
        for r in rotated { #expect(run("gzip -t '\(r)'") == 0) }
        // Every byte is somewhere: the two archives hold 10 lines each, the current file the other 5.
        #expect(run("test $(cat '\(dir)'/pong.*.log.gz | gzip -dc | wc -c) -eq 2000") == 0)
        #expect(run("test $(wc -c < '\(dir)/pong.log') -eq 500") == 0)
    }

    @Test("rotated logs older than the retention period are deleted; current logs never are")
    func retention() {
        let dir = tempDir()
        let clock = TestClock()
        let log = LogFile(directory: dir, name: "a", maxSize: 100, clock: clock)
        let old = log.rotate()
        clock.advance(seconds: 3 * 86_400)
        _ = write(log, "new data\n")
        let recent = log.rotate()
        _ = write(log, "current\n")
        let deleted = LogJanitor(retention: 2 * 86_400, totalCap: 1 << 30).sweep(directory: dir, now: clock.now)
        #expect(deleted == [old].compactMap { $0 })
        #expect(files(dir).contains("a.log"))
        #expect(recent.map { files(dir).contains(String($0.split(separator: "/").last!)) } == true)
    }

    @Test("over the total cap the oldest rotated logs go first until it fits")
    func totalCap() {
        let dir = tempDir()
        let clock = TestClock()
        let log = LogFile(directory: dir, name: "b", maxSize: 1 << 20, clock: clock)
        var rotated: [String] = []
        var rng = SplitMix(seed: 3)
        for _ in 0..<5 {
            // Incompressible content so the archives have real size.
            let bytes = (0..<20_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            bytes.withUnsafeBytes { _ = log.write($0) }
            rotated.append(log.rotate()!)
            clock.advance(seconds: 60)
        }
        let deleted = LogJanitor(retention: 86_400, totalCap: 50_000).sweep(directory: dir, now: clock.now)
        #expect(deleted == Array(rotated.prefix(3)))
        #expect(files(dir).filter { $0.hasSuffix(".gz") }.count == 2)
    }
}

extension LogRotationTests {
    @Test("one large write is spread over several files, none past the limit, cut at line ends")
    func largeWrite() {
        let dir = tempDir()
        let log = LogFile(directory: dir, name: "d", maxSize: 1000, clock: TestClock())
        let lines = (0..<100).map { "line \($0) " + String(repeating: "y", count: 40) + "\n" }.joined()
        let rotated = write(log, lines)
        #expect(rotated.count >= 4)
        for r in rotated {
            #expect(run("test $(gzip -dc '\(r)' | wc -c) -le 1000") == 0)
            #expect(run("test \"$(gzip -dc '\(r)' | tail -c 1 | od -An -c | tr -d ' ')\" = '\\n'") == 0, "ends at a line end")
        }
        #expect(run("test $(wc -c < '\(dir)/d.log') -le 1000") == 0)
        #expect(run("test $( (for f in \(rotated.map { "'\($0)'" }.joined(separator: " ")); do gzip -dc $f; done; cat '\(dir)/d.log') | wc -c) -eq \(lines.utf8.count)") == 0)
    }

    @Test("two rotations at the same instant keep both archives")
    func sameInstant() {
        let dir = tempDir()
        let log = LogFile(directory: dir, name: "c", maxSize: 1 << 20, clock: TestClock())
        _ = write(log, "one\n")
        let a = log.rotate()
        _ = write(log, "two\n")
        let b = log.rotate()
        #expect(a != nil && b != nil && a != b)
        #expect(run("test \"$(gzip -dc '\(a!)' '\(b!)')\" = \"$(printf 'one\\ntwo')\"") == 0)
        // Both carry readable stamps, so retention and the cap apply to them.
        let clock = TestClock()
        clock.advance(seconds: 10)
        #expect(LogJanitor(retention: 5, totalCap: 1 << 30).sweep(directory: dir, now: clock.now).count == 2)
    }

    @Test("a log someone else appends to (launcher.log) is compressed and truncated in place past its limit")
    func rotateInPlace() {
        let dir = tempDir()
        let path = "\(dir)/launcher.log"
        let clock = TestClock()
        #expect(run("printf 'small\\n' > '\(path)'") == 0)
        #expect(LogFile.rotateInPlace(path: path, maxSize: 1000, now: clock.now) == nil)
        #expect(run("yes launcher-line | head -c 5000 >> '\(path)'") == 0)
        let archive = LogFile.rotateInPlace(path: path, maxSize: 1000, now: clock.now)
        #expect(archive?.hasPrefix("\(dir)/launcher.") == true && archive?.hasSuffix(".log.gz") == true)
        #expect(run("test $(gzip -dc '\(archive ?? "")' | wc -c) -eq 5006") == 0)
        #expect(run("test ! -s '\(path)'") == 0)
    }
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
