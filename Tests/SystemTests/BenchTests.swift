import BusTestSupport
import BusTools
import Foundation
import Launcher
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("recio bench: figures, targets and child processes")
struct BenchTests {
    @Test("quantiles and medians use nearest rank")
    func statistics() {
        let xs = (1...100).map(Double.init)
        #expect(quantile(xs, 0.5) == 50)
        #expect(quantile(xs, 0.99) == 99)
        #expect(quantile(xs, 1) == 100)
        #expect(quantile([], 0.5) == 0)
        #expect(median([3, 1, 2]) == 2)
        #expect(median([4, 1, 3, 2]) == 2)
    }

    @Test("a figure's ratio and target come from its median and its baseline")
    func targets() {
        let fast = BenchFigure(name: "broker", runs: [90, 100, 95], unit: "msg/s", baseline: 100, target: .atLeastTimesBaseline(0.9))
        #expect(fast.value == 95 && fast.ratio == 0.95 && fast.pass == true && fast.target == ">= 0.9 x raw")
        let slow = BenchFigure(name: "rtt", runs: [160], unit: "us", baseline: 100, target: .atMostTimesBaseline(1.5))
        #expect(slow.pass == false)
        let plain = BenchFigure(name: "raw", runs: [1], unit: "msg/s")
        #expect(plain.pass == nil && plain.ratio == nil)
    }

    @Test("recio bench bus measures every path end to end, in separate processes, with nothing lost")
    func endToEnd() async throws {
        let recio = try #require(Processes.recio)
        let dir = Processes.tempDir("bench-test")
        let out = dir + "/report.json"
        let r = try await Processes.run([recio, "bench", "bus", "--json", "--runs", "1", "--messages", "2000", "--round-trips", "100", "--out", out])
        #expect(r.status == 0, "\(r.output)")
        let data = try #require(FileManager.default.contents(atPath: out))
        let report = try JSONDecoder().decode(BenchReport.self, from: data)
        #expect(report.figures.map(\.name) == [
            "raw proxy throughput", "broker throughput", "envelope throughput", "envelope throughput, identities on",
            "raw proxy RTT p50", "raw proxy RTT p99",
            "broker RTT p50", "broker RTT p99", "envelope RTT p50", "envelope RTT p99", "envelope RTT p50, identities on",
        ])
        #expect(report.figures.allSatisfy { $0.value > 0 && $0.runs.count == 1 })
        #expect(report.figures.filter { $0.target != nil }.count == 4)
        #expect(report.machine.cores > 0)
    }

    @Test("a benchmark killed with SIGKILL leaves no process behind")
    func killedBenchmarkCleansUp() async throws {
        let recio = try #require(Processes.recio)
        let bench = try ChildProcess.spawn([recio, "bench", "bus", "--runs", "1", "--messages", "100000000"], environment: [:])
        defer { close(bench.output) }
        // Wait until the benchmark has started guarded children (each leads its own process group).
        var groups: [pid_t] = []
        for _ in 0..<1500 where groups.count < 2 {
            groups = children(of: bench.pid)
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(groups.count >= 2)
        kill(bench.pid, SIGKILL)
        let pid = bench.pid
        _ = try await offPool { var status: Int32 = 0; return waitpid(pid, &status, 0) }
        // Orphans are reparented, and may linger as zombies until their new parent reaps them: those count as gone.
        var alive: [pid_t] = []
        for _ in 0..<1500 {
            alive = processes().filter { groups.contains($0.group) && $0.state != "Z" }.map(\.pid)
            if alive.isEmpty { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(alive.isEmpty, "still running: \(alive)")
        for g in groups { kill(-g, SIGKILL) }
    }

    /// The children of `pid`: here, the guards, each leading a process group.
    private func children(of pid: pid_t) -> [pid_t] {
        processes().filter { $0.parent == pid && $0.state != "Z" }.map(\.pid)
    }

    /// Every process, from /proc/<pid>/stat.
    private func processes() -> [(pid: pid_t, state: Character, parent: pid_t, group: pid_t)] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { name in
            guard let p = pid_t(name), let stat = try? String(contentsOfFile: "/proc/\(p)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let f = stat[stat.index(after: close)...].split(separator: " ")
            guard f.count > 2, let state = f[0].first, let parent = pid_t(f[1]), let group = pid_t(f[2]) else { return nil }
            return (p, state, parent, group)
        }
    }
}
