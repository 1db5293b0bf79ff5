import BusKit
import BusTestSupport
import BusWire
import Launcher
import Logging
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A launcher running in this process on its own thread, supervising small shell scripts, with an in-memory bus.
final class LauncherHarness: Sendable {
    let home: String
    let bus = InMemoryBus(source: "launcher@local")
    let launcher: Launcher
    let config: BusConfiguration
    private let thread: Mutex<OSThread?> = Mutex(nil)
    private let failure: Mutex<LauncherError?> = Mutex(nil)

    /// `scripts` maps plugin names to shell script bodies; `launcher` adds lines to the `[launcher]` section.
    init(scripts: KeyValuePairs<String, String>, launcher settings: String = "") throws {
        home = LogRotationTests().tempDir()
        var text = "[bus]\nbroker_host = elsewhere\n[launcher]\nrestart_initial = 10ms\nrestart_max = 40ms\n\(settings)\n"
        for (name, body) in scripts {
            let script = "\(home)/\(name).sh"
            LauncherHarness.write(script, "#!/bin/sh\n\(body)\n")
            chmod(script, 0o755)
            text += "[plugin.\(name)]\ncommand = \(script)\n"
        }
        LauncherHarness.write("\(home)/bus.conf", text)
        config = try BusConfiguration(file: ConfigFile(path: "\(home)/bus.conf", text: text), pluginKeys: [:])
        let logger = Logger(label: "test.launcher") { _ in SwiftLogNoOpLogHandler() }
        launcher = try Launcher(options: .init(configPath: "\(home)/bus.conf", host: "local", home: home, executable: "/bin/false"),
                                config: config, logger: logger)
    }

    /// Starts ``Launcher/run(bus:)`` on a thread.
    func start() {
        let t = OSThread(name: "launcher") { [self] in
            do throws(LauncherError) { try launcher.run(bus: bus) } catch { failure.withLock { $0 = error } }
        }
        thread.withLock { $0 = t }
    }

    /// Asks the launcher to stop and waits, off the cooperative pool, for ``Launcher/run(bus:)`` to return.
    func stop() async -> LauncherError? {
        launcher.requestStop()
        let t = thread.withLock { $0 }
        _ = try? await offPool { t?.join() }
        return failure.withLock { $0 }
    }

    var files: RunFiles { launcher.files }
    func status(_ name: String) -> PluginStatus? { files.readStatus()?.plugins.first { $0.name == name } }
    func log(_ name: String) -> String { LauncherHarness.read("\(home)/logs/\(name).log") }

    static func write(_ path: String, _ text: String) {
        let f = fopen(path, "wb")!
        fputs(text, f)
        fclose(f)
    }

    static func read(_ path: String) -> String {
        guard let f = fopen(path, "rb") else { return "" }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while case let n = fread(&buf, 1, buf.count, f), n > 0 { out += buf[0..<n] }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Polls `condition` every 20 ms, at most 1500 times: only keeps a broken test from hanging.
func eventually(_ condition: () -> Bool) async -> Bool {
    await BusTestSupport.eventually(attempts: 1500, every: .milliseconds(20)) { condition() }
}

@Suite("Launcher: real child processes, in-memory bus")
struct LauncherRunTests {
    @Test("a plugin that keeps failing ends fatal, with a critical alert on the bus; children get the RECIO_ variables")
    func fatalAlert() async throws {
        let h = try LauncherHarness(scripts: ["flaky": "env | grep ^RECIO_ | sort\nexit 3"], launcher: "max_failures = 3")
        let alerts = h.bus.subscribe([.alerts])
        h.start()
        #expect(await eventually { h.status("flaky")?.state == .fatal })
        #expect(await h.stop() == nil)
        h.bus.close()  // ends the subscription after what it already holds

        var iterator = alerts.makeAsyncIterator()
        let alert = try #require(try await iterator.next()?.decode(Alert.self))
        #expect(alert.severity == .critical)
        #expect(alert.plugin == "flaky")
        #expect(alert.source == "launcher@local")
        #expect(alert.message.contains("3 times") && alert.message.contains("exit 3"))

        let status = try #require(h.status("flaky"))
        #expect(status.restarts == 2)
        #expect(status.pid == nil)
        let log = h.log("flaky")
        for line in ["RECIO_CONFIG=\(h.home)/bus.conf", "RECIO_HOME=\(h.home)", "RECIO_HOST=local", "RECIO_PLUGIN=flaky"] {
            #expect(log.contains(line), "\(line) missing from\n\(log)")
        }
        #expect(log.contains("fatal: ended 3 times"))
        #expect(access(h.files.pidFile, F_OK) != 0, "pid file removed")
    }

    @Test("status goes to the bus and the status file; a heartbeat marks a plugin running")
    func statusAndHeartbeat() async throws {
        // Only the heartbeat may make it running, however late this test gets to look.
        let h = try LauncherHarness(scripts: ["steady": "exec sleep 1000"], launcher: "stable_after = 1h")
        let statuses = h.bus.subscribe([.launcherStatuses])
        let follower = Task { await h.launcher.followHeartbeats(h.bus.subscribe([.heartbeats])) }
        h.start()
        #expect(await eventually { h.status("steady")?.pid != nil })
        #expect(h.status("steady")?.state == .starting)
        #expect(h.files.livePid() == getpid())
        let pid = try #require(h.status("steady")?.pid)
        try h.bus.publish(.heartbeat(plugin: "steady"), Heartbeat(plugin: "steady", host: "local", pid: pid, state: .running, uptime: 1, rss: 1))
        #expect(await eventually { h.status("steady")?.state == .running && h.status("steady")?.lastHeartbeat != nil })
        #expect((h.status("steady")?.rss ?? 0) > 0)

        var iterator = statuses.makeAsyncIterator()
        let published = try #require(try await iterator.next()?.decode(LauncherStatus.self))
        #expect(published.host == "local" && published.pid == getpid())
        #expect(await h.stop() == nil)
        follower.cancel()
        #expect(h.status("steady")?.state == .stopped)
        #expect(kill(pid, 0) != 0, "the plugin is gone")
    }

    @Test("a second launcher for the same host is refused")
    func singleInstance() async throws {
        let h = try LauncherHarness(scripts: ["steady": "exec sleep 1000"])
        h.start()
        #expect(await eventually { h.files.livePid() != nil })
        let second = try Launcher(options: .init(configPath: "\(h.home)/bus.conf", host: "local", home: h.home, executable: "/bin/false"),
                                  config: h.config, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        #expect(throws: LauncherError.self) { try second.run(bus: nil) }
        #expect(await h.stop() == nil)
        #expect(h.files.livePid() == nil)
    }

    @Test("a chatty plugin's logs are rotated, compressed and capped while it runs: disk use stays bounded")
    func boundedLogs() async throws {
        let h = try LauncherHarness(
            scripts: ["chatty": "head -c 300000 /dev/urandom | od -x\necho done\nexec sleep 1000"],
            launcher: "log_max_size = 2KB\nlog_total_cap = 16KB")
        h.start()
        #expect(await eventually { h.log("chatty").contains("done") })
        let logs = "\(h.home)/logs"
        // The sweep follows each rotation; poll until it has caught up with the last one.
        #expect(await eventually { LogRotationTests().run("test $(cat '\(logs)'/* | wc -c) -le 16384") == 0 })
        let archives = LogRotationTests().files(logs).filter { $0.hasSuffix(".log.gz") }
        #expect(archives.count >= 2)
        #expect(LogRotationTests().run("cd '\(logs)' && gzip -t *.log.gz") == 0)
        #expect(await h.stop() == nil)
    }

    @Test("stop goes in reverse start order, and a plugin that ignores SIGTERM is killed after stop_timeout")
    func stopOrderAndKill() async throws {
        let record = "trap 'echo $RECIO_PLUGIN >> $RECIO_HOME/order; exit 0' TERM\necho ready\nwhile :; do sleep 0.05; done"
        let h = try LauncherHarness(
            scripts: ["first": record, "second": record, "stubborn": "trap '' TERM\necho ready\nwhile :; do sleep 0.05; done"],
            launcher: "stop_timeout = 2s")  // generous: a loaded machine may take a while to run a trap
        h.start()
        // Stop only once every script has set its trap.
        #expect(await eventually { ["first", "second", "stubborn"].allSatisfy { h.log($0).contains("ready") && h.status($0)?.pid != nil } })
        let pids = ["first", "second", "stubborn"].compactMap { h.status($0)?.pid }
        #expect(await h.stop() == nil)
        #expect(LauncherHarness.read("\(h.home)/order") == "second\nfirst\n")
        #expect(h.log("stubborn").contains("SIGKILL"))
        for pid in pids { #expect(kill(pid, 0) != 0, "pid \(pid) still alive") }
        #expect(h.files.readStatus()?.plugins.allSatisfy { $0.state == .stopped } == true)
    }
}

