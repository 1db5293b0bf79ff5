import BusTestSupport
import BusWire
import Foundation
import Launcher
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Launcher with real processes", .serialized)
struct LauncherSystemTests {
    struct Fleet {
        let home: String
        let config: String
        var env: [String: String] { ["RECIO_HOME": home, "RECIO_HOST": "local", "LOG_LEVEL": "info"] }

        init() {
            home = Processes.tempDir("recio-home")
            config = home + "/bus.conf"
            Processes.write(config, """
                [bus]
                frontend = \(Processes.freeEndpoint())
                backend = \(Processes.freeEndpoint())
                heartbeat_interval = 200ms
                [launcher]
                restart_initial = 100ms
                stop_timeout = 5s
                [plugin.pong]
                """)
        }

        func recio(_ args: String...) async throws -> (status: Int32, output: String) {
            try await Processes.run([Processes.recio!] + args, environment: env)
        }

        /// Cleanup for `defer`, which cannot await: blocks only for as long as `recio down` takes.
        func downIfRunning() { _ = try? Processes.runBlocking([Processes.recio!, "down"], environment: env) }

        func status() async throws -> LauncherStatus? {
            let r = try await recio("status", "--json")
            guard r.status == 0, let start = r.output.firstIndex(of: "{") else { return nil }
            return try? JSONDecoder().decode(LauncherStatus.self, from: Data(r.output[start...].utf8))
        }

        func pong() async throws -> PluginStatus? { try await status()?.plugins.first { $0.name == "pong" } }
    }

    @Test("a plugin killed with SIGKILL is restarted, and down stops everything")
    func restartsKilledPlugin() async throws {
        try #require(Processes.recio != nil, "the recio executable must be built beside the tests")
        let fleet = Fleet()
        let up = try await fleet.recio("up", "--detach", "--config", fleet.config)
        #expect(up.status == 0, "\(up.output)")
        defer { fleet.downIfRunning() }

        #expect(try await eventually { try await fleet.pong()?.state == .running })
        let first = try #require(try await fleet.pong()?.pid)
        kill(first, SIGKILL)
        #expect(try await eventually {
            let p = try await fleet.pong()
            return p?.restarts == 1 && p?.state == .running && p?.pid != nil && p?.pid != first
        })
        let status = try #require(try await fleet.status())
        #expect(status.plugins.map(\.name) == ["broker", "pong"])
        #expect(status.plugins.allSatisfy { ($0.rss ?? 0) > 0 })
        let table = try await fleet.recio("status")
        #expect(table.output.contains("pong"))
        #expect(table.output.contains("RESTARTS"))

        // A second launcher for the same host is refused while this one lives.
        let again = try await fleet.recio("up", "--detach", "--config", fleet.config)
        #expect(again.status != 0)
        #expect(again.output.contains("already running (pid \(status.pid))"))

        let pids = status.plugins.compactMap(\.pid) + [status.pid]
        let down = try await fleet.recio("down")
        #expect(down.status == 0, "\(down.output)")
        #expect(down.output.contains("pong: stopped") && down.output.contains("broker: stopped"), "\(down.output)")
        for pid in pids { #expect(await eventually { !RunFiles.isRunning(pid: pid) }, "pid \(pid) still alive") }
        #expect(access(fleet.home + "/run/launcher-local.pid", F_OK) != 0, "pid file removed")
        let log = try String(contentsOfFile: fleet.home + "/logs/pong.log", encoding: .utf8)
        #expect(log.contains("pong: ended (signal 9); restart 1"))
        let after = try await fleet.recio("status")
        #expect(after.status != 0)
        #expect(after.output.contains("no launcher is running"))
    }

    @Test("a bad bus.conf stops recio up with every error naming file, line and key")
    func configErrors() async throws {
        try #require(Processes.recio != nil)
        let fleet = Fleet()
        Processes.write(fleet.config, "[bus]\nhigh_water_mark = lots\nfrontend = tcp://127.0.0.1:1\nbogus = 1\n")
        let r = try await fleet.recio("up", "--config", fleet.config)
        #expect(r.status != 0)
        #expect(r.output.contains("\(fleet.config):2: key 'bus.high_water_mark': expected an integer, got 'lots'"))
        #expect(r.output.contains("\(fleet.config):4: key 'bus.bogus': unknown key"))
        let missing = try await fleet.recio("up", "--config", fleet.home + "/nope.conf")
        #expect(missing.status != 0)
        #expect(missing.output.contains("nope.conf: cannot read the file"))
    }

    @Test("after the launcher itself is SIGKILLed, status says none runs, and the next up stops the leftovers first")
    func leftoversOfAKilledLauncher() async throws {
        try #require(Processes.recio != nil)
        let fleet = Fleet()
        #expect(try await fleet.recio("up", "--detach", "--config", fleet.config).status == 0)
        defer { fleet.downIfRunning() }
        #expect(try await eventually { try await fleet.pong()?.state == .running })
        let before = try #require(try await fleet.status())
        kill(before.pid, SIGKILL)
        #expect(await eventually { !RunFiles.isRunning(pid: before.pid) })
        let none = try await fleet.recio("status")
        #expect(none.status != 0)
        #expect(none.output.contains("no launcher is running"))

        let up = try await fleet.recio("up", "--detach", "--config", fleet.config)
        #expect(up.status == 0, "\(up.output)")
        let old = before.plugins.compactMap(\.pid)
        #expect(old.count == 2)
        for pid in old { #expect(await eventually { !RunFiles.isRunning(pid: pid) }, "leftover \(pid) still alive") }
        #expect(try await eventually {
            let p = try await fleet.pong()
            return p?.state == .running && p?.pid.map { !old.contains($0) } == true
        })
        let log = try String(contentsOfFile: fleet.home + "/logs/pong.log", encoding: .utf8)
        #expect(log.contains("was left running by a previous launcher"))
    }

    @Test("a plugin whose command cannot start is fatal after max_failures tries; the others keep running")
    func fatalPlugin() async throws {
        try #require(Processes.recio != nil)
        let fleet = Fleet()
        let text = try String(contentsOfFile: fleet.config, encoding: .utf8)
            .replacingOccurrences(of: "stop_timeout = 5s", with: "stop_timeout = 5s\nmax_failures = 3")
        Processes.write(fleet.config, text + "\n[plugin.ghost]\ncommand = \(fleet.home)/no-such-program --flag\n")
        let up = try await fleet.recio("up", "--detach", "--config", fleet.config)
        #expect(up.status == 0, "\(up.output)")
        defer { fleet.downIfRunning() }
        #expect(try await eventually { try await fleet.status()?.plugins.first { $0.name == "ghost" }?.state == .fatal })
        #expect(try await eventually { try await fleet.pong()?.state == .running })
        let table = try await fleet.recio("status")
        #expect(table.output.contains("fatal"), "\(table.output)")
        let log = try String(contentsOfFile: fleet.home + "/logs/ghost.log", encoding: .utf8)
        #expect(log.contains("no-such-program"))
        #expect(log.contains("fatal: ended 3 times"))
    }

    @Test("the repository's bus.conf is valid for every built-in plugin")
    func shippedConfigIsValid() async throws {
        let repo = String(#filePath.split(separator: "/").dropLast(3).joined(separator: "/"))
        let r = try await Fleet().recio("check", "--config", "/\(repo)/bus.conf")
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("valid (mode sim)") && r.output.contains("price-feed"), "\(r.output)")
    }

    @Test("status without a launcher says so and fails")
    func statusWithoutLauncher() async throws {
        try #require(Processes.recio != nil)
        let r = try await Fleet().recio("status")
        #expect(r.status != 0)
        #expect(r.output.contains("no launcher is running"))
    }
}
