import Crypto
import Foundation

/// Ed25519 keys in PEM: a PKCS#8 private key (`BEGIN PRIVATE KEY`, algorithm 1.3.101.112) and an SPKI public key,
/// as `openssl genpkey -algorithm ed25519` and Kalshi's key pages produce them.
enum Ed25519PEM {
    /// DER of the Ed25519 algorithm identifier (OID 1.3.101.112).
    static let algorithm: [UInt8] = [0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70]
    /// The SPKI prefix of a public key: the 32 key bytes follow.
    static let publicPrefix: [UInt8] = [0x30, 0x2A] + algorithm + [0x03, 0x21, 0x00]

    /// The DER inside a PEM (base64 between the BEGIN and END lines), nil when it is not PEM.
    static func der(_ pem: String) -> [UInt8]? {
        let body = pem.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
        guard pem.contains("-----BEGIN"), let data = Data(base64Encoded: body) else { return nil }
        return Array(data)
    }

    /// The private key of a PKCS#8 Ed25519 PEM (v1, or v2 with the public key appended); nil for any other PEM.
    static func privateKey(_ pem: String) -> Curve25519.Signing.PrivateKey? {
        // SEQUENCE { INTEGER version, SEQUENCE { OID }, OCTET STRING { OCTET STRING (32) } [, public key] }
        guard let der = der(pem), der.count >= 48, der[0] == 0x30, Int(der[1]) == der.count - 2,
              Array(der[2..<5]) == [0x02, 0x01, 0x00] || Array(der[2..<5]) == [0x02, 0x01, 0x01],
              Array(der[5..<12]) == algorithm, Array(der[12..<16]) == [0x04, 0x22, 0x04, 0x20]
        else { return nil }
        return try? Curve25519.Signing.PrivateKey(rawRepresentation: der[16..<48])
    }

    /// The SPKI PEM of `key`.
    static func publicPEM(_ key: Curve25519.Signing.PublicKey) -> String {
        let body = Data(publicPrefix + Array(key.rawRepresentation)).base64EncodedString()
        return "-----BEGIN PUBLIC KEY-----\n\(body)\n-----END PUBLIC KEY-----\n"
    }
}
