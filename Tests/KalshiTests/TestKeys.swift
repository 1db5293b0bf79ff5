import BusTestSupport
import Foundation

/// RSA test keys generated at test time with `openssl` (never committed), in both PEM formats.
struct TestKeys: Sendable {
    let folder: URL
    let pkcs1PEM: String
    let pkcs8PEM: String
    let publicPEM: String

    /// One key pair per test process.
    static let shared = Task { try await generate() }

    static func generate() async throws -> TestKeys {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kalshi-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let p = folder.path
        try await sh(["openssl", "genrsa", "-out", "\(p)/raw.pem", "2048"])
        try await sh(["openssl", "rsa", "-in", "\(p)/raw.pem", "-traditional", "-out", "\(p)/pkcs1.pem"])
        try await sh(["openssl", "pkcs8", "-topk8", "-nocrypt", "-in", "\(p)/raw.pem", "-out", "\(p)/pkcs8.pem"])
        try await sh(["openssl", "rsa", "-in", "\(p)/raw.pem", "-pubout", "-out", "\(p)/public.pem"])
        func read(_ name: String) throws -> String { try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) }
        return TestKeys(folder: folder, pkcs1PEM: try read("pkcs1.pem"), pkcs8PEM: try read("pkcs8.pem"), publicPEM: try read("public.pem"))
    }

    /// Runs a command off the cooperative pool; throws when it fails.
    @discardableResult
    static func sh(_ arguments: [String], stdin: String? = nil) async throws -> String {
        let result = try await run(arguments, stdin: stdin)
        guard result.status == 0 else { throw ShellError(command: arguments.joined(separator: " "), output: result.output) }
        return result.output
    }

    /// Runs a command off the cooperative pool and returns its status and combined output.
    static func run(_ arguments: [String], stdin: String? = nil) async throws -> (status: Int32, output: String) {
        try await offPool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            let input = Pipe()
            process.standardInput = input
            try process.run()
            if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
            try input.fileHandleForWriting.close()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }

    /// True when `command` can be run.
    static func available(_ command: String) async -> Bool {
        (try? await run(["sh", "-c", "command -v \(command)"]).status) == 0
    }
}

struct ShellError: Error, CustomStringConvertible {
    let command: String
    let output: String
    var description: String { "`\(command)` failed: \(output)" }
}
