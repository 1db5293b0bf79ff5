import BusKit
import BusWire
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One benchmark: a group of figures measured against baselines started in the same run.
///
/// `recio bench all` runs every benchmark in ``BenchSuite/all(bus:)``; adding a figure means adding a type that conforms
/// and listing it there.
public protocol Benchmark: Sendable {
    /// Short name, used by `recio bench <name>` and in logs.
    var name: String { get }
    /// Measures and returns the figures. Every process it starts must be stopped before it returns or throws.
    func run(_ context: BenchContext) async throws -> [BenchFigure]
}

/// What every benchmark gets: where the binaries are, how hard to try, where to log, who owns the child processes.
public struct BenchContext: Sendable {
    /// The `recio` executable (workers and the broker are started from it).
    public var executable: String
    /// The `recio-raw-proxy` executable.
    public var rawProxy: String
    /// Runs per figure; the median is reported.
    public var runs = 5
    /// Progress lines for a person (stderr).
    public var log: @Sendable (String) -> Void = { _ in }
    /// The child processes of this run.
    public let processes = BenchProcesses()

    /// A context for binaries living side by side in one build directory.
    public init(executable: String) {
        self.executable = executable
        let dir = executable.lastIndex(of: "/").map { String(executable[..<$0]) } ?? "."
        rawProxy = dir + "/recio-raw-proxy"
    }
}

/// What a figure must reach, relative to its baseline or absolute.
public enum BenchTarget: Sendable, Equatable {
    /// value ≥ ratio × baseline (throughput).
    case atLeastTimesBaseline(Double)
    /// value ≤ ratio × baseline (latency).
    case atMostTimesBaseline(Double)
    /// value ≥ an absolute figure.
    case atLeast(Double)
    /// value < an absolute figure.
    case below(Double)

    /// How the target reads in the table, e.g. `>= 0.9 x raw`.
    public func text(baselineName: String) -> String {
        switch self {
        case .atLeastTimesBaseline(let r): ">= \(r) x \(baselineName)"
        case .atMostTimesBaseline(let r): "<= \(r) x \(baselineName)"
        case .atLeast(let v): ">= \(BenchFigure.format(v))"
        case .below(let v): "< \(BenchFigure.format(v))"
        }
    }

    /// Whether `value` meets the target.
    public func isMet(value: Double, baseline: Double?) -> Bool {
        switch self {
        case .atLeastTimesBaseline(let r): baseline.map { value >= r * $0 } ?? false
        case .atMostTimesBaseline(let r): baseline.map { value <= r * $0 } ?? false
        case .atLeast(let v): value >= v
        case .below(let v): value < v
        }
    }
}

/// One line of the benchmark table.
public struct BenchFigure: Codable, Sendable {
    /// What was measured, e.g. `broker throughput`.
    public var name: String
    /// The reported value (the median over runs).
    public var value: Double
    /// Unit of `value`, e.g. `msg/s` or `us`.
    public var unit: String
    /// The baseline's value measured in the same run, if this figure has one.
    public var baseline: Double?
    /// `value / baseline`.
    public var ratio: Double?
    /// The target as text, e.g. `>= 0.9 x raw`.
    public var target: String?
    /// Whether the target is met; nil when the figure has no target.
    public var pass: Bool?
    /// Every run's value, in run order.
    public var runs: [Double]
    /// How it was measured, in a few words.
    public var note: String?

    /// A figure from its per-run values (the median is reported).
    public init(name: String, runs: [Double], unit: String, baseline: Double? = nil, baselineName: String = "raw",
                target: BenchTarget? = nil, note: String? = nil) {
        self.name = name
        self.runs = runs
        self.value = median(runs)
        self.unit = unit
        self.baseline = baseline
        self.ratio = baseline.flatMap { $0 > 0 ? median(runs) / $0 : nil }
        self.target = target?.text(baselineName: baselineName)
        self.pass = target?.isMet(value: median(runs), baseline: baseline)
        self.note = note
    }

    /// A number for a table: integers above 1000, two decimals below.
    public static func format(_ v: Double) -> String {
        if abs(v) >= 1000 { return String(Int(v.rounded())) }
        return String((v * 100).rounded() / 100)
    }
}

/// The median of `xs` (the lower middle for an even count); 0 for none.
public func median(_ xs: [Double]) -> Double {
    guard !xs.isEmpty else { return 0 }
    return xs.sorted()[(xs.count - 1) / 2]
}

/// The `q` quantile (0…1) of already sorted values, nearest-rank.
public func quantile(_ sorted: [Double], _ q: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let rank = Int((q * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
}

/// The whole result of `recio bench`: the machine, the command and every figure.
public struct BenchReport: Codable, Sendable {
    /// Where it ran.
    public var machine: MachineInfo
    /// The command line that produced it.
    public var command: String
    /// When it finished (RFC 3339, UTC).
    public var date: String
    /// Every figure, in table order.
    public var figures: [BenchFigure]

    /// A report of `figures` measured on this machine now.
    public init(command: String, figures: [BenchFigure]) {
        machine = .current()
        self.command = command
        date = String(SystemClock().now.description.prefix(19)) + "Z"
        self.figures = figures
    }
}

/// The machine a benchmark ran on.
public struct MachineInfo: Codable, Sendable {
    /// Online processors.
    public var cores: Int
    /// CPU model name from /proc/cpuinfo.
    public var cpu: String
    /// Kernel release (`uname -r`).
    public var kernel: String

    /// This machine.
    public static func current() -> MachineInfo {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }.map { String($0.drop { $0 == " " || $0 == "\t" }) } ?? "unknown"
        var u = utsname()
        uname(&u)
        let release = withUnsafeBytes(of: &u.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return MachineInfo(cores: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), cpu: model, kernel: release)
    }
}

/// Runs benchmarks one after the other and collects their figures.
public enum BenchSuite {
    /// Every benchmark `recio bench all` runs, in table order; a new figure group is added here.
    public static func all(bus: BusBench = BusBench()) -> [any Benchmark] { [bus] }

    /// Runs `benchmarks`; every child process is stopped afterwards, also when one fails.
    public static func run(_ benchmarks: [any Benchmark], context: BenchContext, command: String) async throws -> BenchReport {
        defer { context.processes.stopAll() }
        var figures: [BenchFigure] = []
        for b in benchmarks {
            context.log("== \(b.name)")
            figures += try await b.run(context)
        }
        return BenchReport(command: command, figures: figures)
    }
}
