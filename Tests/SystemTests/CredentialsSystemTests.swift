import Foundation
import Testing

/// `recio credentials` run as the built binary, against a fresh `RECIO_HOME`, with keys made by `openssl`.
@Suite("recio credentials with the real binary")
struct CredentialsSystemTests {
    let home = Processes.tempDir("recio-creds")
    var env: [String: String] { ["RECIO_HOME": home] }

    func recio(_ args: String...) async throws -> (status: Int32, output: String) {
        try await Processes.run([Processes.recio!] + args, environment: env)
    }

    /// A fresh 2048-bit key in PKCS#8 (`genpkey`) or PKCS#1 (`-traditional`) PEM; answers its path and text.
    func makeKey(_ name: String, pkcs1: Bool) async throws -> (path: String, pem: String) {
        let pkcs8 = home + "/\(name).pkcs8.pem", path = pkcs1 ? home + "/\(name).pkcs1.pem" : pkcs8
        let made = try await Processes.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", pkcs8])
        #expect(made.status == 0, "\(made.output)")
        if pkcs1 {
            let converted = try await Processes.run(["openssl", "rsa", "-in", pkcs8, "-traditional", "-out", path])
            #expect(converted.status == 0, "\(converted.output)")
        }
        return (path, try String(contentsOfFile: path, encoding: .utf8))
    }

    func mode(_ path: String) throws -> Int {
        ((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? NSNumber)?.intValue ?? -1
    }

    /// The base64 lines of a PEM, which must never appear in any output.
    func secretLines(_ pem: String) -> [String] {
        pem.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("-----") && $0.count > 20 }
    }

    @Test("add (PKCS#8 and PKCS#1), list, modes 0600/0700, replace; the key never appears in the output")
    func addAndList() async throws {
        guard Processes.recio != nil else { Issue.record("the recio binary is not built"); return }
        let demo = try await makeKey("demo", pkcs1: false)
        let sim = try await makeKey("sim", pkcs1: true)
        #expect(demo.pem.contains("BEGIN PRIVATE KEY") && sim.pem.contains("BEGIN RSA PRIVATE KEY"))

        let empty = try await recio("credentials", "list")
        #expect(empty.status == 0 && empty.output.contains("no credentials"))

        let added = try await recio("credentials", "add", "--mode", "demo", "--key-id", "demo-key-1", "--pem", demo.path)
        #expect(added.status == 0, "\(added.output)")
        #expect(added.output.contains("demo-key-1"))
        let addedSim = try await recio("credentials", "add", "--mode", "sim", "--key-id", "sim-key-1", "--pem", sim.path)
        #expect(addedSim.status == 0, "\(addedSim.output)")

        let folder = home + "/credentials/demo"
        #expect(try mode(folder) == 0o700)
        #expect(try mode(folder + "/key_id") == 0o600)
        #expect(try mode(folder + "/private_key.pem") == 0o600)
        #expect(try String(contentsOfFile: folder + "/key_id", encoding: .utf8) == "demo-key-1\n")
        #expect(try String(contentsOfFile: folder + "/private_key.pem", encoding: .utf8) == demo.pem)
        #expect(try mode(home + "/credentials/sim/private_key.pem") == 0o600)

        let listed = try await recio("credentials", "list")
        #expect(listed.status == 0, "\(listed.output)")
        let lines = listed.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("demo") && $0.contains("demo-key-1") && $0.hasSuffix("ok") })
        #expect(lines.contains { $0.hasPrefix("sim") && $0.contains("sim-key-1") && $0.hasSuffix("ok") })
        #expect(!lines.contains { $0.hasPrefix("prod") })

        // Replacing a mode's key keeps the modes tight.
        let replaced = try await recio("credentials", "add", "--mode", "demo", "--key-id", "demo-key-2", "--pem", sim.path)
        #expect(replaced.status == 0, "\(replaced.output)")
        #expect(try mode(folder + "/private_key.pem") == 0o600)
        #expect(try await recio("credentials", "list").output.contains("demo-key-2"))

        for output in [added.output, addedSim.output, listed.output, replaced.output] {
            #expect(!output.contains("PRIVATE KEY"))
            for line in secretLines(demo.pem) + secretLines(sim.pem) { #expect(!output.contains(line)) }
        }
    }

    @Test("a bad PEM, a public key, a bad mode and a missing file are refused, and nothing is stored")
    func refusals() async throws {
        guard Processes.recio != nil else { Issue.record("the recio binary is not built"); return }
        let garbage = home + "/garbage.pem"
        Processes.write(garbage, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")
        let bad = try await recio("credentials", "add", "--mode", "prod", "--key-id", "k", "--pem", garbage)
        #expect(bad.status != 0)
        #expect(bad.output.contains("neither an Ed25519 private key"))

        let key = try await makeKey("real", pkcs1: false)
        let publicPath = home + "/public.pem"
        #expect(try await Processes.run(["openssl", "pkey", "-in", key.path, "-pubout", "-out", publicPath]).status == 0)
        let publicKey = try await recio("credentials", "add", "--mode", "prod", "--key-id", "k", "--pem", publicPath)
        #expect(publicKey.status != 0 && publicKey.output.contains("neither an Ed25519 private key"))

        let badMode = try await recio("credentials", "add", "--mode", "live", "--key-id", "k", "--pem", key.path)
        #expect(badMode.status != 0 && badMode.output.contains("unknown mode"))
        let missing = try await recio("credentials", "add", "--mode", "prod", "--key-id", "k", "--pem", home + "/nope.pem")
        #expect(missing.status != 0 && missing.output.contains("cannot read"))
        let spaced = try await recio("credentials", "add", "--mode", "prod", "--key-id", "two words", "--pem", key.path)
        #expect(spaced.status != 0 && spaced.output.contains("key id"))

        #expect(!FileManager.default.fileExists(atPath: home + "/credentials/prod/private_key.pem"))
        for output in [bad.output, publicKey.output, badMode.output, spaced.output] {
            for line in secretLines(key.pem) { #expect(!output.contains(line)) }
        }
    }

    @Test("loose permissions on stored files are refused with the chmod that fixes them")
    func loosePermissions() async throws {
        guard Processes.recio != nil else { Issue.record("the recio binary is not built"); return }
        let key = try await makeKey("loose", pkcs1: true)
        #expect(try await recio("credentials", "add", "--mode", "prod", "--key-id", "prod-key", "--pem", key.path).status == 0)
        let pem = home + "/credentials/prod/private_key.pem"
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: pem)
        let listed = try await recio("credentials", "list")
        #expect(listed.status == 1)
        #expect(listed.output.contains("refused"))
        #expect(listed.output.contains("chmod 600 \(pem)"))
        for line in secretLines(key.pem) { #expect(!listed.output.contains(line)) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pem)
        #expect(try await recio("credentials", "list").status == 0)
    }
}
