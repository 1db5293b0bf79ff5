public import Foundation

/// A Kalshi API key: its id and the signer holding its private key.
///
/// On disk, credentials are a folder (for example `$RECIO_HOME/credentials/demo/`) holding two files:
/// - `key_id`: the API key id, one line;
/// - `private_key.pem`: the RSA private key (PKCS#1 or PKCS#8 PEM) or the Ed25519 one (PKCS#8 PEM).
///
/// Both files must not be readable, writable or executable by group or others (`chmod 600`), and the folder must
/// not be writable by them (else they could swap the key); looser modes are refused with a message naming the
/// file and the `chmod` that fixes it.
/// `description` never shows the key.
public struct Credentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// File name of the key id inside a credentials folder.
    public static let keyIDFile = "key_id"
    /// File name of the private key inside a credentials folder.
    public static let privateKeyFile = "private_key.pem"

    /// The signer built from the key.
    public let signer: RequestSigner
    /// The API key id.
    public var keyID: String { signer.keyID }

    /// Credentials from a key id and PEM text.
    public init(keyID: String, privateKeyPEM: String) throws {
        signer = try RequestSigner(keyID: keyID, privateKeyPEM: privateKeyPEM)
    }

    /// The credentials folder of a mode under the data folder: `<home>/credentials/<mode>/` (`home` is
    /// `RECIO_HOME`, `~/.recio` by default; `mode` is one of ``modes``: `demo`, `prod` or `sim`).
    public static func folder(home: URL, mode: String) -> URL {
        home.appendingPathComponent("credentials").appendingPathComponent(mode)
    }

    /// Loads `key_id` and `private_key.pem` from `folder`.
    /// - Throws: ``KalshiError`` of kind `.credentials` naming the file that is missing, empty, readable by
    ///   group or others, or not a usable key.
    public static func load(from folder: URL) throws -> Credentials {
        try checkPrivate(folder, isFolder: true)
        let idURL = folder.appendingPathComponent(keyIDFile)
        let pemURL = folder.appendingPathComponent(privateKeyFile)
        try checkPrivate(idURL, isFolder: false)
        try checkPrivate(pemURL, isFolder: false)
        let keyID = try read(idURL).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !keyID.isEmpty else { throw KalshiError(.credentials, message: "\(idURL.path) is empty") }
        do {
            return try Credentials(keyID: keyID, privateKeyPEM: try read(pemURL))
        } catch let error as KalshiError {
            throw KalshiError(.credentials, message: "\(pemURL.path): \(error.message)")
        }
    }

    private static func read(_ url: URL) throws -> String {
        do { return try String(contentsOf: url, encoding: .utf8) } catch {
            throw KalshiError(.credentials, message: "cannot read \(url.path)")
        }
    }

    /// Refuses a file that is missing or open to group/others, or a folder they may write to.
    static func checkPrivate(_ url: URL, isFolder: Bool) throws {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: url.path) } catch {
            throw KalshiError(.credentials, message: "\(url.path) does not exist")
        }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
        let loose = isFolder ? mode & 0o022 : mode & 0o077
        if loose != 0 {
            let what = isFolder ? "writable" : "accessible"
            let fix = isFolder ? "chmod go-w" : "chmod 600"
            throw KalshiError(
                .credentials,
                message: "\(url.path) is \(what) by group or others (mode \(String(mode, radix: 8))); run `\(fix) \(url.path)`")
        }
    }

    /// Names the key id only; the key is redacted.
    public var description: String { "Credentials(keyID: \(keyID), key: <redacted>)" }
    /// Same as `description`: the key is redacted.
    public var debugDescription: String { description }
}
