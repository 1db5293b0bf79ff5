public import _CryptoExtras
import Crypto
import Foundation

/// Signs Kalshi requests: RSA-PSS with SHA-256, MGF1-SHA256 and a 32-byte salt, over
/// `timestamp_ms + METHOD + path`, where the path starts at the host root and carries no query string.
///
/// ```swift
/// let signer = try RequestSigner(keyID: "…", privateKeyPEM: pem)
/// let headers = try signer.headers(method: "GET", path: "/trade-api/v2/portfolio/balance", timestampMs: now)
/// ```
///
/// The private key is never shown: `description` names the key id only.
public struct RequestSigner: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The API key id (`KALSHI-ACCESS-KEY`).
    public let keyID: String
    private let key: _RSA.Signing.PrivateKey

    /// Header names Kalshi reads.
    public static let keyHeader = "KALSHI-ACCESS-KEY"
    /// Header carrying the Unix time in milliseconds.
    public static let timestampHeader = "KALSHI-ACCESS-TIMESTAMP"
    /// Header carrying the base64 RSA-PSS signature.
    public static let signatureHeader = "KALSHI-ACCESS-SIGNATURE"

    /// Loads a private key in PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE KEY`) PEM.
    /// - Throws: ``KalshiError`` of kind `.credentials` when the PEM is not an RSA private key of 2048 bits or more.
    public init(keyID: String, privateKeyPEM: String) throws {
        do {
            key = try _RSA.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        } catch {
            throw KalshiError(.credentials, message: "the private key is not an RSA private key PEM (PKCS#1 or PKCS#8) of 2048 bits or more")
        }
        self.keyID = keyID
    }

    /// The public half, for verifying (tests, the simulator).
    public var publicKey: _RSA.Signing.PublicKey { key.publicKey }

    /// The exact text Kalshi expects to be signed: timestamp, upper-case method and the path without its query.
    public static func message(method: String, path: String, timestampMs: Int64) -> String {
        let bare = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        return "\(timestampMs)\(method.uppercased())\(bare)"
    }

    /// A base64 (standard, padded) RSA-PSS signature of ``message(method:path:timestampMs:)``.
    public func signature(method: String, path: String, timestampMs: Int64) throws -> String {
        let text = Self.message(method: method, path: path, timestampMs: timestampMs)
        do {
            return try key.signature(for: SHA256.hash(data: Data(text.utf8)), padding: .PSS).rawRepresentation.base64EncodedString()
        } catch {
            throw KalshiError(.signing, message: "RSA-PSS signing failed")
        }
    }

    /// The three authentication headers for one request.
    public func headers(method: String, path: String, timestampMs: Int64) throws -> [(name: String, value: String)] {
        [
            (Self.keyHeader, keyID),
            (Self.timestampHeader, String(timestampMs)),
            (Self.signatureHeader, try signature(method: method, path: path, timestampMs: timestampMs)),
        ]
    }

    /// Checks a signature against a public key (what Kalshi, or the simulator, does).
    public static func verify(signatureBase64: String, method: String, path: String, timestampMs: Int64,
                              publicKey: _RSA.Signing.PublicKey) -> Bool {
        guard let raw = Data(base64Encoded: signatureBase64) else { return false }
        let digest = SHA256.hash(data: Data(message(method: method, path: path, timestampMs: timestampMs).utf8))
        return publicKey.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: raw), for: digest, padding: .PSS)
    }

    /// Names the key id only; the key is redacted.
    public var description: String { "RequestSigner(keyID: \(keyID), key: <redacted>)" }
    /// Same as `description`: the key is redacted.
    public var debugDescription: String { description }
}
