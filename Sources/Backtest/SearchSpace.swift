import AutoEntry
import BusKit
import Foundation
import Model
import TradeSupervisor

/// A sweep's search space: values to try for keys of the strategy's own `bus.conf` sections.
///
/// The file reads like `bus.conf` — `[plugin.model]`, `[plugin.auto-entry]` and `[plugin.trade-supervisor]`
/// sections, `#` comments — and each value is one of:
///
/// ```
/// [plugin.auto-entry]
/// min_probability = 60..90 step 10     # a range: both ends included, decimals allowed
/// min_edge = 0 | 2 | 5                 # choices, separated by |
/// [plugin.trade-supervisor]
/// auto_stop = true | false
/// [plugin.model]
/// model = vol                          # one value: set for every configuration
/// ```
///
/// The configurations are every combination, the first key varying slowest. Keys are checked against the keys the
/// plugin reads; values are checked when a configuration is built, by the plugins' own readers.
public struct SearchSpace: Sendable, Hashable {
    /// One key and the values to try.
    public struct Dimension: Sendable, Hashable {
        /// `plugin.auto-entry` etc., the key, and its line in the space file.
        public var section: String, key: String, line: Int
        /// The values, as text for `bus.conf`.
        public var values: [String]
    }

    /// One setting of a configuration.
    public struct Setting: Sendable, Hashable, Codable {
        /// The section and key, and the value.
        public var section: String, key: String, value: String
    }

    /// The sections a space may set, with the keys their plugins read.
    public static let sections: [String: Set<String>] = ["plugin.model": ModelPlugin.configKeys, "plugin.auto-entry": AutoEntry.configKeys,
                                                         "plugin.trade-supervisor": TradeSupervisor.configKeys]
    /// The most configurations a space may describe.
    public static let maxConfigurations = 100_000

    /// The space file's path, for messages.
    public var path: String
    /// The keys varied, in file order.
    public var dimensions: [Dimension]

    /// A space from parts.
    public init(path: String, dimensions: [Dimension]) { self.path = path; self.dimensions = dimensions }

    /// Parses a space file's text. - Throws: ``BacktestError`` listing every problem, each naming the file, line and key.
    public init(path: String, text: String) throws(BacktestError) {
        let file: ConfigFile
        do { file = try ConfigFile(path: path, text: text) } catch { throw BacktestError(problems: error.errors) }
        var dims: [Dimension] = [], errors: [ConfigError] = []
        for s in file.sections {
            guard let allowed = Self.sections[s.name] else {
                errors.append(ConfigError(file: path, line: s.line, key: nil,
                                          message: "unknown section [\(s.name)]; a space sets [plugin.model], [plugin.auto-entry] or [plugin.trade-supervisor]"))
                continue
            }
            for e in s.entries {
                guard allowed.contains(e.key), !["enabled", "host", "command", "auto_entry"].contains(e.key) else {
                    errors.append(ConfigError(file: path, line: e.line, key: e.key, message: "not a strategy key of [\(s.name)]"))
                    continue
                }
                switch Self.values(e.value) {
                case .success(let v): dims.append(Dimension(section: s.name, key: e.key, line: e.line, values: v))
                case .failure(let m): errors.append(ConfigError(file: path, line: e.line, key: e.key, message: m.text))
                }
            }
        }
        if errors.isEmpty && dims.isEmpty { errors.append(ConfigError(file: path, line: nil, key: nil, message: "no keys to vary")) }
        if errors.isEmpty && dims.reduce(1.0, { $0 * Double($1.values.count) }) > Double(Self.maxConfigurations) {
            errors.append(ConfigError(file: path, line: nil, key: nil, message: "more than \(Self.maxConfigurations) configurations"))
        }
        guard errors.isEmpty else { throw BacktestError(problems: errors) }
        self.init(path: path, dimensions: dims)
    }

    /// Reads and parses a space file. - Throws: ``BacktestError`` naming the file.
    public static func read(path: String) throws(BacktestError) -> SearchSpace {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw BacktestError(problems: [ConfigError(file: path, line: nil, key: nil, message: "cannot read the file")])
        }
        return try SearchSpace(path: path, text: text)
    }

    struct Message: Error { var text: String }

    /// The values of `a..b step s`, `x | y | z` or a single value.
    static func values(_ text: String) -> Result<[String], Message> {
        if text.contains("|") {
            let parts = text.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
            if parts.contains(where: \.isEmpty) { return .failure(Message(text: "empty choice in '\(text)'")) }
            if Set(parts).count != parts.count { return .failure(Message(text: "repeated choice in '\(text)'")) }
            return .success(parts)
        }
        guard text.contains("..") else {
            return text.isEmpty ? .failure(Message(text: "no value")) : .success([text])
        }
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        let ends = words.first?.components(separatedBy: "..") ?? []
        guard words.count == 3, words[1] == "step", ends.count == 2, let a = Decimal(string: ends[0]), let b = Decimal(string: ends[1]),
              let step = Decimal(string: String(words[2])), Self.isNumber(ends[0]), Self.isNumber(ends[1]), Self.isNumber(String(words[2])) else {
            return .failure(Message(text: "expected 'FROM..TO step STEP', got '\(text)'"))
        }
        guard step > 0 else { return .failure(Message(text: "step must be positive, got '\(words[2])'")) }
        guard a <= b else { return .failure(Message(text: "range \(ends[0])..\(ends[1]) runs backwards")) }
        var out: [String] = [], v = a
        while v <= b {
            out.append("\(v)")
            if out.count > 1_000 { return .failure(Message(text: "more than 1000 values in '\(text)'")) }
            v += step
        }
        return .success(out)
    }

    static func isNumber(_ s: String) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isNumber || $0 == "." || $0 == "-" } && Double(s) != nil
    }

    /// How many configurations.
    public var count: Int { dimensions.reduce(1) { $0 * $1.values.count } }

    /// Configuration `index` (0 ..< count): one setting per dimension, the last dimension varying fastest.
    public func configuration(_ index: Int) -> [Setting] {
        var rest = index, out: [Setting] = []
        for d in dimensions.reversed() {
            out.append(Setting(section: d.section, key: d.key, value: d.values[rest % d.values.count]))
            rest /= d.values.count
        }
        return out.reversed()
    }

    /// `settings` as a `bus.conf` fragment, one section header per section.
    public static func fragment(_ settings: [Setting]) -> String {
        var out = "", last = ""
        for s in settings.sorted(by: { ($0.section, $0.key) < ($1.section, $1.key) }) {
            if s.section != last { out += "[\(s.section)]\n"; last = s.section }
            out += "\(s.key) = \(s.value)\n"
        }
        return out
    }

    /// The strategy sections of `base` with `settings` set over them, as one configuration the plugins' readers take.
    /// - Throws: ``ConfigErrors`` (the plugins' readers check the values later).
    public static func apply(_ settings: [Setting], to base: ConfigFile, label: String) throws(ConfigErrors) -> BusConfiguration {
        var text = ""
        for name in sections.keys.sorted() {
            text += "[\(name)]\n"
            let set = settings.filter { $0.section == name }
            for e in base.section(name)?.entries ?? [] where !set.contains(where: { $0.key == e.key }) { text += "\(e.key) = \(e.value)\n" }
            for s in set { text += "\(s.key) = \(s.value)\n" }
        }
        let keys = Dictionary(uniqueKeysWithValues: sections.map { (String($0.key.dropFirst("plugin.".count)), $0.value) })
        return try BusConfiguration(file: ConfigFile(path: label, text: text), pluginKeys: keys)
    }
}
