import _CryptoExtras
import Crypto
import Foundation

/// The dashboard's login password, stored only as a salted scrypt hash: `scrypt$<N>$<r>$<p>$<salt hex>$<hash hex>`.
public struct WebPassword: Sendable, Hashable {
    /// The scrypt cost (N), block size (r) and parallelism (p).
    public var rounds: Int, blockSize: Int, parallelism: Int
    /// The random salt and the derived key.
    public var salt: [UInt8], hash: [UInt8]

    /// The default file: `$RECIO_HOME/web/password`.
    public static func defaultPath(home: String) -> String { home + "/web/password" }

    /// Hashes `password` with a fresh 16-byte salt. `rounds` must be a power of two (16384 by default).
    public static func make(_ password: String, rounds: Int = 1 << 14, blockSize: Int = 8, parallelism: Int = 1) throws(WebError) -> WebPassword {
        var rng = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let hash = try derive(password, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism)
        return WebPassword(rounds: rounds, blockSize: blockSize, parallelism: parallelism, salt: salt, hash: hash)
    }

    /// True when `password` hashes to this hash (compared in constant time).
    public func verify(_ password: String) -> Bool {
        guard let candidate = try? Self.derive(password, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism) else {
            return false
        }
        return constantTimeEqual(candidate, hash)
    }

    /// The stored text.
    public var encoded: String { "scrypt$\(rounds)$\(blockSize)$\(parallelism)$\(hex(salt))$\(hex(hash))" }

    /// Parses the stored text.
    public init?(encoded text: String) {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "$").map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let n = Int(parts[1]), let r = Int(parts[2]), let p = Int(parts[3]),
              let salt = unhex(parts[4]), let hash = unhex(parts[5]), !hash.isEmpty else { return nil }
        self.init(rounds: n, blockSize: r, parallelism: p, salt: salt, hash: hash)
    }

    /// A hash from its parts.
    public init(rounds: Int, blockSize: Int, parallelism: Int, salt: [UInt8], hash: [UInt8]) {
        self.rounds = rounds; self.blockSize = blockSize; self.parallelism = parallelism; self.salt = salt; self.hash = hash
    }

    /// Writes the hash to `path` with mode 0600, its folder 0700.
    public func store(at path: String) throws(WebError) {
        let url = URL(fileURLWithPath: path)
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                   attributes: [.posixPermissions: 0o700])
            let temp = path + ".tmp"
            _ = fm.createFile(atPath: temp, contents: nil, attributes: [.posixPermissions: 0o600])
            try Data((encoded + "\n").utf8).write(to: URL(fileURLWithPath: temp))
            try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temp)
            if fm.fileExists(atPath: path) { try fm.removeItem(atPath: path) }
            try fm.moveItem(atPath: temp, toPath: path)
        } catch {
            throw WebError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Reads the hash at `path`; refuses a file readable by group or others.
    public static func load(from path: String) throws(WebError) -> WebPassword {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let mode = (attributes?[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw WebError("\(path) is readable by group or others (mode \(String(mode, radix: 8))): run chmod 600 \(path)")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw WebError("cannot read \(path)") }
        guard let password = WebPassword(encoded: text) else { throw WebError("\(path) does not hold a password hash") }
        return password
    }

    private static func derive(_ password: String, salt: [UInt8], rounds: Int, blockSize: Int, parallelism: Int) throws(WebError) -> [UInt8] {
        do {
            let key = try KDF.Scrypt.deriveKey(from: Array(password.utf8), salt: salt, outputByteCount: 32, rounds: rounds,
                                               blockSize: blockSize, parallelism: parallelism)
            return key.withUnsafeBytes { Array($0) }
        } catch {
            throw WebError("scrypt failed: \(error)")
        }
    }
}

/// Equal bytes, compared without an early exit.
func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var diff: UInt8 = 0
    for i in a.indices { diff |= a[i] ^ b[i] }
    return diff == 0
}

/// Lower-case hex.
func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    var s = ""
    s.reserveCapacity(bytes.count * 2)
    for b in bytes { s.append(digits[Int(b >> 4)]); s.append(digits[Int(b & 15)]) }
    return s
}

/// Bytes from hex, nil if malformed.
func unhex(_ text: String) -> [UInt8]? {
    let chars = Array(text.utf8)
    guard chars.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    var i = 0
    while i < chars.count {
        guard let h = Int(String(decoding: chars[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
        out.append(UInt8(h)); i += 2
    }
    return out
}

/// A random token of `bytes` bytes as hex (for session ids, CSRF tokens and idempotency keys).
func randomToken(bytes: Int = 24) -> String {
    var rng = SystemRandomNumberGenerator()
    return hex((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &rng) })
}
