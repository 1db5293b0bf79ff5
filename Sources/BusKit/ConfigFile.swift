/// A problem in a configuration file, naming the file, line and key.
public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let key: String?
    public let message: String

    public init(file: String, line: Int?, key: String?, message: String) {
        self.file = file; self.line = line; self.key = key; self.message = message
    }

    /// `bus.conf:12: key 'hwm': expected an integer, got 'lots'`.
    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        s += ": "
        if let key { s += "key '\(key)': " }
        return s + message
    }
}

/// Every problem found in one pass, so a user fixes them all at once.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public let errors: [ConfigError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// A parsed `bus.conf`: `[section]` headers and `key = value` lines; `#` starts a comment.
///
/// ```
/// [bus]
/// frontend = tcp://127.0.0.1:7100   # publishers connect here
/// [plugin.pong]
/// enabled = true
/// ```
public struct ConfigFile: Sendable {
    /// One `key = value` with where it was written.
    public struct Entry: Sendable, Hashable {
        public let key: String
        public let value: String
        public let line: Int
    }

    /// One `[name]` section.
    public struct Section: Sendable {
        public let name: String
        public let line: Int
        public var entries: [Entry]
    }

    /// The file's path as given (used in every message).
    public let path: String
    /// Sections in file order.
    public private(set) var sections: [Section]

    /// Parses `text`; `path` is only for messages.
    /// - Throws: ``ConfigErrors`` listing every syntax error: a line that is neither a header nor `key = value`,
    ///   a key before any section, a repeated section or a repeated key.
    public init(path: String, text: String) throws(ConfigErrors) {
        self.path = path
        var sections: [Section] = []
        var errors: [ConfigError] = []
        for (i, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let n = i + 1
            let line = Self.stripComment(Substring(rawLine)).trimmingSpaces
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    errors.append(.init(file: path, line: n, key: nil, message: "malformed section header '\(line)'"))
                    continue
                }
                let name = String(line.dropFirst().dropLast()).trimmingSpaces
                if let prev = sections.first(where: { $0.name == name }) {
                    errors.append(.init(file: path, line: n, key: nil, message: "section [\(name)] repeats line \(prev.line)"))
                }
                sections.append(Section(name: name, line: n, entries: []))
                continue
            }
            guard let eq = line.firstIndex(of: "=") else {
                errors.append(.init(file: path, line: n, key: nil, message: "expected 'key = value' or '[section]', got '\(line)'"))
                continue
            }
            let key = String(line[..<eq]).trimmingSpaces
            let value = String(line[line.index(after: eq)...]).trimmingSpaces
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) else {
                errors.append(.init(file: path, line: n, key: key, message: "invalid key name"))
                continue
            }
            guard !sections.isEmpty else {
                errors.append(.init(file: path, line: n, key: key, message: "key outside any [section]"))
                continue
            }
            if let prev = sections[sections.count - 1].entries.first(where: { $0.key == key }) {
                errors.append(.init(file: path, line: n, key: key, message: "repeats line \(prev.line)"))
                continue
            }
            sections[sections.count - 1].entries.append(Entry(key: key, value: value, line: n))
        }
        guard errors.isEmpty else { throw ConfigErrors(errors: errors) }
        self.sections = sections
    }

    /// The section called `name`, if present.
    public func section(_ name: String) -> Section? { sections.first { $0.name == name } }

    private static func stripComment(_ s: Substring) -> Substring {
        var inQuote = false
        for i in s.indices {
            if s[i] == "\"" { inQuote.toggle() }
            if s[i] == "#" && !inQuote { return s[..<i] }
        }
        return s
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }
}
