import BusTestSupport
import Foundation
import Kalshi

/// One RSA key pair per test process, made with `openssl` at test time (never committed), stored as a credentials
/// folder (`key_id` + `private_key.pem`, 0600 in a 0700 folder) exactly as `recio credentials add` leaves it.
struct VenueKeys: Sendable {
    static let keyID = "venue-test-key"
    /// The credentials folder.
    let folder: URL
    /// The public key, for the simulator's registry.
    let publicPEM: String

    static let shared = Task { try await make() }

    private static func make() async throws -> VenueKeys {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("venue-keys-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("credentials/sim")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let pem = folder.appendingPathComponent(Credentials.privateKeyFile).path
        let pub = root.appendingPathComponent("public.pem").path
        try await openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", pem])
        try await openssl(["pkey", "-in", pem, "-pubout", "-out", pub])
        try Data("\(keyID)\n".utf8).write(to: folder.appendingPathComponent(Credentials.keyIDFile))
        for file in [Credentials.privateKeyFile, Credentials.keyIDFile] {
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: folder.appendingPathComponent(file).path)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder.path)
        return VenueKeys(folder: folder, publicPEM: try String(contentsOfFile: pub, encoding: .utf8))
    }

    /// The credentials, through the same loader the system uses.
    func credentials() throws -> Credentials { try Credentials.load(from: folder) }

    /// Runs `openssl` off the cooperative pool; throws with its output when it fails.
    static func openssl(_ arguments: [String]) async throws {
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
