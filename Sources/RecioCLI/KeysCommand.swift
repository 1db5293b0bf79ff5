import ArgumentParser
import BusKit
import Foundation
import ZeroMQ

/// `recio keys`: the CURVE keys that encrypt and admit connections on non-loopback endpoints.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Make, list and allow the CURVE keys of the bus (non-loopback endpoints).",
        discussion: """
            The broker host needs `recio keys new broker`; every host needs `recio keys new client` (its plugins and tools \
            share it), the broker host's broker.public copied into its key folder, and its client.public allowed on the \
            broker host with `recio keys allow`.
            """,
        subcommands: [NewKeyCommand.self, ListKeysCommand.self, AllowKeyCommand.self], defaultSubcommand: ListKeysCommand.self)
}

/// `recio keys new broker|client`.
struct NewKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "new", abstract: "Make the broker's or this host's key pair.")
    @OptionGroup var bus: BusOptions
    @Argument(help: "broker or client") var which: String

    func run() async throws {
        guard ["broker", "client"].contains(which) else { throw ValidationError("expected broker or client, got '\(which)'") }
        let store = try bus.load().keyStore()
        let pair = try store.generate(which)
        print("\(which) key made in \(store.folder); public key:\n\(pair.publicKey)")
        if which == "client" { print("allow it on the broker host with: recio keys allow \(pair.publicKey) --name <host>") }
    }
}

/// `recio keys list`.
struct ListKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Show the public keys, the allow-list and the identities with their grants.")
    @OptionGroup var bus: BusOptions

    func run() async throws {
        let config = try bus.load()
        let store = config.keyStore()
        print("folder \(store.folder); CURVE \(config.bus.curveRequired ? "required" : "not required") by bus.conf (curve = \(config.bus.curve))")
        for name in ["broker", "client"] {
            print("\(name): \((try? store.key(at: store.folder + "/\(name).public")) ?? "none")")
        }
        let allowed = try store.allowed()
        print("allowed clients: \(allowed.isEmpty ? "none" : "")")
        for (name, key) in allowed.sorted(by: { $0.key < $1.key }) { print("  \(name)  \(key)") }
        let identities = config.identityStore()
        print("identities \(config.bus.identities ? "on" : "off") (bus.conf identities); credentials in \(identities.folder) (made by `recio up`):")
        for name in identities.names() {
            let grants = config.permissions.filters(for: name).map { $0.isEmpty ? "(all)" : $0 }
            print("  \(name)  publishes \(grants.joined(separator: " "))")
        }
    }
}

/// `recio keys allow KEY --name NAME`.
struct AllowKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "allow", abstract: "Add a client public key (or a .public file) to the broker's allow-list.")
    @OptionGroup var bus: BusOptions
    @Argument(help: "A Z85 public key, or a file holding one.") var key: String
    @Option(help: "A name for the client (its host).") var name: String

    func run() async throws {
        let store = try bus.load().keyStore()
        let text = CurveKeyPair.isKey(key) ? key : try store.key(at: key)
        try store.allow(text, as: name)
        print("allowed \(name); the broker reads the allow-list when it starts")
    }
}
