import BusTestSupport
import Foundation
import KalshiSim
import NIOHTTP1
import Testing
import _CryptoExtras

/// Runs a command to completion off the cooperative pool; returns its exit status and output.
func runProcess(_ arguments: [String]) async throws -> (status: Int32, output: String) {
    try await offPool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// True when Kalshi's official Python client, version 3.34.0 (the one the conformance script is written for), can be
/// imported.
func pythonClientAvailable() async -> Bool {
    let r = try? await runProcess(["python3", "-c", "import importlib.metadata as m; assert m.version('kalshi-python-sync') == '3.34.0'"])
    if r?.status != 0 {
        print("skipping: kalshi-python-sync 3.34.0 is not installed (./scripts/install-deps, or pip install --ignore-requires-python kalshi-python-sync==3.34.0)")
    }
    return r?.status == 0
}

@Suite struct ConformanceTests {
    @Test(.enabled("needs kalshi-python-sync") { await pythonClientAvailable() })
    func officialPythonClientReadsAndTradesOnTheSimulator() async throws {
        try await withSim(makers: true, realTime: true) { sim in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kalshi-sim-\(sim.port)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let keyPath = dir.appendingPathComponent("key.pem").path
            try sim.key.pemRepresentation.write(toFile: keyPath, atomically: true, encoding: .utf8)
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Conformance/kalshi_python_conformance.py").path
            let r = try await runProcess(["python3", script, sim.base + "/trade-api/v2", sim.keyID, keyPath])
            #expect(r.status == 0, "\(r.output)")
            #expect(r.output.contains("ok balance (100000)"), "\(r.output)")
            #expect(r.output.contains("ok market carries its shard (2)"), "\(r.output)")
            #expect(r.output.contains("ok cancel routed by ticker (2.00)"), "\(r.output)")
            #expect(r.output.contains("ok a wrong key is refused (401)"), "\(r.output)")
        }
    }
}
