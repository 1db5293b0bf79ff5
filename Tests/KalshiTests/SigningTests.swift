import Foundation
import Kalshi
import Testing
import _CryptoExtras

@Suite("Request signing")
struct SigningTests {
    @Test("the signed text is timestamp + METHOD + path, query stripped")
    func message() {
        #expect(RequestSigner.message(method: "post", path: "/trade-api/v2/portfolio/events/orders", timestampMs: 1_767_225_600_123)
            == "1767225600123POST/trade-api/v2/portfolio/events/orders")
        #expect(RequestSigner.message(method: "GET", path: "/trade-api/v2/markets?limit=5&cursor=x", timestampMs: 1)
            == "1GET/trade-api/v2/markets")
    }

    @Test("PKCS#1 and PKCS#8 keys sign; swift-crypto verifies with PSS, and a tampered path fails", arguments: [false, true])
    func swiftVerify(pkcs8: Bool) async throws {
        let keys = try await TestKeys.shared.value
        let signer = try RequestSigner(keyID: "key-1", privateKeyPEM: pkcs8 ? keys.pkcs8PEM : keys.pkcs1PEM)
        let headers = try signer.headers(method: "GET", path: "/trade-api/v2/portfolio/balance?x=1", timestampMs: 42)
        #expect(headers.map(\.name) == ["KALSHI-ACCESS-KEY", "KALSHI-ACCESS-TIMESTAMP", "KALSHI-ACCESS-SIGNATURE"])
        #expect(headers[0].value == "key-1" && headers[1].value == "42")
        let publicKey = try _RSA.Signing.PublicKey(pemRepresentation: keys.publicPEM)
        let sig = headers[2].value
        #expect(Data(base64Encoded: sig)?.count == 256)
        #expect(RequestSigner.verify(signatureBase64: sig, method: "GET", path: "/trade-api/v2/portfolio/balance", timestampMs: 42, publicKey: publicKey))
        #expect(!RequestSigner.verify(signatureBase64: sig, method: "GET", path: "/trade-api/v2/portfolio/fills", timestampMs: 42, publicKey: publicKey))
        #expect(!RequestSigner.verify(signatureBase64: sig, method: "GET", path: "/trade-api/v2/portfolio/balance", timestampMs: 43, publicKey: publicKey))
        // PSS is randomized: two signatures of one text differ, and both verify.
        let again = try signer.signature(method: "GET", path: "/trade-api/v2/portfolio/balance", timestampMs: 42)
        #expect(again != sig)
    }

    static let pythonVerify = """
        import base64, sys
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding
        pub = serialization.load_pem_public_key(open(sys.argv[1], 'rb').read())
        for line in sys.stdin.read().splitlines():
            message, signature = line.split(' ', 1)
            pub.verify(base64.b64decode(signature), message.encode(),
                       padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256())
        print('ok')
        """

    static let pythonSign = """
        import base64, sys
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding
        key = serialization.load_pem_private_key(open(sys.argv[1], 'rb').read(), password=None)
        sig = key.sign(sys.argv[2].encode(), padding.PSS(mgf=padding.MGF1(hashes.SHA256()),
                       salt_length=padding.PSS.DIGEST_LENGTH), hashes.SHA256())
        print(base64.b64encode(sig).decode())
        """

    static func pythonCryptography() async -> Bool {
        (try? await TestKeys.run(["python3", "-c", "import cryptography"]).status) == 0
    }

    @Test("Python's cryptography verifies our signatures from both PEM formats (salt = 32)")
    func pythonVerifiesOurs() async throws {
        guard await Self.pythonCryptography() else {
            print("skipped: python3 with the cryptography package is not available")
            return
        }
        let keys = try await TestKeys.shared.value
        var lines: [String] = []
        for pem in [keys.pkcs1PEM, keys.pkcs8PEM] {
            let signer = try RequestSigner(keyID: "k", privateKeyPEM: pem)
            for (method, path) in [("GET", "/trade-api/v2/portfolio/balance"), ("POST", "/trade-api/v2/portfolio/events/orders"),
                                   ("GET", "/trade-api/ws/v2")] {
                let ts: Int64 = 1_767_225_600_123
                let sig = try signer.signature(method: method, path: path + "?limit=1", timestampMs: ts)
                lines.append("\(RequestSigner.message(method: method, path: path, timestampMs: ts)) \(sig)")
            }
        }
        let script = keys.folder.appendingPathComponent("verify.py")
        try Self.pythonVerify.write(to: script, atomically: true, encoding: .utf8)
        let result = try await TestKeys.run(["python3", script.path, keys.folder.appendingPathComponent("public.pem").path],
                                            stdin: lines.joined(separator: "\n"))
        #expect(result.status == 0, "python: \(result.output)")
        #expect(result.output.contains("ok"))
    }

    @Test("our verifier accepts a signature made by Python's cryptography")
    func weVerifyPython() async throws {
        guard await Self.pythonCryptography() else {
            print("skipped: python3 with the cryptography package is not available")
            return
        }
        let keys = try await TestKeys.shared.value
        let script = keys.folder.appendingPathComponent("sign.py")
        try Self.pythonSign.write(to: script, atomically: true, encoding: .utf8)
        let message = "1767225600999DELETE/trade-api/v2/portfolio/events/orders/abc"
        let sig = try await TestKeys.sh(["python3", script.path, keys.folder.appendingPathComponent("pkcs8.pem").path, message])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let publicKey = try _RSA.Signing.PublicKey(pemRepresentation: keys.publicPEM)
        #expect(RequestSigner.verify(signatureBase64: sig, method: "DELETE", path: "/trade-api/v2/portfolio/events/orders/abc",
                                     timestampMs: 1_767_225_600_999, publicKey: publicKey))
    }

    @Test("a key that is not an RSA PEM is refused without echoing it")
    func badKey() {
        let secret = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXNlY3JldA==\n-----END PRIVATE KEY-----\n"
        #expect {
            try RequestSigner(keyID: "k", privateKeyPEM: secret)
        } throws: { error in
            guard let e = error as? KalshiError else { return false }
            return e.kind == .credentials && !"\(e)".contains("c2VjcmV0")
        }
    }
}
