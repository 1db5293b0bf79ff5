import Foundation
import Kalshi
import KalshiSim
import Money
import Testing

/// Ed25519 keys as well as RSA: detected from the PEM, signing the same text, verified by the simulator.
@Suite("Ed25519 and RSA keys against the simulator")
struct VenueKeyKindTests {
    /// An Ed25519 private key PEM made by openssl.
    static func ed25519PEM() async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ed25519-\(UUID().uuidString).pem").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await VenueKeys.openssl(["genpkey", "-algorithm", "ed25519", "-out", file])
        return try String(contentsOfFile: file, encoding: .utf8)
    }

    @Test("an Ed25519 key signs a balance read the simulator accepts; the RSA key still does; an unregistered key is refused")
    func bothKinds() async throws {
        let pem = try await Self.ed25519PEM()
        let ed = try Credentials(keyID: "ed-key", privateKeyPEM: pem)
        #expect(ed.signer.algorithm == .ed25519 && ed.signer.publicKey == nil)
        let stranger = try Credentials(keyID: "ed-key", privateKeyPEM: try await Self.ed25519PEM())
        try await withVenue { venue in
            #expect(venue.credentials.signer.algorithm == .rsaPSS)
            try venue.server.keys.register(keyID: "ed-key", publicKeyPEM: ed.signer.publicKeyPEM)
            #expect(try await venue.rest(credentials: ed).balance().available > .zero)
            #expect(try await venue.rest().balance().available > .zero)
            await #expect { _ = try await venue.rest(credentials: stranger).balance() } throws: { ($0 as? KalshiError)?.status == 401 }
        }
    }

    @Test("credentials store accepts an Ed25519 PEM and loads it back; garbage is refused")
    func store() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ed-creds-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let stored = try Credentials.store(keyID: "ed-key", privateKeyPEM: try await Self.ed25519PEM(), in: folder)
        #expect(stored.signer.algorithm == .ed25519)
        #expect(try Credentials.load(from: folder).signer.algorithm == .ed25519)
        #expect(throws: KalshiError.self) { _ = try Credentials(keyID: "x", privateKeyPEM: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n") }
    }
}
