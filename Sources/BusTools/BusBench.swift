import BusKit
import Launcher
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `recio bench bus`: throughput and round-trip latency through a plain C `zmq_proxy` (the baseline) and through the
/// rec.io broker, with raw frames and with full envelopes via the plugin kit.
///
/// Every figure comes from separate processes on loopback TCP (proxy, publisher, subscriber; or proxy, pinger,
/// echoer), all started fresh for each measurement, with unbounded high-water marks everywhere so nothing is dropped
/// (each throughput run checks that every message arrived, in order). Runs are interleaved (raw, broker, envelope,
/// raw, …) so slow drift on a shared machine hits every path alike; each figure is the median over the runs.
public struct BusBench: Benchmark {
    /// `bus`.
    public var name: String { "bus" }
    /// Messages per throughput measurement.
    public var messages = 1_000_000
    /// Bytes per raw message, topic frame included.
    public var messageSize = 64
    /// Measured round trips per latency measurement.
    public var roundTrips = 10_000
    /// Round trips discarded before measuring.
    public var warmUp = 1_000

    /// The defaults: 1,000,000 messages of 64 bytes; 10,000 round trips after 1,000 warm-up.
    public init() {}

    enum Path: String { case raw = "raw proxy", broker = "broker", envelope = "envelope", identified = "envelope with identities" }

    /// Measures every path `ctx.runs` times, interleaved, and returns the medians with their ratios to the raw proxy.
    public func run(_ ctx: BenchContext) async throws -> [BenchFigure] {
        var rate: [Path: [Double]] = [:], rtt: [Path: [BenchPing.Result]] = [:]
        var envelopeBytes = 0
        for r in 1...max(ctx.runs, 1) {
            for path in [Path.raw, .broker, .envelope, .identified] {
                let t = try throughput(path, ctx)
                rate[path, default: []].append(t.rate)
                if path == .envelope { envelopeBytes = t.messageBytes }
                ctx.log("run \(r): \(path.rawValue) throughput \(Int(t.rate)) msg/s (\(t.received) of \(t.expected), \(t.messageBytes) B)")
            }
            let l = try latency(ctx)
            for (path, p) in [(Path.raw, l.raw), (.broker, l.broker), (.envelope, l.envelope), (.identified, l.identified ?? l.envelope)] {
                rtt[path, default: []].append(p)
                ctx.log("run \(r): \(path.rawValue) RTT p50 \(Int(p.p50)) us, p99 \(Int(p.p99)) us (\(p.count) round trips)")
            }
        }
        let raw = median(rate[.raw]!), rawP50 = median(rtt[.raw]!.map(\.p50)), rawP99 = median(rtt[.raw]!.map(\.p99))
        let runs = "median of \(ctx.runs)"
        return [
            BenchFigure(name: "raw proxy throughput", runs: rate[.raw]!, unit: "msg/s",
                        note: "C zmq_proxy, \(messages) x \(messageSize) B, \(runs)"),
            BenchFigure(name: "broker throughput", runs: rate[.broker]!, unit: "msg/s", baseline: raw,
                        target: .atLeastTimesBaseline(0.9), note: "recio broker, raw frames, \(runs)"),
            BenchFigure(name: "envelope throughput", runs: rate[.envelope]!, unit: "msg/s", baseline: raw,
                        target: .atLeastTimesBaseline(0.25), note: "ZMQBus publish -> broker -> ZMQBus subscribe, \(envelopeBytes) B envelopes, \(runs)"),
            BenchFigure(name: "envelope throughput, identities on", runs: rate[.identified]!, unit: "msg/s", baseline: median(rate[.envelope]!),
                        note: "the envelope path with PLAIN, the User-Id, src and grant checked per message; ratio to identities off, \(runs)"),
            BenchFigure(name: "raw proxy RTT p50", runs: rtt[.raw]!.map(\.p50), unit: "us",
                        note: "\(roundTrips) round trips per path, paths alternating in blocks of 500, \(runs)"),
            BenchFigure(name: "raw proxy RTT p99", runs: rtt[.raw]!.map(\.p99), unit: "us", note: "\(roundTrips) round trips, \(runs)"),
            BenchFigure(name: "broker RTT p50", runs: rtt[.broker]!.map(\.p50), unit: "us", baseline: rawP50, note: "raw frames"),
            BenchFigure(name: "broker RTT p99", runs: rtt[.broker]!.map(\.p99), unit: "us", baseline: rawP99,
                        target: .atMostTimesBaseline(1.5), note: "raw frames"),
            BenchFigure(name: "envelope RTT p50", runs: rtt[.envelope]!.map(\.p50), unit: "us", baseline: rawP50,
                        note: "typed Ping to the Pong plugin through the broker, via the kit"),
            BenchFigure(name: "envelope RTT p99", runs: rtt[.envelope]!.map(\.p99), unit: "us", baseline: rawP99,
                        note: "typed Ping to the Pong plugin through the broker, via the kit"),
            BenchFigure(name: "envelope RTT p50, identities on", runs: rtt[.identified]!.map(\.p50), unit: "us",
                        baseline: median(rtt[.envelope]!.map(\.p50)), target: .atMostTimesBaseline(1.15),
                        note: "the same through a broker with identities on; ratio to identities off"),
        ]
    }

    /// A proxy process on fresh loopback ports.
    struct Proxy {
        let child: ChildProcess
        let frontend: String, backend: String
        /// The generated bus.conf (broker only).
        let config: String?
        /// The folder of a generated bus.conf, the broker's `$RECIO_HOME`.
        static func home(_ conf: String) -> String { String(conf[..<conf.lastIndex(of: "/")!]) }
    }

    private func startProxy(_ path: Path, _ ctx: BenchContext) throws -> Proxy {
        let f = freeLoopbackEndpoint(), b = freeLoopbackEndpoint()
        if path == .raw {
            let child = try ctx.processes.spawn([ctx.rawProxy, f, b, "0"], guardedBy: ctx.executable)
            do { try waitFor("ready", in: child) } catch { ctx.processes.stop(child); throw error }
            return Proxy(child: child, frontend: f, backend: b, config: nil)
        }
        let conf = makeTempDirectory("recio-bench") + "/bus.conf"
        // Identities only on the path that measures them; the others compare the broker with raw libzmq as before.
        // The folder is the broker's $RECIO_HOME, where its workers find their credentials.
        let identities = path == .identified ? "on" : "off"
        try writeTextFile(conf, "[bus]\nfrontend = \(f)\nbackend = \(b)\nhigh_water_mark = 0\nidentities = \(identities)\n\n[plugin.pong]\nenabled = true\n")
        let child = try ctx.processes.spawn([ctx.executable, "broker", "--config", conf], guardedBy: ctx.executable,
                                            environment: ["LOG_LEVEL": "info", "RECIO_HOME": Proxy.home(conf)])
        do { try waitFor("broker running", in: child) } catch { stopProxy(Proxy(child: child, frontend: f, backend: b, config: conf), ctx); throw error }
        return Proxy(child: child, frontend: f, backend: b, config: conf)
    }

    private func stopProxy(_ p: Proxy, _ ctx: BenchContext) {
        ctx.processes.stop(p.child)
        if let conf = p.config { try? FileManager.default.removeItem(atPath: Proxy.home(conf)) }
    }

    private func throughput(_ path: Path, _ ctx: BenchContext) throws -> BenchWorker.Result {
        let proxy = try startProxy(path, ctx)
        defer { stopProxy(proxy, ctx) }
        let mode = path == .envelope ? "envelope" : path == .identified ? "identified" : "raw"
        let env = proxy.config.map { ["RECIO_HOME": Proxy.home($0)] } ?? [:]
        let args = ["--mode", mode, "--frontend", proxy.frontend, "--backend", proxy.backend,
                    "--control", freeLoopbackEndpoint(), "--count", "\(messages)", "--size", "\(messageSize)"]
        let sub = try ctx.processes.spawn([ctx.executable, "bench", "worker", "sub"] + args, guardedBy: ctx.executable, environment: env)
        defer { ctx.processes.stop(sub) }
        let pub = try ctx.processes.spawn([ctx.executable, "bench", "worker", "pub"] + args, guardedBy: ctx.executable, environment: env)
        defer { ctx.processes.stop(pub) }
        let result: BenchWorker.Result = try collect(sub, seconds: 60 + Double(messages) / 20_000, what: "\(path.rawValue) subscriber") {
            readOutput(pub, until: monotonicSeconds() + 0.5).text
        }
        guard result.complete else {
            throw ToolError("\(path.rawValue): \(result.received) of \(result.expected) messages arrived, "
                + "\(result.sequenceErrors) out of sequence, \(result.kitLosses) lost in the kit")
        }
        return result
    }

    /// One latency run: both proxies, their echoers (raw echo workers and the Pong plugin) and one pinger that
    /// alternates between the three paths in blocks.
    private func latency(_ ctx: BenchContext) throws -> BenchPing.Results {
        let raw = try startProxy(.raw, ctx)
        defer { stopProxy(raw, ctx) }
        let broker = try startProxy(.broker, ctx)
        defer { stopProxy(broker, ctx) }
        let identified = try startProxy(.identified, ctx)
        defer { stopProxy(identified, ctx) }
        let home = Proxy.home(identified.config!)
        let echoes: [([String], [String: String])] = [
            ([ctx.executable, "bench", "worker", "echo", "--frontend", raw.frontend, "--backend", raw.backend], [:]),
            ([ctx.executable, "bench", "worker", "echo", "--frontend", broker.frontend, "--backend", broker.backend], [:]),
            ([ctx.executable, "plugin", "pong", "--config", broker.config!], [:]),
            ([ctx.executable, "plugin", "pong", "--config", identified.config!], ["RECIO_HOME": home]),
        ]
        var started: [ChildProcess] = []
        defer { for c in started { ctx.processes.stop(c) } }
        for (e, env) in echoes {
            started.append(try ctx.processes.spawn(e, guardedBy: ctx.executable, environment: env.merging(["LOG_LEVEL": "warning"]) { a, _ in a }))
        }
        let ping = try ctx.processes.spawn(
            [ctx.executable, "bench", "worker", "ping", "--count", "\(roundTrips)", "--warm-up", "\(warmUp)",
             "--frontend", raw.frontend, "--backend", raw.backend, "--broker-frontend", broker.frontend, "--broker-backend", broker.backend,
             "--identified-frontend", identified.frontend, "--identified-backend", identified.backend],
            guardedBy: ctx.executable, environment: ["RECIO_HOME": home])
        started.append(ping)
        return try collect(ping, seconds: 60 + Double(roundTrips + warmUp) / 200, what: "pinger") {
            started.dropLast().map { readOutput($0, until: monotonicSeconds() + 0.2).text }.joined(separator: " | ")
        }
    }

    /// Waits for `child` to finish and decodes the JSON line it printed last; on failure says what it and `other` said.
    private func collect<R: Decodable>(_ child: ChildProcess, seconds: Double, what: String, other: () -> String) throws -> R {
        let (text, eof) = readOutput(child, until: monotonicSeconds() + seconds)
        guard eof else { throw ToolError("the \(what) did not finish within \(Int(seconds)) s: \(text.suffix(1000)) | \(other().suffix(1000))") }
        guard let line = text.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
            let r = try? JSONDecoder().decode(R.self, from: Data(line.utf8))
        else { throw ToolError("the \(what) failed: \(text.suffix(2000)) | \(other().suffix(1000))") }
        return r
    }
}
