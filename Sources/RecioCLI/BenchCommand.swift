import ArgumentParser
import BusTools
import Foundation

/// `recio bench`: performance figures measured against baselines in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure performance against baselines in the same run.",
        subcommands: [BusBenchCommand.self, AllBenchCommand.self, WorkerCommand.self])
}

/// Options shared by the benchmark commands.
struct BenchOptions: ParsableArguments {
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Messages per throughput run.") var messages = 1_000_000
    @Option(help: "Runs per throughput figure (the median is reported).") var runs = 3
    @Option(help: "Measured round trips per latency figure.") var roundTrips = 10_000

    func busBench() -> BusBench {
        let exe = selfExecutable()
        var bench = BusBench(executable: exe, rawProxy: String(exe[..<(exe.lastIndex(of: "/") ?? exe.startIndex)]) + "/recio-raw-proxy")
        bench.messages = messages
        bench.runs = runs
        bench.roundTrips = roundTrips
        bench.log = { printError($0) }
        return bench
    }

    func report(_ figures: [BenchFigure]) throws {
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try e.encode(figures), as: UTF8.self))
            return
        }
        let rows = [["FIGURE", "VALUE", "UNIT", "vs BASELINE", "TARGET", ""]] + figures.map { f in
            [f.name, f.value >= 1000 ? String(Int(f.value)) : String(round2(f.value)), f.unit,
             f.ratio.map { "\(round2($0)) x" } ?? "", f.target ?? "", f.pass.map { $0 ? "PASS" : "MISS" } ?? ""]
        }
        printTable(rows)
    }
}

struct BusBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bus", abstract: "Bus throughput and latency vs raw libzmq.")
    @OptionGroup var options: BenchOptions
    func run() async throws { try options.report(try await options.busBench().run()) }
}

struct AllBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "all", abstract: "Every benchmark in one table.")
    @OptionGroup var options: BenchOptions
    func run() async throws { try options.report(try await options.busBench().run()) }
}

/// The processes the bus benchmark starts.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker", abstract: "A benchmark process (internal).", shouldDisplay: false)

    @Argument var role: String
    @Option var mode = "raw"
    @Option var frontend: String
    @Option var backend: String
    @Option var control = ""
    @Option var count = 0
    @Option var size = 64

    func run() async throws {
        switch (role, mode) {
        case ("pub", "raw"): try BenchWorker.rawPublish(frontend: frontend, control: control, count: count, size: size)
        case ("pub", _): try await BenchWorker.envelopePublish(frontend: frontend, backend: backend, control: control, count: count)
        case ("sub", "raw"): try emit(BenchWorker.rawSubscribe(backend: backend, control: control, count: count))
        case ("sub", _): try emit(await BenchWorker.envelopeSubscribe(frontend: frontend, backend: backend, control: control, count: count))
        case ("echo", "raw"): try BenchWorker.rawEcho(frontend: frontend, backend: backend)
        case ("echo", _): try await BenchWorker.envelopeEcho(frontend: frontend, backend: backend)
        default: throw ValidationError("unknown worker \(role)")
        }
    }

    private func emit(_ r: BenchWorker.Result) throws {
        print(String(decoding: try JSONEncoder().encode(r), as: UTF8.self))
    }
}
