import BusKit
import BusWire
import Launcher
import ZeroMQ
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `recio bench bus`: throughput and round-trip latency through a raw C `zmq_proxy` and through the rec.io broker,
/// with raw frames and with full envelopes via the plugin kit, each in separate processes on loopback TCP,
/// measured in the same run so the ratios compare like with like.
public struct BusBench {
    public var executable: String
    public var rawProxy: String
    public var messages = 1_000_000
    public var runs = 3
    public var roundTrips = 10_000
    public var log: @Sendable (String) -> Void = { _ in }

    public init(executable: String, rawProxy: String) {
        self.executable = executable
        self.rawProxy = rawProxy
    }

    enum Proxy { case raw, broker }

    /// Runs every measurement and returns the figures with their ratios and targets.
    public func run() async throws -> [BenchFigure] {
        let raw = try await median { try await throughput(.raw, envelopes: false) }
        let broker = try await median { try await throughput(.broker, envelopes: false) }
        let envelope = try await median { try await throughput(.broker, envelopes: true) }
        let rawRTT = try await latency(.raw, envelopes: false)
        let brokerRTT = try await latency(.broker, envelopes: false)
        let envelopeRTT = try await latency(.broker, envelopes: true)
        return [
            BenchFigure(name: "raw proxy throughput", value: raw, unit: "msg/s"),
            BenchFigure(name: "broker throughput", value: broker, unit: "msg/s", baseline: raw, target: ">= 0.9 x raw", pass: broker >= 0.9 * raw),
            BenchFigure(name: "envelope throughput", value: envelope, unit: "msg/s", baseline: raw, target: ">= 0.25 x raw", pass: envelope >= 0.25 * raw),
            BenchFigure(name: "raw proxy RTT p50", value: rawRTT.p50, unit: "us"),
            BenchFigure(name: "raw proxy RTT p99", value: rawRTT.p99, unit: "us"),
            BenchFigure(name: "broker RTT p50", value: brokerRTT.p50, unit: "us", baseline: rawRTT.p50),
            BenchFigure(name: "broker RTT p99", value: brokerRTT.p99, unit: "us", baseline: rawRTT.p99, target: "<= 1.5 x raw", pass: brokerRTT.p99 <= 1.5 * rawRTT.p99),
            BenchFigure(name: "envelope RTT p50", value: envelopeRTT.p50, unit: "us", baseline: rawRTT.p50),
            BenchFigure(name: "envelope RTT p99", value: envelopeRTT.p99, unit: "us", baseline: rawRTT.p99),
        ]
    }

    private func median(_ body: () async throws -> Double) async throws -> Double {
        var xs: [Double] = []
        for _ in 0..<runs { xs.append(try await body()) }
        return xs.sorted()[xs.count / 2]
    }

    /// Starts a proxy on fresh ports; returns it with its endpoints.
    private func startProxy(_ kind: Proxy) throws -> (ChildProcess, String, String) {
        let f = freeLoopbackEndpoint(), b = freeLoopbackEndpoint()
        let child: ChildProcess
        switch kind {
        case .raw:
            child = try ChildProcess.spawn([rawProxy, f, b, "0"], environment: [:])
            try waitFor("ready", in: child)
        case .broker:
            let dir = makeTempDirectory("recio-bench")
            let conf = dir + "/bus.conf"
            let text = "[bus]\nfrontend = \(f)\nbackend = \(b)\nhigh_water_mark = 0\n"
            _ = FileManager.default.createFile(atPath: conf, contents: Data(text.utf8))
            child = try ChildProcess.spawn([executable, "broker", "--config", conf], environment: ["LOG_LEVEL": "info"])
            try waitFor("broker running", in: child)
        }
        return (child, f, b)
    }

    private func throughput(_ kind: Proxy, envelopes: Bool) async throws -> Double {
        let (proxy, f, b) = try startProxy(kind)
        defer { stop(proxy) }
        let control = freeLoopbackEndpoint()
        let mode = envelopes ? "envelope" : "raw"
        let common = ["--mode", mode, "--frontend", f, "--backend", b, "--control", control, "--count", "\(messages)"]
        let sub = try ChildProcess.spawn([executable, "bench", "worker", "sub"] + common, environment: [:])
        let pub = try ChildProcess.spawn([executable, "bench", "worker", "pub"] + common, environment: [:])
        defer { stop(pub) }
        let output = readAll(sub)
        _ = waitExit(sub)
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
            let result = try? JSONDecoder().decode(BenchWorker.Result.self, from: Data(line.utf8))
        else { throw ToolError("subscriber failed: \(output)") }
        guard result.received == messages else { throw ToolError("lost messages: \(result.received) of \(messages)") }
        log("  \(kind == .raw ? "raw proxy" : "broker") \(mode): \(Int(result.rate)) msg/s")
        return result.rate
    }

    private func latency(_ kind: Proxy, envelopes: Bool) async throws -> (p50: Double, p99: Double) {
        let (proxy, f, b) = try startProxy(kind)
        defer { stop(proxy) }
        let echo = try ChildProcess.spawn([executable, "bench", "worker", "echo", "--mode", envelopes ? "envelope" : "raw",
                                           "--frontend", f, "--backend", b], environment: [:])
        defer { stop(echo) }
        let samples = envelopes ? try await envelopePings(f, b) : try rawPings(f, b)
        let sorted = samples.sorted()
        let r = (sorted[sorted.count / 2], sorted[sorted.count * 99 / 100])
        log("  \(kind == .raw ? "raw proxy" : "broker") \(envelopes ? "envelope" : "raw") RTT: p50 \(Int(r.0)) us, p99 \(Int(r.1)) us")
        return r
    }

    private func rawPings(_ f: String, _ b: String) throws -> [Double] {
        let ctx = Context()
        let pub = try Socket(ctx, .pub), sub = try Socket(ctx, .sub)
        try sub.subscribe("bench.pong")
        try sub.set(.receiveTimeout, 5)
        try pub.connect(f)
        try sub.connect(b)
        let ping = Array("bench.ping".utf8), body = [UInt8](repeating: 1, count: 54)
        // Warm up until the path answers.
        var answered = false
        for _ in 0..<4000 where !answered {
            try pub.send(frames: [ping, body])
            answered = try sub.receiveFrames() != nil
        }
        guard answered else { throw ToolError("echo never answered") }
        try sub.set(.receiveTimeout, 2000)
        while try sub.receiveFrames(dontWait: true) != nil {}
        var samples: [Double] = []
        let clock = SystemClock()
        for i in 0..<(roundTrips + 1000) {
            let t0 = clock.now
            try pub.send(frames: [ping, body])
            guard try sub.receiveFrames() != nil else { throw ToolError("echo stopped answering") }
            if i >= 1000 { samples.append(Double(clock.now.microseconds - t0.microseconds)) }
        }
        return samples
    }

    private func envelopePings(_ f: String, _ b: String) async throws -> [Double] {
        let bus = try ZMQBus(source: "bench-ping@local", options: .init(frontend: f, backend: b))
        defer { bus.close(flushSeconds: 0) }
        let ping = try Topic(validating: "bench.ping")
        var replies = bus.subscribe([try TopicFilter(validating: "bench.pong")]).makeAsyncIterator()
        _ = await bus.waitUntilConnected(timeoutSeconds: 10)
        let pump = Task { for _ in 0..<4000 where !Task.isCancelled { try? bus.publish(ping, type: "warm", data: Array("{}".utf8)); try? await Task.sleep(for: .milliseconds(2)) } }
        _ = await replies.next()
        pump.cancel()
        _ = await pump.value
        try await Task.sleep(for: .milliseconds(50))
        var samples: [Double] = []
        let clock = SystemClock()
        var id = 0
        while samples.count < roundTrips {
            id += 1
            let t0 = clock.now
            try bus.publish(ping, type: "ping", data: Array(#"{"id":\#(id)}"#.utf8))
            while let e = await replies.next() { if e.type == "ping" && e.dataText == #"{"id":\#(id)}"# { break } }
            if id > 1000 { samples.append(Double(clock.now.microseconds - t0.microseconds)) }
        }
        return samples
    }

    private func stop(_ child: ChildProcess) {
        child.signal(SIGTERM)
        for _ in 0..<100 { if child.reap() != nil { close(child.output); return }; usleep(20_000) }
        child.signal(SIGKILL)
        _ = waitExit(child)
        close(child.output)
    }
}

/// One line of the benchmark table.
public struct BenchFigure: Codable, Sendable {
    public var name: String
    public var value: Double
    public var unit: String
    public var baseline: Double?
    public var ratio: Double?
    public var target: String?
    public var pass: Bool?

    public init(name: String, value: Double, unit: String, baseline: Double? = nil, target: String? = nil, pass: Bool? = nil) {
        self.name = name; self.value = value; self.unit = unit; self.baseline = baseline
        self.ratio = baseline.map { $0 > 0 ? value / $0 : 0 }
        self.target = target; self.pass = pass
    }
}
