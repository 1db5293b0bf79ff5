public import _CryptoExtras
import Crypto
import Foundation

/// Signs Kalshi requests over `timestamp_ms + METHOD + path`, where the path starts at the host root and carries no
/// query string: RSA-PSS with SHA-256, MGF1-SHA256 and a 32-byte salt for RSA keys, Ed25519 for Ed25519 keys (the
/// kind is read from the PEM, as Kalshi's official client does).
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
    private let key: Key

    private enum Key: Sendable {
        case rsa(_RSA.Signing.PrivateKey)
        case ed25519(Curve25519.Signing.PrivateKey)
    }

    /// The signature scheme of a key.
    public enum Algorithm: String, Sendable, Hashable { case rsaPSS = "RSA-PSS", ed25519 = "Ed25519" }

    /// Header names Kalshi reads.
    public static let keyHeader = "KALSHI-ACCESS-KEY"
    /// Header carrying the Unix time in milliseconds.
    public static let timestampHeader = "KALSHI-ACCESS-TIMESTAMP"
    /// Header carrying the base64 signature.
    public static let signatureHeader = "KALSHI-ACCESS-SIGNATURE"

    /// Loads an RSA private key in PKCS#1 (`BEGIN RSA PRIVATE KEY`) or PKCS#8 (`BEGIN PRIVATE KEY`) PEM, or an
    /// Ed25519 private key in PKCS#8 PEM.
    /// - Throws: ``KalshiError`` of kind `.credentials` when the PEM is neither an Ed25519 private key nor an RSA
    ///   private key of 2048 bits or more.
    public init(keyID: String, privateKeyPEM: String) throws {
        if let ed = Ed25519PEM.privateKey(privateKeyPEM) {
            key = .ed25519(ed)
        } else {
            do {
                key = .rsa(try _RSA.Signing.PrivateKey(pemRepresentation: privateKeyPEM))
            } catch {
                throw KalshiError(.credentials, message: "the private key is neither an Ed25519 private key PEM (PKCS#8) nor an RSA one (PKCS#1 or PKCS#8) of 2048 bits or more")
            }
        }
        self.keyID = keyID
    }

    /// How this key signs.
    public var algorithm: Algorithm {
        switch key { case .rsa: .rsaPSS; case .ed25519: .ed25519 }
    }

    /// The RSA public half, for verifying (tests); nil for an Ed25519 key.
    public var publicKey: _RSA.Signing.PublicKey? {
        if case .rsa(let k) = key { return k.publicKey }
        return nil
    }

    /// The public half as a PEM (SPKI), for registering with Kalshi or the simulator.
    public var publicKeyPEM: String {
        switch key {
        case .rsa(let k): k.publicKey.pemRepresentation
        case .ed25519(let k): Ed25519PEM.publicPEM(k.publicKey)
        }
    }

    /// The exact text Kalshi expects to be signed: timestamp, upper-case method and the path without its query.
    public static func message(method: String, path: String, timestampMs: Int64) -> String {
        let bare = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        return "\(timestampMs)\(method.uppercased())\(bare)"
    }

    /// A base64 (standard, padded) signature of ``message(method:path:timestampMs:)``: RSA-PSS or Ed25519.
    public func signature(method: String, path: String, timestampMs: Int64) throws -> String {
        let text = Data(Self.message(method: method, path: path, timestampMs: timestampMs).utf8)
        do {
            switch key {
            case .rsa(let k): return try k.signature(for: SHA256.hash(data: text), padding: .PSS).rawRepresentation.base64EncodedString()
            case .ed25519(let k): return try k.signature(for: text).base64EncodedString()
            }
        } catch {
            throw KalshiError(.signing, message: "\(algorithm.rawValue) signing failed")
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
