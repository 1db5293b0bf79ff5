public import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Credentials {
    /// The modes credentials are kept for: Kalshi's demo and production environments, and the local simulator.
    public static let modes = ["demo", "prod", "sim"]

    /// Validates a key id and an RSA (PKCS#1 or PKCS#8 PEM) or Ed25519 (PKCS#8 PEM) private key and stores them in `folder` as
    /// ``keyIDFile`` and ``privateKeyFile``, each mode 0600, in a folder of mode 0700 (made if missing, tightened
    /// if looser). Each file is written to a temporary name and renamed into place, so a reader never sees half a
    /// key; a previous key in the folder is replaced. Answers the credentials read back through ``load(from:)``.
    /// - Throws: ``KalshiError`` of kind `.credentials` when the key id is empty or has spaces, the PEM is not a
    ///   usable RSA or Ed25519 private key, or the files cannot be written. Messages never include the key.
    @discardableResult
    public static func store(keyID: String, privateKeyPEM: String, in folder: URL) throws -> Credentials {
        let id = keyID.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !id.isEmpty, !id.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw KalshiError(.credentials, message: "the key id must be one word, without spaces")
        }
        _ = try Credentials(keyID: id, privateKeyPEM: privateKeyPEM)  // refuses anything but an RSA or Ed25519 private key
        try makePrivateFolder(folder)
        try writePrivate(Data((id + "\n").utf8), to: folder.appendingPathComponent(keyIDFile))
        try writePrivate(Data(privateKeyPEM.utf8), to: folder.appendingPathComponent(privateKeyFile))
        return try load(from: folder)
    }

    /// Creates `folder` (and missing parents) with mode 0700, and sets 0700 on `folder` itself.
    static func makePrivateFolder(_ folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder.path)
        } catch {
            throw KalshiError(.credentials, message: "cannot create \(folder.path): \(error.localizedDescription)")
        }
    }

    /// Writes `data` to `url` through a temporary file created with mode 0600, then renames it into place.
    static func writePrivate(_ data: Data, to url: URL) throws {
        let temporary = url.path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_EXCL, 0o600)
        guard fd >= 0 else { throw KalshiError(.credentials, message: "cannot write \(url.path): \(String(cString: strerror(errno)))") }
        var ok = fchmod(fd, 0o600) == 0
        data.withUnsafeBytes { raw in
            var offset = 0
            while ok, offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { ok = false } else { offset += n }
            }
        }
        ok = fsync(fd) == 0 && ok
        ok = close(fd) == 0 && ok
        guard ok, rename(temporary, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw KalshiError(.credentials, message: "cannot write \(url.path): \(reason)")
        }
    }
}
