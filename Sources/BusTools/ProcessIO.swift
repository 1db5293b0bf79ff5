import Launcher
#if canImport(Glibc)
import Glibc
#endif

/// Reads a child's output until end of file.
func readAll(_ child: ChildProcess) -> String {
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65_536)
    while true {
        var fd = pollfd(fd: child.output, events: Int16(POLLIN), revents: 0)
        _ = poll(&fd, 1, 200)
        let n = read(child.output, &buf, buf.count)
        if n > 0 { out += buf[0..<n] } else if n == 0 { break }
    }
    return String(decoding: out, as: UTF8.self)
}

/// Reads a child's output until `word` appears (at most 15 s); throws if it exits first.
func waitFor(_ word: String, in child: ChildProcess) throws(ToolError) {
    var seen = ""
    var buf = [UInt8](repeating: 0, count: 4096)
    for _ in 0..<300 {
        var fd = pollfd(fd: child.output, events: Int16(POLLIN), revents: 0)
        _ = poll(&fd, 1, 50)
        let n = read(child.output, &buf, buf.count)
        if n > 0 { seen += String(decoding: buf[0..<n], as: UTF8.self) }
        if seen.contains(word) { return }
        if n == 0 { break }
    }
    throw ToolError("process did not report '\(word)': \(seen)")
}

/// Waits for a child to exit.
func waitExit(_ child: ChildProcess) -> Int32 {
    var status: Int32 = 0
    waitpid(child.pid, &status, 0)
    return status
}

/// A loopback TCP endpoint that was free a moment ago.
public func freeLoopbackEndpoint() -> String {
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

/// A new temporary directory.
func makeTempDirectory(_ prefix: String) -> String {
    var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
}
