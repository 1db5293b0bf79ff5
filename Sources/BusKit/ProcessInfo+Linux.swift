#if canImport(Glibc)
import Glibc
#endif

/// Facts about processes read from `/proc`, without Foundation.
public enum ProcInfo {
    /// Resident set size of `pid` in bytes, nil when the process is gone.
    public static func rss(pid: Int32) -> Int? {
        guard let text = readTextFile("/proc/\(pid)/statm") else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// This process's id.
    public static var pid: Int32 { getpid() }

    /// The machine's host name.
    public static var hostName: String {
        var buf = [CChar](repeating: 0, count: 256)
        gethostname(&buf, buf.count)
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// An environment variable.
    public static func env(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// The data folder: `$RECIO_HOME`, else `~/.recio`.
    public static var recioHome: String {
        if let h = env("RECIO_HOME"), !h.isEmpty { return h }
        return (env("HOME") ?? "/tmp") + "/.recio"
    }
}
