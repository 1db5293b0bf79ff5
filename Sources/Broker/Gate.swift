import BusKit
import BusWire
#if canImport(Glibc)
import Glibc
#endif

/// Who may connect and what each identity may publish, when identities are on.
public struct IdentityPolicy: Sendable {
    /// The grants of every identity.
    public var permissions: Permissions
    /// PLAIN credentials, name → password (read from ``store`` at start and again when an unknown name knocks).
    public var passwords: [String: String]
    /// Where PLAIN credentials live; nil to use ``passwords`` only.
    public var store: IdentityStore?
    /// CURVE keys named after a host vouch for that host's plugins: host → the plugins bus.conf places there.
    /// A message over such a key must come from `<plugin>@<host>`, with `<plugin>` one of these or a tool.
    public var hosts: [String: Set<String>]

    public init(permissions: Permissions = Permissions(), passwords: [String: String] = [:], store: IdentityStore? = nil,
                hosts: [String: Set<String>] = [:]) {
        self.permissions = permissions; self.passwords = passwords; self.store = store; self.hosts = hosts
    }

    /// The identity `src` speaks as over a connection authenticated as `user`, or nil when `src` is not one
    /// `user` may claim: `<name>@<host>` or, for a tool, `<name>-<number>@<host>` (so `executor` cannot speak as
    /// `executor-2`, which may be another identity).
    func identity(user: String, src: String) -> String? {
        guard let at = src.lastIndex(of: "@") else { return nil }
        let host = String(src[src.index(after: at)...])
        let full = String(src[..<at])
        var candidates = [full]
        if let dash = full.lastIndex(of: "-"), full.index(after: dash) < full.endIndex,
           full[full.index(after: dash)...].allSatisfy(\.isNumber), Permissions.tools[String(full[..<dash])] != nil {
            candidates.append(String(full[..<dash]))  // a tool's `<name>-<pid>`; a plugin's src is exactly its name
        }
        guard !full.isEmpty, !host.isEmpty else { return nil }
        if let plugins = hosts[user] {
            guard host == user else { return nil }
            return candidates.first { plugins.contains($0) || Permissions.tools[$0] != nil }
        }
        return candidates.contains(user) ? user : nil
    }
}

/// Why the broker refused a message.
enum Refusal: String, Sendable {
    case frames = "not two frames"
    case tooLarge = "envelope too large"
    case topicTooLarge = "topic too large"
    case noIdentity = "no identity"
    case noSource = "no src"
    case forgedSource = "src does not match the sender"
    case notPermitted = "topic not permitted"
}

/// The broker's check of each message from a publisher against the identity its connection authenticated as
/// (the ZAP `User-Id` in the message's metadata). Owned by the broker thread; remembers the last sender, so a
/// burst from one publisher costs a string compare and a prefix match per message.
struct Gate {
    let policy: IdentityPolicy
    private var lastUser: [UInt8] = []
    private var lastUserName = ""
    private var lastSource = ""
    private var lastResult: (identity: String, filters: [[UInt8]])?

    init(policy: IdentityPolicy) { self.policy = policy }

    /// nil when the message may pass; otherwise who sent it (as far as known) and why it is refused.
    mutating func check(user: UnsafePointer<CChar>?, topic: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer) -> (String, Refusal)? {
        guard let user else { return ("(none)", .noIdentity) }
        let n = strlen(user)
        let sameUser = n == lastUser.count && lastUser.withUnsafeBytes { memcmp($0.baseAddress!, user, n) == 0 }
        if !sameUser {
            lastUser = UnsafeRawBufferPointer(start: user, count: n).map { $0 }
            lastUserName = String(decoding: lastUser, as: UTF8.self)
            lastSource = ""
            lastResult = nil
        }
        guard let src = EnvelopeCodec.source(of: payload) else { return (lastUserName, .noSource) }
        if src != lastSource || !sameUser {
            lastSource = src
            lastResult = policy.identity(user: lastUserName, src: src).map { id in
                (id, policy.permissions.filters(for: id).map { Array($0.utf8) })
            }
        }
        guard let (identity, filters) = lastResult else { return (lastUserName, .forgedSource) }
        guard filters.contains(where: { Self.matches($0, topic) }) else { return (identity, .notPermitted) }
        return nil
    }

    /// ``TopicFilter`` matching on raw bytes: `a.` is the subtree, `a.b` the topic and its subtree, empty is all.
    @inline(__always)
    static func matches(_ filter: [UInt8], _ topic: UnsafeRawBufferPointer) -> Bool {
        guard topic.count >= filter.count else { return false }
        if !filter.isEmpty && filter.withUnsafeBytes({ memcmp($0.baseAddress!, topic.baseAddress!, filter.count) }) != 0 { return false }
        return filter.isEmpty || filter.last == UInt8(ascii: ".") || topic.count == filter.count || topic[filter.count] == UInt8(ascii: ".")
    }
}
