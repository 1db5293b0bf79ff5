import Launcher
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `recio` binary and other programs, for tests that need real processes.
enum Processes {
    /// The `recio` executable built beside this test bundle, if any.
    static var recio: String? {
        var dir = CommandLine.arguments[0]
        for _ in 0..<4 {
            dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)])
            let candidate = dir + "/recio"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Runs a command to completion and returns its exit code and combined output.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let child = try ChildProcess.spawn(arguments, environment: environment)
        var output: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65_536)
        var status: Int32 = 0
        while true {
            var fd = pollfd(fd: child.output, events: Int16(POLLIN), revents: 0)
            _ = poll(&fd, 1, 100)
            let n = read(child.output, &buf, buf.count)
            if n > 0 { output += buf[0..<n]; continue }
            if n == 0 { break }
        }
        close(child.output)
        waitpid(child.pid, &status, 0)
        return ((status >> 8) & 0xff, String(decoding: output, as: UTF8.self))
    }

    /// A fresh temporary directory.
    static func tempDir(_ prefix: String) -> String {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    /// A loopback TCP endpoint that was free a moment ago.
    static func freeEndpoint() -> String {
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

    /// Writes a text file.
    static func write(_ path: String, _ text: String) {
        let f = fopen(path, "wb")!
        fputs(text, f)
        fclose(f)
    }

    /// Polls `condition` every 50 ms, at most `attempts` times. Only keeps a broken test from hanging.
    static func eventually(attempts: Int = 600, _ condition: () throws -> Bool) rethrows -> Bool {
        for _ in 0..<attempts {
            if try condition() { return true }
            usleep(50_000)
        }
        return false
    }
}
