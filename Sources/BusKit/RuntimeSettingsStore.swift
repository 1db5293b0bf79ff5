#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A runtime setting that was refused, naming the key.
public struct SettingRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// The key refused.
    public let key: String
    /// Why.
    public let message: String
    /// A refusal.
    public init(key: String, message: String) { self.key = key; self.message = message }
    /// `key: message`.
    public var description: String { "\(key): \(message)" }
}

/// Every refusal of one change.
public struct SettingRefusals: Error, Sendable, Hashable, CustomStringConvertible {
    /// The refusals, each naming its key.
    public let all: [SettingRefusal]
    /// Refusals.
    public init(_ all: [SettingRefusal]) { self.all = all }
    /// `key: why; key: why`.
    public var description: String { all.map(\.description).joined(separator: "; ") }
}

/// One key of a plugin's runtime settings `S`: how to apply its text to a value and how to write it back.
///
/// Both `bus.conf` and `cmd.settings.<plugin>` go through the same `apply`, so a value is validated one way.
public struct RuntimeSetting<S> {
    /// The key, as in `[plugin.<name>]`.
    public let key: String
    /// Applies `text` to the settings; returns why it is refused, or nil when taken.
    public let apply: (inout S, String) -> String?
    /// The current value as text (parsing it back gives the same value).
    public let render: (S) -> String

    /// A key with its own parser and renderer.
    public init(_ key: String, apply: @escaping (inout S, String) -> String?, render: @escaping (S) -> String) {
        self.key = key; self.apply = apply; self.render = render
    }

    /// A key parsed by `parse` (nil = refused with "expected `what`"), stored at `path`, written by `format`.
    public static func value<T>(_ key: String, _ path: WritableKeyPath<S, T>, _ what: String, parse: @escaping (String) -> T?,
                                format: @escaping (T) -> String) -> RuntimeSetting<S> {
        RuntimeSetting(key, apply: { s, text in
            guard let v = parse(text.trimmingSpaces) else { return "expected \(what), got '\(text)'" }
            s[keyPath: path] = v
            return nil
        }, render: { format($0[keyPath: path]) })
    }

    /// `true`/`false` (also `yes`/`no`, `on`/`off`, `1`/`0`).
    public static func bool(_ key: String, _ path: WritableKeyPath<S, Bool>) -> RuntimeSetting<S> {
        value(key, path, "true or false", parse: { t in
            switch t.lowercased() {
            case "true", "yes", "on", "1": true
            case "false", "no", "off", "0": false
            default: nil
            }
        }, format: { $0 ? "true" : "false" })
    }

    /// An integer within `range`.
    public static func int(_ key: String, _ path: WritableKeyPath<S, Int>, range: ClosedRange<Int>) -> RuntimeSetting<S> {
        value(key, path, "an integer in \(range.lowerBound)…\(range.upperBound)", parse: { t in
            Int(t).flatMap { range.contains($0) ? $0 : nil }
        }, format: { String($0) })
    }

    /// A number within `range` (seconds, minutes, percent: whatever the key documents).
    public static func number(_ key: String, _ path: WritableKeyPath<S, Double>, range: ClosedRange<Double>) -> RuntimeSetting<S> {
        value(key, path, "a number in \(range.lowerBound)…\(range.upperBound)", parse: { t in
            Double(t).flatMap { $0.isFinite && range.contains($0) ? $0 : nil }
        }, format: { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int64($0)) : String($0) })
    }

    /// A non-empty string of at most `maxLength` characters.
    public static func string(_ key: String, _ path: WritableKeyPath<S, String>, maxLength: Int = 64) -> RuntimeSetting<S> {
        value(key, path, "text of 1…\(maxLength) characters", parse: { t in
            let v = t.count >= 2 && t.hasPrefix("\"") && t.hasSuffix("\"") ? String(t.dropFirst().dropLast()) : t
            return v.isEmpty || v.count > maxLength ? nil : v
        }, format: { $0 })
    }
}

/// The runtime-changeable keys of a plugin and a whole-value check: validates all, applies all or none.
public struct RuntimeSettingsSchema<S> {
    /// Every key.
    public let settings: [RuntimeSetting<S>]
    /// Checks across keys (min below max...), run after every key applied.
    public let check: (S) -> [SettingRefusal]

    /// A schema.
    public init(_ settings: [RuntimeSetting<S>], check: @escaping (S) -> [SettingRefusal] = { _ in [] }) {
        self.settings = settings; self.check = check
    }

    /// The key names.
    public var keys: Set<String> { Set(settings.map(\.key)) }

    /// Every key's current value as text.
    public func render(_ s: S) -> [String: String] {
        var out: [String: String] = [:]
        for setting in settings { out[setting.key] = setting.render(s) }
        return out
    }

    /// `s` with every value applied, or every refusal (unknown keys, bad values, failed checks): all or none.
    public func applying(_ values: [String: String], to s: S) -> Result<S, SettingRefusals> {
        var next = s
        var refusals: [SettingRefusal] = []
        for key in values.keys.sorted() {
            guard let setting = settings.first(where: { $0.key == key }) else {
                refusals.append(SettingRefusal(key: key, message: "unknown or read-only key"))
                continue
            }
            if let why = setting.apply(&next, values[key]!) { refusals.append(SettingRefusal(key: key, message: why)) }
        }
        if refusals.isEmpty { refusals = check(next) }
        return refusals.isEmpty ? .success(next) : .failure(SettingRefusals(refusals))
    }

    /// Reads every key present in a `bus.conf` section into `s`; bad values are recorded on the reader with their line.
    public func read(_ reader: inout SectionReader, into s: inout S) {
        for setting in settings {
            guard let entry = reader.raw(setting.key) else { continue }
            if let why = setting.apply(&s, entry.value) { reader.fail(setting.key, line: entry.line, why) }
        }
        for refusal in check(s) { reader.fail(refusal.key, line: reader.raw(refusal.key)?.line, refusal.message) }
    }

    /// Reads `[plugin.<plugin>]` over `defaults`: this schema's keys, the launcher's (`enabled`, `host`, `command`)
    /// and `settings_file` (default ``DataLayout/runtimeSettings(plugin:)`` of the mode: `$RECIO_HOME/<mode>/<plugin>/settings.json`,
    /// so a value saved at runtime in one mode never applies in another). Returns the settings and the
    /// settings file, or every problem with file, line and key.
    public func load(_ defaults: S, configuration: BusConfiguration, plugin: String, home: String) -> Result<(S, String), ConfigErrors> {
        var r = SectionReader(file: configuration.file, name: "plugin.\(plugin)")
        for key in ["enabled", "host", "command"] { _ = r.raw(key) }
        var s = defaults
        read(&r, into: &s)
        let file = r.optionalString("settings_file") ?? configuration.layout(home: home).runtimeSettings(plugin: plugin)
        let errors = r.finish()
        return errors.isEmpty ? .success((s, file)) : .failure(ConfigErrors(errors: errors))
    }

    /// Where each key's value comes from: `runtime` for keys in `stored` (saved from the bus in this mode), else
    /// `bus.conf` when `[plugin.<plugin>]` sets it, else `default`. Published with the settings so the dashboard can
    /// show it.
    public func sources(configuration: BusConfiguration, plugin: String, stored: Set<String>) -> [String: String] {
        let section = Set(configuration.file.section("plugin.\(plugin)")?.entries.map(\.key) ?? [])
        var out: [String: String] = [:]
        for key in keys {
            out[key] = stored.contains(key) ? SettingSource.runtime.rawValue
                : section.contains(key) ? SettingSource.busConf.rawValue : SettingSource.defaultValue.rawValue
        }
        return out
    }

    /// Every key a plugin section read by ``load(_:configuration:plugin:home:)`` may hold.
    public var sectionKeys: Set<String> { keys.union(["settings_file"]) }

    /// `base` with persisted values applied one key at a time (in key order), and the keys that could not be: a
    /// stored value a newer version no longer accepts is refused alone, never the whole file.
    public func applyingStored(_ stored: [String: String], to base: S) -> (S, [SettingRefusal]) {
        var s = base
        var refused: [SettingRefusal] = []
        for (key, value) in stored.sorted(by: { $0.key < $1.key }) {
            switch applying([key: value], to: s) {
            case .success(let next): s = next
            case .failure(let why): refused += why.all
            }
        }
        return (s, refused)
    }
}

extension String {
    /// A decimal without trailing zeros: `"12.5000"` → `"12.5"`, `"3.0000"` → `"3"`.
    public var trimmedDecimal: String {
        guard contains(".") else { return self }
        var s = self
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}

/// Where a runtime setting's value comes from.
public enum SettingSource: String, Sendable, Hashable {
    /// The plugin's built-in default.
    case defaultValue = "default"
    /// `[plugin.<name>]` in `bus.conf`.
    case busConf = "bus.conf"
    /// Changed over the bus (`cmd.settings.<plugin>`) and saved in this mode's settings file.
    case runtime
}

/// Why the settings file could not be read or written.
public struct RuntimeSettingsStoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, naming the file.
    public let message: String
    /// An error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// A plugin's runtime settings on disk: one JSON object of text values, written atomically (temp file, fsync,
/// rename) with mode 0600, so a crash leaves the old file or the new one, never half of either.
public struct RuntimeSettingsStore: Sendable {
    /// The file.
    public let path: String

    /// A store at `path`.
    public init(path: String) { self.path = path }

    /// The stored values, or nil when there is no file yet.
    public func load() throws(RuntimeSettingsStoreError) -> [String: String]? {
        guard access(path, F_OK) == 0 else { return nil }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw RuntimeSettingsStoreError("cannot read \(path): \(error)")
        }
        do { return try JSONDecoder().decode([String: String].self, from: data) } catch {
            throw RuntimeSettingsStoreError("\(path) is not a JSON object of text values: \(error)")
        }
    }

    /// The keys changed at runtime and stored (none when there is no file or it cannot be read).
    public var storedKeys: Set<String> {
        guard let stored = try? load() else { return [] }
        return Set(stored.keys)
    }

    /// Adds `changed` to the stored values (keeping keys changed earlier) and saves them; returns what is stored now.
    /// Only keys changed at runtime are stored, so a key never changed at runtime keeps following `bus.conf`.
    @discardableResult
    public func saveChanges(_ changed: [String: String]) throws(RuntimeSettingsStoreError) -> [String: String] {
        let merged = (try load() ?? [:]).merging(changed) { _, new in new }
        try save(merged)
        return merged
    }

    /// Replaces the file with `values`, creating its folder (0700) when needed.
    public func save(_ values: [String: String]) throws(RuntimeSettingsStoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let bytes: [UInt8]
        do { bytes = Array(try encoder.encode(values)) } catch { throw RuntimeSettingsStoreError("cannot encode settings: \(error)") }
        Self.makeFolders(of: path)
        let temp = path + ".tmp.\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw RuntimeSettingsStoreError("cannot create \(temp): errno \(errno)") }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { close(fd); unlink(temp); throw RuntimeSettingsStoreError("cannot write \(temp): errno \(errno)") }
            written += n
        }
        fchmod(fd, 0o600)
        fsync(fd)
        close(fd)
        guard rename(temp, path) == 0 else {
            unlink(temp)
            throw RuntimeSettingsStoreError("cannot rename \(temp) to \(path): errno \(errno)")
        }
    }

    /// `mkdir -p` (0700) of the folder holding `path`.
    static func makeFolders(of path: String) {
        var prefix = ""
        for part in path.split(separator: "/", omittingEmptySubsequences: false).dropLast() where !part.isEmpty {
            prefix += "/" + part
            mkdir(path.hasPrefix("/") ? prefix : String(prefix.dropFirst()), 0o700)
        }
    }
}
