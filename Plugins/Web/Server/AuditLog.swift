import Foundation
import Logging
import Synchronization

/// One user action: what, by which client, when, and how it ended.
struct AuditEntry: Codable, Sendable, Hashable {
    /// RFC 3339 UTC.
    var time: String
    /// The client's address (the forwarded one behind a trusted proxy).
    var client: String
    /// `buy`, `close`, `halt`, `resume`, `expire`, `settings` or `login`.
    var action: String
    /// The request's essentials (ticker, side, count; trade; keys and values).
    var detail: String
    /// The answer: HTTP status and, for orders, the executor's outcome.
    var outcome: String
}

/// The append-only audit log of the user's actions: one JSON line per action in `audit_file` (mode 0600, opened
/// with `O_APPEND` for every line, never rewritten), and the latest entries in memory for the System page.
final class AuditLog: Sendable {
    let path: String
    private let recent: Mutex<[AuditEntry]>
    static let keep = 200

    /// A log at `path`; the entries already there (the last ``keep``) are shown too.
    init(path: String) {
        self.path = path
        let old = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let entries = old.split(separator: "\n").suffix(Self.keep).compactMap {
            try? JSONDecoder().decode(AuditEntry.self, from: Data($0.utf8))
        }
        recent = Mutex(entries)
    }

    /// Appends `entry`; false when the file cannot be written (the entry is still shown).
    @discardableResult
    func append(_ entry: AuditEntry) -> Bool {
        recent.withLock { $0.append(entry); if $0.count > Self.keep { $0.removeFirst($0.count - Self.keep) } }
        guard let line = try? JSONEncoder().encode(entry) else { return false }
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let bytes = Array(line) + [UInt8(ascii: "\n")]
        return bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == bytes.count
    }

    /// The latest entries, newest first.
    var entries: [AuditEntry] { recent.withLock { $0.reversed() } }
}

extension WebCore {
    /// Writes a user action to the audit log and pushes it to the browsers (`{"k":"a","entry":…}`).
    func audit(_ action: String, client: String, detail: String, outcome: String) {
        let time = Date(timeIntervalSince1970: nowSeconds).formatted(.iso8601)
        let entry = AuditEntry(time: time, client: client, action: action, detail: detail, outcome: outcome)
        if !auditLog.append(entry) { logger.error("cannot append to the audit log \(auditLog.path)") }
        if let json = try? JSONEncoder().encode(entry) { hub.broadcast("{\"k\":\"a\",\"entry\":\(String(decoding: json, as: UTF8.self))}") }
    }
}
