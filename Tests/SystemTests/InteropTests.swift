import Broker
import BusKit
import BusTestSupport
import BusWire
import Launcher
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Interoperability with an independent pyzmq client")
struct InteropTests {
    static var pythonHasZMQ: Bool {
        (try? Processes.runBlocking(["python3", "-c", "import zmq"]))?.status == 0
    }

    @Test("a pyzmq script publishes to and subscribes from the broker", .enabled(if: pythonHasZMQ, "python3 with pyzmq is not installed (scripts/install-deps installs it)"))
    func pyzmq() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let bus = try broker.connect(as: "swift@test")
        defer { bus.close() }
        let fromPython = bus.subscribe([try TopicFilter(validating: "interop.py")])
        let script = String(#filePath.dropLast("InteropTests.swift".count)) + "interop_pyzmq.py"
        let python = Task { try await Processes.run(["python3", script, broker.broker.frontendEndpoint, broker.broker.backendEndpoint]) }
        let got = await fromPython.first(within: 30) { _ in true }
        let e = try #require(got)
        #expect(e.src == "py@local")
        #expect(e.type == "interop.hello")
        #expect(e.dataText.contains(#""price": "104250.55""#))
        // Answer until the script has seen it and exited.
        let answer = Task {
            for _ in 0..<3000 where !Task.isCancelled {
                try? bus.publish(try Topic(validating: "interop.swift"), type: "interop.reply", data: Array(#"{"reply":true}"#.utf8))
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        let result = try await python.value
        answer.cancel()
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("python got interop.swift swift@test"))
    }
}
