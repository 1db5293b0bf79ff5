import BusTestSupport
import Foundation
import Kalshi

/// One RSA key pair per test process for the account-sync suites, made with `openssl` at test time (never
/// committed) and stored as a credentials folder (`key_id` + `private_key.pem`, 0600 in a 0700 folder).
struct AcctKeys: Sendable {
    static let keyID = "account-sync-test-key"
    /// The credentials folder.
    let folder: String
    /// The public key, for the simulator's registry.
    let publicPEM: String

    static let shared = Task { try await make() }

    private static func make() async throws -> AcctKeys {
        let root = NSTemporaryDirectory() + "account-sync-keys-\(UUID().uuidString)"
        let folder = root + "/credentials"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let pem = folder + "/" + Credentials.privateKeyFile, pub = root + "/public.pem"
        try await openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", pem])
        try await openssl(["pkey", "-in", pem, "-pubout", "-out", pub])
        try Data("\(keyID)\n".utf8).write(to: URL(fileURLWithPath: folder + "/" + Credentials.keyIDFile))
        for file in [Credentials.privateKeyFile, Credentials.keyIDFile] {
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: folder + "/" + file)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder)
        return AcctKeys(folder: folder, publicPEM: try String(contentsOfFile: pub, encoding: .utf8))
    }

    /// Runs `openssl` off the cooperative pool; throws with its output when it fails.
    private static func openssl(_ arguments: [String]) async throws {
        let (status, output) = try await offPool { () -> (Int32, String) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["openssl"] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        guard status == 0 else { throw KalshiError(.credentials, message: "openssl \(arguments.first ?? "") failed: \(output)") }
    }
}
