import Crypto
import Foundation
import HTTPTypes
import SimExchange
import Synchronization
import _CryptoExtras

/// Registered API keys (public halves only) and Kalshi's request-signature check over `timestamp_ms + METHOD + path`
/// (no query string): RSA-PSS with SHA-256, MGF1-SHA256 and a 32-byte salt for RSA keys, Ed25519 for Ed25519 keys.
public final class KeyRegistry: Sendable {
    private enum PublicKey: Sendable {
        case rsa(_RSA.Signing.PublicKey)
        case ed25519(Curve25519.Signing.PublicKey)

        func isValid(_ signature: Data, for message: Data) -> Bool {
            switch self {
            case .rsa(let k): k.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: message), padding: .PSS)
            case .ed25519(let k): k.isValidSignature(signature, for: message)
            }
        }
    }
    /// The SPKI DER prefix of an Ed25519 public key (OID 1.3.101.112); the 32 key bytes follow.
    private static let ed25519Prefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]
    private let keys = Mutex<[String: PublicKey]>([:])
    /// How far a request's timestamp may be from the server's real time.
    public let window: Millis

    public init(windowMs: Millis = 30_000) { window = windowMs }

    /// Registers a public key (RSA: PEM, PKCS#1 or SPKI; Ed25519: SPKI PEM) under a key id; the key id is also the
    /// user id.
    public func register(keyID: String, publicKeyPEM: String) throws {
        let body = publicKeyPEM.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
        let der = Data(base64Encoded: body).map(Array.init) ?? []
        let key: PublicKey
        if der.count == 44, Array(der[0..<12]) == Self.ed25519Prefix {
            key = .ed25519(try Curve25519.Signing.PublicKey(rawRepresentation: der[12...]))
        } else {
            key = .rsa(try _RSA.Signing.PublicKey(pemRepresentation: publicKeyPEM))
        }
        keys.withLock { $0[keyID] = key }
    }

    /// Registers every `<key-id>.pem` (or `.pub`) file of a folder; returns the key ids.
    @discardableResult
    public func registerFolder(_ path: String) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        var ids: [String] = []
        for name in names where name.hasSuffix(".pem") || name.hasSuffix(".pub") {
            let pem = try String(contentsOfFile: path + "/" + name, encoding: .utf8)
            let id = String(name.dropLast(4))
            try register(keyID: id, publicKeyPEM: pem)
            ids.append(id)
        }
        return ids
    }

    public var count: Int { keys.withLock { $0.count } }

    /// The user a request is signed by, or a 401. The timestamp may be near any of `nowMs` (the real clock and the
    /// simulated one, so a client that signs with the shared simulated clock is accepted too).
    func verify(headers: HTTPFields, method: String, path: String, nowMs: [Millis]) throws(KalshiSimError) -> String {
        guard let keyID = headers[HTTPField.Name("KALSHI-ACCESS-KEY")!],
              let stamp = headers[HTTPField.Name("KALSHI-ACCESS-TIMESTAMP")!],
              let signature = headers[HTTPField.Name("KALSHI-ACCESS-SIGNATURE")!]
        else { throw .unauthorized("missing KALSHI-ACCESS-KEY, KALSHI-ACCESS-TIMESTAMP or KALSHI-ACCESS-SIGNATURE") }
        guard let key = keys.withLock({ $0[keyID] }) else { throw .unauthorized("unknown API key") }
        guard let ts = Millis(stamp) else { throw .unauthorized("timestamp must be Unix milliseconds") }
        guard nowMs.contains(where: { abs($0 - ts) <= window }) else { throw .unauthorized("timestamp outside the allowed window") }
        guard let raw = Data(base64Encoded: signature) else { throw .unauthorized("signature is not base64") }
        let pathOnly = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        let message = Data((stamp + method.uppercased() + pathOnly).utf8)
        guard key.isValid(raw, for: message) else { throw .unauthorized("invalid signature") }
        return keyID
    }
}
