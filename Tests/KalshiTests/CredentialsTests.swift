import Foundation
import Kalshi
import Testing

@Suite("Credentials folder")
struct CredentialsTests {
    /// A fresh credentials folder holding `key_id` and `private_key.pem` with the given modes.
    static func folder(keyMode: Int = 0o600, idMode: Int = 0o600, folderMode: Int = 0o700, pem: String) throws -> URL {
        let fm = FileManager.default
        let url = fm.temporaryDirectory.appendingPathComponent("kalshi-cred-\(UUID().uuidString)")
        try fm.createDirectory(at: url, withIntermediateDirectories: true)
        let id = url.appendingPathComponent("key_id"), key = url.appendingPathComponent("private_key.pem")
        try "0f1e2d3c-key\n".write(to: id, atomically: true, encoding: .utf8)
        try pem.write(to: key, atomically: true, encoding: .utf8)
        try fm.setAttributes([.posixPermissions: idMode], ofItemAtPath: id.path)
        try fm.setAttributes([.posixPermissions: keyMode], ofItemAtPath: key.path)
        try fm.setAttributes([.posixPermissions: folderMode], ofItemAtPath: url.path)
        return url
    }

    @Test("loads a private folder; description shows the key id, never the key")
    func loads() async throws {
        let keys = try await TestKeys.shared.value
        let credentials = try Credentials.load(from: try Self.folder(pem: keys.pkcs1PEM))
        #expect(credentials.keyID == "0f1e2d3c-key")
        #expect(Credentials.folder(home: URL(fileURLWithPath: "/h"), mode: "demo").path == "/h/credentials/demo")
        let shown = "\(credentials) \(String(reflecting: credentials)) \(credentials.signer)"
        #expect(shown.contains("0f1e2d3c-key"))
        let keyBody = keys.pkcs1PEM.split(separator: "\n")[1]
        #expect(!shown.contains(keyBody) && !shown.contains("PRIVATE KEY"))
    }

    @Test("a key file readable by group or others is refused, naming the file", arguments: [0o640, 0o604, 0o644])
    func looseKey(mode: Int) async throws {
        let keys = try await TestKeys.shared.value
        let folder = try Self.folder(keyMode: mode, pem: keys.pkcs8PEM)
        #expect {
            try Credentials.load(from: folder)
        } throws: { error in
            guard let e = error as? KalshiError else { return false }
            return e.kind == .credentials && e.message.contains("private_key.pem") && e.message.contains("chmod 600")
                && !e.message.contains("BEGIN")
        }
    }

    @Test("a loose key id file or a writable folder is refused too; a missing file is named")
    func looseOthers() async throws {
        let keys = try await TestKeys.shared.value
        let f1 = try Self.folder(idMode: 0o644, pem: keys.pkcs8PEM)
        #expect(throws: KalshiError.self) { try Credentials.load(from: f1) }
        let f2 = try Self.folder(folderMode: 0o775, pem: keys.pkcs8PEM)
        do {
            _ = try Credentials.load(from: f2)
            Issue.record("a group-writable folder was accepted")
        } catch let e as KalshiError {
            #expect(e.message.contains("writable") && e.message.contains("chmod go-w"))
        }
        // A readable folder is fine when the files themselves are private.
        _ = try Credentials.load(from: try Self.folder(folderMode: 0o755, pem: keys.pkcs8PEM))
        let f3 = try Self.folder(pem: keys.pkcs8PEM)
        try FileManager.default.removeItem(at: f3.appendingPathComponent("key_id"))
        do {
            _ = try Credentials.load(from: f3)
            Issue.record("a folder without key_id was accepted")
        } catch let e as KalshiError {
            #expect(e.message.contains("key_id") && e.message.contains("does not exist"))
        }
    }
}
