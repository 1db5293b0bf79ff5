import ArgumentParser
import Backtest
import TradingBench
import BusTools
import Foundation

/// `recio bench`: performance figures measured against baselines in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure performance against baselines started in the same run.",
        discussion: "Build with -c release for real figures. See BENCHMARKS.md.",
        subcommands: [AllBenchCommand.self, BusBenchCommand.self, PipelineBenchCommand.self, StrikesBenchCommand.self, FleetBenchCommand.self,
                      BacktestBenchCommand.self, ShowBenchCommand.self, WorkerCommand.self])
}

/// Options every benchmark command shares.
struct BenchOptions: ParsableArguments {
    @Flag(help: "Print the report as JSON.") var json = false
    @Option(help: "Runs per figure; the median is reported.") var runs = 5
    @Option(help: "Also write the JSON report to this file.") var out: String?

    func context() -> BenchContext {
        var ctx = BenchContext(executable: selfExecutable())
        ctx.runs = max(runs, 1)
        ctx.log = { printError($0) }
        return ctx
    }

    /// Runs `benchmarks` and prints the report.
    func run(_ benchmarks: [any Benchmark]) async throws {
        guard !benchmarks.contains(where: { $0 is BusBench }) || FileManager.default.isExecutableFile(atPath: context().rawProxy) else {
            throw ValidationError("\(context().rawProxy) is missing: swift build -c release --product recio-raw-proxy")
        }
        let command = (["recio"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        let report = try await BenchSuite.run(benchmarks, context: context(), command: command)
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: try e.encode(report), as: UTF8.self)
        if let out { try text.write(toFile: out, atomically: true, encoding: .utf8) }
        print(json ? text : report.table(), terminator: json ? "\n" : "")
    }
}

/// Options of the bus benchmark.
struct BusBenchOptions: ParsableArguments {
    @Option(help: "Messages per throughput run.") var messages = 1_000_000
    @Option(help: "Measured round trips per latency run (after 1,000 warm-up).") var roundTrips = 10_000

    var bench: BusBench {
        var b = BusBench()
        b.messages = max(messages, 2)
        b.roundTrips = max(roundTrips, 1)
        return b
    }
}

/// `recio bench all`: every benchmark, one table.
struct AllBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "all", abstract: "Every benchmark in one table.")
    @OptionGroup var options: BenchOptions
    @OptionGroup var bus: BusBenchOptions
    @OptionGroup var fleet: FleetBenchOptions
    @Option(help: "The folder holding the shared data files for the backtest (default $RECIO_SHARED_DATA, else ../shared/data).")
    var data = BacktestBench.defaultFolder

    func run() async throws {
        try await options.run(BenchSuite.all(bus: bus.bench) + [
            PipelineBench(), StrikeTableBench(fingerprints: ModelCommand.defaultTables), fleet.bench, BacktestBench(folder: data),
        ])
    }
}

/// Options of the fleet benchmark.
struct FleetBenchOptions: ParsableArguments {
    @Option(help: "Minutes of trading on the simulator before memory is read (CPU is measured over the last one).")
    var fleetMinutes = 5.0
    @Option(help: "Times the fleet is started for the start-up figure.") var fleetStarts = 3

    var bench: FleetBench {
        var b = FleetBench()
        b.minutes = max(fleetMinutes, 0.1)
        b.startups = max(fleetStarts, 1)
        return b
    }
}

/// `recio bench fleet`: start-up, CPU and memory of the whole fleet as separate processes on `recio sim`.
struct FleetBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet", abstract: "Start-up time, idle CPU and memory of the whole fleet (recio up) trading on recio sim.")
    @OptionGroup var options: BenchOptions
    @OptionGroup var fleet: FleetBenchOptions

    func run() async throws { try await options.run([fleet.bench]) }
}

/// `recio bench pipeline`: tick → intent → order at the simulator over the whole fleet.
struct PipelineBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline", abstract: "Latency from a BTC tick to auto-entry's intent and to the order at the simulator (p50/p99).")
    @OptionGroup var options: BenchOptions
    @Option(help: "Measured decisions.") var decisions = 1_000
    @Option(help: "Least milliseconds between two ticks (Kalshi's Basic tier allows 10 orders a second).") var spacingMs = 150

    func run() async throws {
        var bench = PipelineBench()
        bench.decisions = max(decisions, 1)
        bench.spacing = .milliseconds(max(spacingMs, 0))
        try await options.run([bench])
    }
}

/// `recio bench strikes`: strike tables per second per model.
struct StrikesBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "strikes", abstract: "Strike tables (21 strikes) per second per core, each model.")
    @OptionGroup var options: BenchOptions
    @Option(help: "Fingerprint tables (default $RECIO_HOME/model/fingerprints.json; skipped when absent).")
    var fingerprints = ModelCommand.defaultTables

    func run() async throws { try await options.run([StrikeTableBench(fingerprints: fingerprints)]) }
}

/// `recio bench bus`: bus throughput and latency against a raw libzmq proxy.
struct BusBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bus", abstract: "Bus throughput and round trips: raw libzmq proxy vs the broker vs the plugin kit.")
    @OptionGroup var options: BenchOptions
    @OptionGroup var bus: BusBenchOptions

    func run() async throws { try await options.run([bus.bench]) }
}

/// `recio bench show`: prints a saved JSON report as a table.
struct ShowBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a saved JSON report (--out) as a table.")
    @Argument(help: "The JSON report.") var file: String
    @Flag(help: "Print a Markdown table.") var markdown = false

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
        let report = try JSONDecoder().decode(BenchReport.self, from: data)
        print(report.table(markdown: markdown), terminator: "")
    }
}

/// `recio bench worker`: the processes a benchmark starts (internal).
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker", abstract: "A benchmark process (internal).", shouldDisplay: false)

    @Argument(help: "pub, sub, ping, echo or guard.") var role: String
    @Option var mode = "raw"
    @Option var frontend = ""
    @Option var backend = ""
    @Option var brokerFrontend = ""
    @Option var brokerBackend = ""
    @Option var identifiedFrontend = ""
    @Option var identifiedBackend = ""
    @Option var control = ""
    @Option var count = 0
    @Option var size = 64
    @Option var warmUp = 1000
    @Option var parent: Int32 = 0
    @Option(help: "guard: seconds between forwarding SIGTERM and SIGKILL.") var grace = 5.0
    @Argument(parsing: .postTerminator, help: "guard: the command to run.") var command: [String] = []

    func run() async throws {
        switch (role, mode) {
        case ("guard", _): throw ExitCode(BenchGuard.run(command, parent: parent, graceSeconds: grace))
        case ("pub", "raw"): try BenchWorker.rawPublish(frontend: frontend, control: control, count: count, size: size)
        case ("pub", "envelope"): try await BenchWorker.envelopePublish(frontend: frontend, backend: backend, control: control, count: count)
        case ("sub", "raw"): try emit(BenchWorker.rawSubscribe(backend: backend, control: control, count: count))
        case ("sub", "envelope"): try emit(await BenchWorker.envelopeSubscribe(frontend: frontend, backend: backend, control: control, count: count))
        case ("pub", "identified"):
            try await BenchWorker.envelopePublish(frontend: frontend, backend: backend, control: control, count: count, identities: true)
        case ("sub", "identified"):
            try emit(await BenchWorker.envelopeSubscribe(frontend: frontend, backend: backend, control: control, count: count, identities: true))
        case ("ping", _):
            let identified = identifiedFrontend.isEmpty ? nil : (identifiedFrontend, identifiedBackend)
            try emit(await BenchPing.run(raw: (frontend, backend), broker: (brokerFrontend, brokerBackend), identified: identified,
                                         roundTrips: count, warmUp: warmUp))
        case ("echo", _): try BenchPing.rawEcho(frontend: frontend, backend: backend)
        default: throw ValidationError("unknown worker \(role) --mode \(mode)")
        }
    }

    private func emit(_ value: some Encodable) throws {
        print(String(decoding: try JSONEncoder().encode(value), as: UTF8.self))
    }
}
