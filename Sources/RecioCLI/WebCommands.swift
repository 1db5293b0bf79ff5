import ArgumentParser
import BusKit
import Foundation
import Web

/// `recio web`: the dashboard's login.
struct WebCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web", abstract: "Manage the web dashboard's login.", subcommands: [WebSetPasswordCommand.self])
}

/// `recio web set-password`: stores a salted scrypt hash of a new password (never the password).
struct WebSetPasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-password", abstract: "Set the dashboard password (needed to listen on a non-loopback address).",
        discussion: """
            Reads the password from standard input (twice when it is a terminal) and stores only its salted scrypt hash in \
            $RECIO_HOME/web/password (mode 0600), or in --file. The password is never printed or logged.
            """)

    @Option(help: "Where to store the hash (default $RECIO_HOME/web/password).")
    var file: String?

    func run() async throws {
        let path = file ?? WebPassword.defaultPath(home: ProcInfo.recioHome)
        let interactive = isatty(STDIN_FILENO) != 0
        guard let first = Self.read(prompt: interactive ? "New dashboard password: " : nil), !first.isEmpty else {
            throw WebCommandError("no password given")
        }
        guard first.count >= 8 else { throw WebCommandError("the password must have at least 8 characters") }
        if interactive {
            guard Self.read(prompt: "Again: ") == first else { throw WebCommandError("the passwords differ") }
        }
        do {
            try WebPassword.make(first).store(at: path)
        } catch {
            throw WebCommandError("\(error)")
        }
        print("stored the dashboard password hash in \(path)")
    }

    /// A line from standard input, without echo on a terminal.
    static func read(prompt: String?) -> String? {
        guard let prompt else { return readLine(strippingNewline: true) }
        return String(cString: getpass(prompt))
    }
}

/// A refusal of `recio web`: printed as `Error: <message>`, exit status 1. Never holds the password.
struct WebCommandError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
