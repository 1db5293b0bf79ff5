public import BusTools
import BusKit
import BusWire
import Foundation
import Launcher
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `recio bench fleet`: the whole fleet as a user runs it — `recio sim` and `recio up` as separate processes.
///
/// Figures: start-up (spawning `recio up` until every plugin's heartbeat says `running`, taken `startups` times),
/// CPU of the fleet (launcher, broker and plugins) over the last minute of idle trading at real speed (one BTC tick
/// a second, auto-entry on), and the broker's and plugins' memory after `minutes` of it, as the sum of RSS (which
/// counts the pages every process shares — the one `recio` binary, libzmq, Foundation — once per process) and as
/// the sum of PSS (which counts each shared page once in all).
public struct FleetBench: Benchmark {
    public let name = "fleet"
    /// How long the last start runs before memory is read (CPU is measured over its last minute).
    public var minutes = 5.0
    /// How many times the fleet is started for the start-up figure (the last start is the long one).
    public var startups = 3

    public init() {}

    public func run(_ context: BenchContext) async throws -> [BenchFigure] {
        let work = makeTempDirectory("recio-bench-fleet")
        defer {
            if ProcessInfo.processInfo.environment["RECIO_BENCH_KEEP"] != nil { context.log("fleet: kept \(work)") } else {
                try? FileManager.default.removeItem(atPath: work)
            }
        }
        let setup = try await FleetSetup.make(in: work)
        let sim = try context.processes.spawn(
            [context.executable, "sim", "--port", "\(setup.simPort)", "--speed", "1", "--keys", setup.simKeys, "--seed", "5"],
            guardedBy: context.executable, environment: ["RECIO_HOME": setup.home])
        defer { context.processes.stop(sim) }
        try waitFor("recio sim listening", in: sim, seconds: 60)

        var startupSeconds: [Double] = []
        var cpu: [Double] = [], rss: [Double] = [], pss: [Double] = []
        var note = "", cpuNote = ""
        for attempt in 1...max(startups, 1) {
            let last = attempt == max(startups, 1)
            let watcher = try HeartbeatWatcher(bus: setup.busOptions, expected: FleetSetup.plugins)
            defer { watcher.close() }
            let start = ContinuousClock.now
            // `recio up` stops its processes one by one: it gets a minute before the guard kills it.
            let up = try context.processes.spawn([context.executable, "up", "--config", setup.config], guardedBy: context.executable,
                                                 environment: ["RECIO_HOME": setup.home], graceSeconds: 60)
            let files = RunFiles(home: setup.home, host: "local")
            defer { Self.stop(up, files: files, context) }
            guard let ready = await watcher.allRunning(within: .seconds(60)) else {
                throw BenchFailure("fleet: not every plugin reported running within 60 s; missing: \(watcher.missing.sorted().joined(separator: ", "))")
            }
            startupSeconds.append(seconds(ready - start))
            let order = watcher.firstRunning.sorted { $0.value < $1.value }.map { "\($0.key) \(Int(seconds($0.value - start) * 1000))" }
            context.log("fleet: start \(attempt): every plugin running after \(BenchFigure.format(startupSeconds.last! * 1000)) ms (ms: \(order.joined(separator: ", ")))")
            guard last else { continue }

            let settle = max(minutes * 60 - 60, 0)
            context.log("fleet: trading on the simulator at real speed for \(BenchFigure.format(minutes)) min")
            try await Task.sleep(for: .seconds(settle))
            let before = FleetSample(files: files), ticksBefore = watcher.ticks
            let window = min(60.0, minutes * 60)
            try await Task.sleep(for: .seconds(window))
            let after = FleetSample(files: files), ticks = watcher.ticks - ticksBefore
            guard !after.plugins.isEmpty else { throw BenchFailure("fleet: the launcher's status lists no plugins") }
            cpu.append(after.cpuPercent(since: before))
            let busiest = after.cpuByProcess(since: before).sorted { $0.value > $1.value }.prefix(4)
            cpuNote = busiest.map { "\($0.key) \(BenchFigure.format($0.value))" }.joined(separator: ", ")
            rss.append(Double(after.rssBytes) / 1_000_000)
            pss.append(Double(after.pssBytes) / 1_000_000)
            let biggest = after.plugins.max { $0.rss < $1.rss }
            note = "\(after.plugins.count) processes; PSS \(BenchFigure.format(pss[0])) MB; private \(BenchFigure.format(Double(after.privateBytes) / 1_000_000)) MB; largest \(biggest?.name ?? "-") "
                + "\(BenchFigure.format(Double(biggest?.rss ?? 0) / 1_000_000)) MB; launcher \(BenchFigure.format(Double(after.launcherRSS) / 1_000_000)) MB; "
                + "\(ticks) BTC ticks and \(watcher.intents) order intents seen"
        }
        return [
            BenchFigure(name: "fleet start-up", runs: startupSeconds.map { $0 * 1000 }, unit: "ms", target: .below(2000),
                        note: "recio up until every plugin's heartbeat says running (\(FleetSetup.plugins.count) plugins + broker)"),
            BenchFigure(name: "fleet CPU, idle trading", runs: cpu, unit: "% core", target: .below(5),
                        note: "launcher + broker + plugins over the last \(Int(min(60.0, minutes * 60))) s at 1 tick/s; most: \(cpuNote)"),
            BenchFigure(name: "fleet memory after \(BenchFigure.format(minutes)) min", runs: rss, unit: "MB RSS", target: .below(150), note: note),
            BenchFigure(name: "fleet memory, shared pages once (PSS)", runs: pss, unit: "MB PSS", target: .below(150),
                        note: "the same processes; each page shared by n processes counts 1/n in each"),
        ]
    }

    /// Stops `recio up` and waits until every process it ran has exited (killing stragglers after 30 s), so that the
    /// next start meets no leftover broker or plugin.
    private static func stop(_ up: ChildProcess, files: RunFiles, _ context: BenchContext) {
        var pids = Dictionary((files.readStatus()?.plugins ?? []).compactMap { p in p.pid.map { ($0, p.name) } }) { a, _ in a }
        if let launcher = files.livePid() { pids[launcher] = "launcher" }
        let start = ContinuousClock.now
        context.processes.stop(up, graceSeconds: 65)
        while pids.keys.contains(where: { RunFiles.isRunning(pid: $0) }) {
            if ContinuousClock.now - start > .seconds(30) {
                let left = pids.filter { RunFiles.isRunning(pid: $0.key) }
                for pid in left.keys { kill(pid, SIGKILL) }
                context.log("fleet: still running 30 s after SIGTERM, killed: \(left.values.sorted().joined(separator: ", "))")
                break
            }
            usleep(20_000)
        }
        context.log("fleet: stopped in \(Int((ContinuousClock.now - start).components.seconds)) s")
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// Counts heartbeats, ticks and intents on the fleet's bus.
final class HeartbeatWatcher: Sendable {
    private let bus: ZMQBus
    private final class Tally: Sendable {
        let m = Mutex<(running: Set<String>, first: [String: ContinuousClock.Instant], complete: ContinuousClock.Instant?, ticks: Int,
                       intents: Int)>(([], [:], nil, 0, 0))
    }
    private let tally = Tally()
    private let expected: Set<String>
    private let reader: Task<Void, Never>

    init(bus options: ZMQBus.Options, expected: Set<String>) throws {
        let bus = try ZMQBus(source: "bench@fleet", options: options, clock: SystemClock())
        self.bus = bus
        self.expected = expected
        let state = tally
        reader = Task {
            for await e in bus.subscribe([.heartbeats, TopicFilter(Topic.btcTick), .orderIntents]) {
                if e.topic == Topic.btcTick.rawValue { state.m.withLock { $0.ticks += 1 }; continue }
                if e.topic.hasPrefix("order.intent.") { state.m.withLock { $0.intents += 1 }; continue }
                guard let beat = try? e.decode(Heartbeat.self) else { continue }
                state.m.withLock { s in
                    if beat.state == .running {
                        s.running.insert(beat.plugin)
                        if s.first[beat.plugin] == nil { s.first[beat.plugin] = .now }
                    } else if beat.state != .degraded { s.running.remove(beat.plugin) }
                    if s.complete == nil && expected.isSubset(of: s.running) { s.complete = .now }
                }
            }
        }
    }

    /// The plugins that have not said `running` yet.
    var missing: Set<String> { expected.subtracting(tally.m.withLock { $0.running }) }
    var ticks: Int { tally.m.withLock { $0.ticks } }
    var intents: Int { tally.m.withLock { $0.intents } }

    /// When each plugin first said `running`.
    var firstRunning: [String: ContinuousClock.Instant] { tally.m.withLock { $0.first } }

    /// When the last expected plugin said `running` (as the heartbeat arrived here), or nil after `limit`.
    func allRunning(within limit: Duration) async -> ContinuousClock.Instant? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let done = tally.m.withLock({ $0.complete }) { return done }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    func close() {
        reader.cancel()
        bus.close(flushSeconds: 0)
    }
}
