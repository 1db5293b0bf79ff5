/// Reads typed values from one config section, collecting every problem instead of stopping at the first,
/// and flags keys nobody read as unknown.
///
/// ```swift
/// var r = SectionReader(file: config, name: "bus")
/// let hwm = r.int("high_water_mark", default: 100_000, range: 0...10_000_000)
/// try r.finish()   // throws every error: bad values and unknown keys, each with file, line and key
/// ```
public struct SectionReader {
    public let path: String
    public let name: String
    private let entries: [ConfigFile.Entry]
    private let sectionLine: Int?
    private var read: Set<String> = []
    /// Problems found so far.
    public private(set) var errors: [ConfigError] = []

    /// A reader for `[name]` in `file`; a missing section reads as all defaults.
    public init(file: ConfigFile, name: String) {
        path = file.path
        self.name = name
        let section = file.section(name)
        entries = section?.entries ?? []
        sectionLine = section?.line
    }

    /// The raw text of `key`, marking it as known.
    public mutating func raw(_ key: String) -> ConfigFile.Entry? {
        read.insert(key)
        return entries.first { $0.key == key }
    }

    /// Records a problem with `key`.
    public mutating func fail(_ key: String, line: Int?, _ message: String) {
        errors.append(ConfigError(file: path, line: line ?? sectionLine, key: "\(name).\(key)", message: message))
    }

    private mutating func parse<T>(_ key: String, _ fallback: T, _ what: String, _ convert: (String) -> T?) -> T {
        guard let e = raw(key) else { return fallback }
        guard let v = convert(e.value) else {
            fail(key, line: e.line, "expected \(what), got '\(e.value)'")
            return fallback
        }
        return v
    }

    /// A string; quotes around it are removed.
    public mutating func string(_ key: String, default fallback: String) -> String {
        parse(key, fallback, "a string") { v in
            v.count >= 2 && v.hasPrefix("\"") && v.hasSuffix("\"") ? String(v.dropFirst().dropLast()) : v
        }
    }

    /// An optional string (absent or empty means nil).
    public mutating func optionalString(_ key: String) -> String? {
        let v = string(key, default: "")
        return v.isEmpty ? nil : v
    }

    /// An integer within `range`.
    public mutating func int(_ key: String, default fallback: Int, range: ClosedRange<Int>) -> Int {
        let v = parse(key, fallback, "an integer") { Int($0.replacingUnderscores) }
        return check(key, v, range, fallback)
    }

    /// `true`/`false`/`yes`/`no`/`on`/`off`.
    public mutating func bool(_ key: String, default fallback: Bool) -> Bool {
        parse(key, fallback, "true or false") { v in
            switch v.lowercased() {
            case "true", "yes", "on", "1": true
            case "false", "no", "off", "0": false
            default: nil
            }
        }
    }

    /// A duration in seconds: `500ms`, `2s`, `5m`, `1h`, `7d`, or a plain number of seconds.
    public mutating func seconds(_ key: String, default fallback: Double, range: ClosedRange<Double>) -> Double {
        let v = parse(key, fallback, "a duration such as 500ms, 2s, 5m, 1h or 7d", Self.duration)
        return check(key, v, range, fallback)
    }

    /// A size in bytes: `512`, `64KB`, `10MB`, `1GB` (powers of 1024).
    public mutating func bytes(_ key: String, default fallback: Int, range: ClosedRange<Int>) -> Int {
        let v = parse(key, fallback, "a size such as 64KB, 10MB or 1GB", Self.size)
        return check(key, v, range, fallback)
    }

    /// A comma-separated list.
    public mutating func list(_ key: String, default fallback: [String]) -> [String] {
        parse(key, fallback, "a comma-separated list") { $0.split(separator: ",").map(\.trimmingSpaces).filter { !$0.isEmpty } }
    }

    private mutating func check<T: Comparable>(_ key: String, _ v: T, _ range: ClosedRange<T>, _ fallback: T) -> T {
        guard range.contains(v) else {
            fail(key, line: entries.first { $0.key == key }?.line, "\(v) is outside \(range.lowerBound)…\(range.upperBound)")
            return fallback
        }
        return v
    }

    /// Keys present in the section that nobody asked for.
    public var unknownKeys: [ConfigFile.Entry] { entries.filter { !read.contains($0.key) } }

    /// Adds an error for every unknown key and returns all errors.
    public mutating func finish() -> [ConfigError] {
        for e in unknownKeys { errors.append(ConfigError(file: path, line: e.line, key: "\(name).\(e.key)", message: "unknown key")) }
        return errors
    }

    static func duration(_ text: String) -> Double? {
        let t = text.lowercased().replacingUnderscores
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            if let n = Double(t.dropLast(suffix.count)), n >= 0, n.isFinite { return n * scale }
        }
        if let n = Double(t), n >= 0, n.isFinite { return n }
        return nil
    }

    static func size(_ text: String) -> Int? {
        let t = text.uppercased().replacingUnderscores
        let units: [(String, Int)] = [("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30), ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("B", 1)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            if let n = Int(t.dropLast(suffix.count).trimmingSpaces), n >= 0 { return n * scale }
        }
        return Int(t).flatMap { $0 >= 0 ? $0 : nil }
    }
}

extension String {
    var replacingUnderscores: String { String(filter { $0 != "_" }) }
}
