import ArgumentParser
import BusKit
import Foundation
import Kalshi

/// `recio credentials`: the Kalshi API keys, one per mode, under `$RECIO_HOME/credentials/<mode>/`.
struct CredentialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials", abstract: "Store and list Kalshi API keys (demo, prod, sim).",
        subcommands: [CredentialsAddCommand.self, CredentialsListCommand.self])
}

/// A refusal of `recio credentials`: printed as `Error: <message>`, exit status 1. Never holds a key.
struct CredentialsError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// The data folder's credentials of `mode`.
private func credentialsFolder(_ mode: String) -> URL {
    Credentials.folder(home: URL(fileURLWithPath: ProcInfo.recioHome), mode: mode)
}

/// `recio credentials add --mode M --key-id ID --pem FILE`: validates and stores a key. Never prints it.
struct CredentialsAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Validate an RSA or Ed25519 private key and store it with its key id for a mode.",
        discussion: """
            The key (RSA: PKCS#1 or PKCS#8 PEM; Ed25519: PKCS#8 PEM; the kind is read from the PEM) and its id are stored as $RECIO_HOME/credentials/<mode>/private_key.pem \
            and key_id, mode 0600, in a folder of mode 0700. An existing key for the mode is replaced. \
            The key is never printed.
            """)

    @Option(help: "Which environment the key is for: \(Credentials.modes.joined(separator: ", ")).")
    var mode: String

    @Option(name: .customLong("key-id"), help: "The API key id Kalshi shows for the key.")
    var keyID: String

    @Option(help: "The private key file (PEM) Kalshi gave you.")
    var pem: String

    func validate() throws {
        guard Credentials.modes.contains(mode) else {
            throw ValidationError("unknown mode '\(mode)'; use one of \(Credentials.modes.joined(separator: ", "))")
        }
    }

    func run() async throws {
        let text: String
        do { text = try String(contentsOfFile: pem, encoding: .utf8) } catch {
            throw CredentialsError("cannot read \(pem)")
        }
        let folder = credentialsFolder(mode)
        do {
            let stored = try Credentials.store(keyID: keyID, privateKeyPEM: text, in: folder)
            print("stored \(mode) credentials for key id \(stored.keyID) in \(folder.path)")
        } catch let error as KalshiError {
            throw CredentialsError("\(pem): \(error.message)")
        }
    }
}

/// `recio credentials list`: each mode's key id and whether its files are usable. Never prints a key.
struct CredentialsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show the stored modes and their key ids (never the keys).",
        discussion: "Exits 1 when stored credentials cannot be used (loose permissions, a bad key), saying why.")

    func run() async throws {
        var refused = false
        var rows: [(String, String, String)] = []
        for mode in Credentials.modes {
            let folder = credentialsFolder(mode)
            guard FileManager.default.fileExists(atPath: folder.path) else { continue }
            do {
                let credentials = try Credentials.load(from: folder)
                rows.append((mode, credentials.keyID, "ok"))
            } catch let error as KalshiError {
                refused = true
                rows.append((mode, "-", "refused: \(error.message)"))
            }
        }
        guard !rows.isEmpty else {
            print("no credentials in \(ProcInfo.recioHome)/credentials; add some with `recio credentials add --mode demo --key-id ID --pem FILE`")
            return
        }
        let width = max(6, rows.map(\.1.count).max() ?? 0)
        print("MODE  " + "KEY ID".padding(toLength: width, withPad: " ", startingAt: 0) + "  STATUS")
        for (mode, id, status) in rows {
            print(mode.padding(toLength: 4, withPad: " ", startingAt: 0) + "  " + id.padding(toLength: width, withPad: " ", startingAt: 0)
                + "  " + status)
        }
        if refused { throw ExitCode(1) }
    }
}
