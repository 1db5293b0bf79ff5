import BusWire
import Foundation
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

        func recio(_ args: String...) throws -> (status: Int32, output: String) {
            try Processes.run([Processes.recio!] + args, environment: env)
        }

        func status() throws -> LauncherStatus? {
            let r = try recio("status", "--json")
            guard r.status == 0, let start = r.output.firstIndex(of: "{") else { return nil }
            return try? JSONDecoder().decode(LauncherStatus.self, from: Data(r.output[start...].utf8))
        }

        func pong() throws -> PluginStatus? { try status()?.plugins.first { $0.name == "pong" } }
    }

    @Test("a plugin killed with SIGKILL is restarted, and down stops everything")
    func restartsKilledPlugin() throws {
        try #require(Processes.recio != nil, "the recio executable must be built beside the tests")
        let fleet = Fleet()
        let up = try fleet.recio("up", "--detach", "--config", fleet.config)
        #expect(up.status == 0, "\(up.output)")
        defer { _ = try? fleet.recio("down") }

        #expect(try Processes.eventually { try fleet.pong()?.state == .running })
        let first = try #require(try fleet.pong()?.pid)
        kill(first, SIGKILL)
        #expect(try Processes.eventually {
            let p = try fleet.pong()
            return p?.restarts == 1 && p?.state == .running && p?.pid != nil && p?.pid != first
        })
        let status = try #require(try fleet.status())
        #expect(status.plugins.map(\.name) == ["broker", "pong"])
        #expect(status.plugins.allSatisfy { ($0.rss ?? 0) > 0 })
        let table = try fleet.recio("status")
        #expect(table.output.contains("pong"))
        #expect(table.output.contains("RESTARTS"))

        let pids = status.plugins.compactMap(\.pid) + [status.pid]
        let down = try fleet.recio("down")
        #expect(down.status == 0)
        for pid in pids { #expect(kill(pid, 0) != 0, "pid \(pid) still alive") }
        let log = try String(contentsOfFile: fleet.home + "/logs/pong.log", encoding: .utf8)
        #expect(log.contains("exited (signal 9)"))
    }

    @Test("a bad bus.conf stops recio up with every error naming file, line and key")
    func configErrors() throws {
        try #require(Processes.recio != nil)
        let fleet = Fleet()
        Processes.write(fleet.config, "[bus]\nhigh_water_mark = lots\nfrontend = tcp://127.0.0.1:1\nbogus = 1\n")
        let r = try fleet.recio("up", "--config", fleet.config)
        #expect(r.status != 0)
        #expect(r.output.contains("\(fleet.config):2: key 'bus.high_water_mark': expected an integer, got 'lots'"))
        #expect(r.output.contains("\(fleet.config):4: key 'bus.bogus': unknown key"))
        let missing = try fleet.recio("up", "--config", fleet.home + "/nope.conf")
        #expect(missing.status != 0)
        #expect(missing.output.contains("nope.conf: cannot read the file"))
    }

    @Test("status without a launcher says so and fails")
    func statusWithoutLauncher() throws {
        try #require(Processes.recio != nil)
        let r = try Fleet().recio("status")
        #expect(r.status != 0)
        #expect(r.output.contains("no launcher is running"))
    }
}
