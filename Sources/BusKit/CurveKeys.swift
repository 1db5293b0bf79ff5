import ZeroMQ
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The CURVE keys of one data folder (`[bus] keys`, default `$RECIO_HOME/keys`):
///
/// - `broker.public` / `broker.secret`: the broker's pair; `broker.public` is copied to every other host.
/// - `client.public` / `client.secret`: this host's pair, used by every plugin and tool connecting from here.
/// - `allowed/<name>.public`: the client keys the broker accepts (the ZAP allow-list).
///
/// Each file holds one 40-character Z85 key. Secret files must be readable by their owner only (0600).
public struct CurveKeyStore: Sendable {
    /// The folder.
    public let folder: String

    public init(folder: String) { self.folder = folder }

    /// The default folder under a data folder.
    public static func defaultFolder(home: String) -> String { home + "/keys" }

    /// Makes a new pair `name` (`broker` or `client`), refusing to overwrite one. Returns it.
    @discardableResult
    public func generate(_ name: String) throws(BusError) -> CurveKeyPair {
        let secretPath = path(name, "secret")
        guard !FileManager.default.fileExists(atPath: secretPath) else {
            throw BusError(.configuration, "\(secretPath) exists already; remove it first to replace the key")
        }
        let pair: CurveKeyPair
        do { pair = try CurveKeyPair.generate() } catch { throw BusError(.transport, "cannot make a CURVE key pair: \(error)") }
        try ensureFolder(folder)
        try write(pair.secretKey, to: secretPath, mode: 0o600)
        try write(pair.publicKey, to: path(name, "public"), mode: 0o644)
        return pair
    }

    /// Reads pair `name`; the secret must be 0600.
    public func pair(_ name: String) throws(BusError) -> CurveKeyPair {
        let secretPath = path(name, "secret")
        var info = stat()
        guard stat(secretPath, &info) == 0 else {
            throw BusError(.configuration, "CURVE is on but \(secretPath) is missing: run `recio keys new \(name)`")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw BusError(.configuration, "\(secretPath) is readable by group or others; chmod 600 it")
        }
        return CurveKeyPair(publicKey: try key(at: path(name, "public")), secretKey: try key(at: secretPath))
    }

    /// The broker's public key, as a client needs it.
    public func brokerPublicKey() throws(BusError) -> String { try key(at: path("broker", "public")) }

    /// Every allowed client key, by file name.
    public func allowed() throws(BusError) -> [String: String] {
        let dir = folder + "/allowed"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [:] }
        var out: [String: String] = [:]
        for name in names.sorted() where name.hasSuffix(".public") {
            out[String(name.dropLast(7))] = try key(at: dir + "/" + name)
        }
        return out
    }

    /// Adds a client's public key to the allow-list as `name`.
    public func allow(_ publicKey: String, as name: String) throws(BusError) {
        guard CurveKeyPair.isKey(publicKey) else { throw BusError(.configuration, "not a CURVE public key: '\(publicKey)'") }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw BusError(.configuration, "a key name is letters, digits, '-' and '_', got '\(name)'")
        }
        try ensureFolder(folder + "/allowed")
        try write(publicKey, to: folder + "/allowed/\(name).public", mode: 0o644)
    }

    /// Reads one key file.
    public func key(at path: String) throws(BusError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw BusError(.configuration, "cannot read \(path)") }
        let text = String(String(decoding: data, as: UTF8.self).filter { !$0.isWhitespace })
        guard CurveKeyPair.isKey(text) else { throw BusError(.configuration, "\(path) does not hold a CURVE key") }
        return text
    }

    private func path(_ name: String, _ kind: String) -> String { folder + "/\(name).\(kind)" }

    private func ensureFolder(_ path: String) throws(BusError) {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) } catch {
            throw BusError(.configuration, "cannot create \(path): \(error)")
        }
    }

    private func write(_ text: String, to path: String, mode: mode_t) throws(BusError) {
        guard FileManager.default.createFile(atPath: path, contents: Data((text + "\n").utf8), attributes: [.posixPermissions: Int(mode)]) else {
            throw BusError(.configuration, "cannot write \(path)")
        }
        chmod(path, mode)
    }
}
