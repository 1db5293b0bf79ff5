import BusWire
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The PLAIN credentials of one host's identities, in `$RECIO_HOME/<mode>/keys/` (folder 0700): one file
/// `<name>.password` per plugin or tool (0600) holding a random 64-hex-digit password.
///
/// `recio up` makes the missing ones on first start for every built-in plugin and tool and every plugin bus.conf
/// names; a plugin or tool started by hand makes its own if it is missing, and the broker reads the folder again
/// when an unknown name knocks. Anyone who can read this folder can speak as every identity in it: it guards
/// against other users of the machine and against a plugin naming itself as another, not against its owner.
public struct IdentityStore: Sendable {
    /// The folder.
    public let folder: String

    public init(folder: String) { self.folder = folder }

    /// `$RECIO_HOME/<mode>/keys`.
    public static func defaultFolder(home: String, mode: String) -> String { home + "/\(mode)/keys" }

    /// An identity is letters, digits, `-` and `_`.
    public static func isValidName(_ name: String) -> Bool {
        Topic.isWord(name)
    }

    /// The password of `name`, made (0600) when there is none yet.
    public func password(for name: String) throws(BusError) -> String {
        if let p = try read(name) { return p }
        try make(name)
        guard let p = try read(name) else { throw BusError(.configuration, "cannot read back \(path(name))") }
        return p
    }

    /// Makes the missing credentials of `names`; returns the names made.
    @discardableResult
    public func ensure(_ names: [String]) throws(BusError) -> [String] {
        var made: [String] = []
        for name in names where try read(name) == nil {
            try make(name)
            made.append(name)
        }
        return made
    }

    /// Every identity with a credential file, name → password. Files open to group or others are left out.
    public func all() -> [String: String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [:] }
        var out: [String: String] = [:]
        for file in names where file.hasSuffix(".password") {
            let name = String(file.dropLast(9))
            if let p = try? read(name) { out[name] = p }
        }
        return out
    }

    /// The identities with a credential file, sorted.
    public func names() -> [String] { all().keys.sorted() }

    private func path(_ name: String) -> String { folder + "/\(name).password" }

    /// The stored password, nil when there is no file; refuses a file readable by group or others.
    private func read(_ name: String) throws(BusError) -> String? {
        guard Self.isValidName(name) else { throw BusError(.configuration, "'\(name)' is not an identity name (letters, digits, '-', '_')") }
        var info = stat()
        guard stat(path(name), &info) == 0 else { return nil }
        guard info.st_mode & 0o077 == 0 else { throw BusError(.configuration, "\(path(name)) is readable by group or others; chmod 600 it") }
        guard let data = FileManager.default.contents(atPath: path(name)) else { throw BusError(.configuration, "cannot read \(path(name))") }
        let text = String(String(decoding: data, as: UTF8.self).filter { !$0.isWhitespace })
        guard text.count >= 32 else { throw BusError(.configuration, "\(path(name)) holds no password") }
        return text
    }

    private func make(_ name: String) throws(BusError) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch { throw BusError(.configuration, "cannot create \(folder): \(error)") }
        chmod(folder, 0o700)
        var rng = SystemRandomNumberGenerator()
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for _ in 0..<32 { let b = UInt8.random(in: 0...255, using: &rng); text += [hex[Int(b >> 4)], hex[Int(b & 15)]] }
        // O_EXCL: two processes making the same identity at once keep the first one's password.
        let fd = open(path(name), O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if fd < 0 {
            if errno == EEXIST { return }
            throw BusError(.configuration, "cannot write \(path(name)): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        text.append(0x0A)
        guard text.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == text.count else {
            throw BusError(.configuration, "cannot write \(path(name))")
        }
    }
}
