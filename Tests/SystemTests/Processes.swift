import BusTestSupport
import BusTools
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

    /// Runs a command to completion, off the cooperative pool, and returns its exit code and combined output.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        try await offPool { try runBlocking(arguments, environment: environment) }
    }

    /// ``run(_:environment:)`` on the calling thread, for the few places that cannot await.
    static func runBlocking(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
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
    static func tempDir(_ prefix: String) -> String { makeTempDirectory(prefix) }

    /// A loopback TCP endpoint that was free a moment ago.
    static func freeEndpoint() -> String { freeLoopbackEndpoint() }

    /// Writes a text file.
    static func write(_ path: String, _ text: String) {
        let f = fopen(path, "wb")!
        fputs(text, f)
        fclose(f)
    }
}
