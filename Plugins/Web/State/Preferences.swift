import Foundation
import Synchronization

/// The trader's dashboard preferences, shared by every device (a setting of the web plugin, not browser storage):
/// the buy size, its multiplier and the monitor's +/− mode.
struct Preferences: Codable, Sendable, Hashable {
    /// Contracts per buy before the multiplier, 1…10,000.
    var size = 1
    /// 1, 2 or 3.
    var mult = 1
    /// True: the strike table's buttons show edges instead of asks.
    var diff = false

    /// Nil when every value is in its bounds; otherwise what is wrong.
    var problem: String? {
        if !(1...10_000).contains(size) { return "size must be 1…10000, got \(size)" }
        if !(1...3).contains(mult) { return "mult must be 1, 2 or 3, got \(mult)" }
        return nil
    }
}

/// The preferences kept in a JSON file (`$RECIO_HOME/web/preferences.json`), replaced whole on each change.
final class PreferenceStore: Sendable {
    let path: String
    private let current: Mutex<Preferences>

    /// The store at `path`; defaults when the file is missing or unreadable.
    init(path: String) {
        self.path = path
        let saved = FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode(Preferences.self, from: $0) }
        current = Mutex(saved.flatMap { $0.problem == nil ? $0 : nil } ?? Preferences())
    }

    /// The preferences now.
    var value: Preferences { current.withLock { $0 } }

    /// Keeps `p` and writes it (atomically); false when the file could not be written (the value is kept anyway).
    @discardableResult
    func set(_ p: Preferences) -> Bool {
        current.withLock { $0 = p }
        guard let data = try? JSONEncoder().encode(p) else { return false }
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        return (try? data.write(to: URL(fileURLWithPath: path), options: .atomic)) != nil
    }

    /// The push frame `{"k":"p","prefs":{…}}`.
    var frame: String {
        let json = (try? JSONEncoder().encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "{\"k\":\"p\",\"prefs\":\(json)}"
    }
}
