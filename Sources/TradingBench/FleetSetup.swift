import BusKit
import BusTools
import BusWire
import Fleet
import Foundation
import Kalshi
import Launcher
import _CryptoExtras
#if canImport(Glibc)
import Glibc
#endif

/// The files of a benchmark fleet: a data folder with a sim API key, the simulator's key folder, and a `bus.conf`
/// running every trading plugin against `recio sim` on loopback ports that were free a moment ago.
struct FleetSetup {
    /// The plugins `recio up` starts (besides the broker).
    static let plugins: Set<String> = [
        "price-feed", "market-feed", "model", "auto-entry", "executor", "trade-manager", "trade-supervisor",
        "account-sync", "failure-detector", "web",
    ]

    let home: String
    let config: String
    let simKeys: String
    let simPort: Int
    let busOptions: ZMQBus.Options

    static func make(in work: String) async throws -> FleetSetup {
        let home = work + "/home", simKeys = work + "/sim-keys"
        try FileManager.default.createDirectory(atPath: simKeys, withIntermediateDirectories: true)
        let key = try await Fleet.makeKey()
        let keyID = "bench-fleet"
        _ = try Credentials.store(keyID: keyID, privateKeyPEM: key.pemRepresentation,
                                  in: Credentials.folder(home: URL(fileURLWithPath: home), mode: "sim"))
        try key.publicKey.pemRepresentation.write(toFile: "\(simKeys)/\(keyID).pem", atomically: true, encoding: .utf8)
        let port = { (e: String) in Int(e.split(separator: ":").last!)! }
        let simPort = port(freeLoopbackEndpoint()), webPort = port(freeLoopbackEndpoint())
        var options = ZMQBus.Options(frontend: freeLoopbackEndpoint(), backend: freeLoopbackEndpoint())
        let config = work + "/bus.conf"
        try text(simPort: simPort, webPort: webPort, bus: options).write(toFile: config, atomically: true, encoding: .utf8)
        // `recio up` runs the broker with identities on (the default): the bench watches as its own identity.
        options.plain = ("bench", try IdentityStore(folder: IdentityStore.defaultFolder(home: home, mode: "sim")).password(for: "bench"))
        return FleetSetup(home: home, config: config, simKeys: simKeys, simPort: simPort, busOptions: options)
    }

    /// The configuration: the shipped defaults, pointed at the simulator, with auto-entry on.
    private static func text(simPort: Int, webPort: Int, bus: ZMQBus.Options) -> String {
        let rest = "http://127.0.0.1:\(simPort)/trade-api/v2", ws = "ws://127.0.0.1:\(simPort)/trade-api/ws/v2"
        return """
            [bus]
            mode = sim
            frontend = \(bus.frontend)
            backend = \(bus.backend)
            heartbeat_interval = 1s
            [plugin.price-feed]
            url = ws://127.0.0.1:\(simPort)/coinbase
            [plugin.market-feed]
            rest_url = \(rest)
            ws_url = \(ws)
            [plugin.model]
            [plugin.auto-entry]
            auto_entry = true
            [plugin.executor]
            rest_url = \(rest)
            [plugin.trade-manager]
            [plugin.trade-supervisor]
            [plugin.account-sync]
            rest_url = \(rest)
            ws_url = \(ws)
            [plugin.failure-detector]
            [plugin.web]
            port = \(webPort)

            """
    }
}

/// CPU time and memory of the fleet's processes at one moment, from `/proc`.
struct FleetSample {
    struct Process { var name: String; var pid: Int32; var rss: Int; var pss: Int; var privateBytes: Int; var cpuTicks: Int }
    /// The broker and the plugins.
    var plugins: [Process] = []
    var launcherRSS = 0
    var launcherTicks = 0
    let at = ContinuousClock.now

    init(files: RunFiles) {
        if let pid = files.livePid() {
            launcherRSS = ProcInfo.rss(pid: pid) ?? 0
            launcherTicks = Self.cpuTicks(pid) ?? 0
        }
        for p in files.readStatus()?.plugins ?? [] {
            guard let pid = p.pid, let rss = ProcInfo.rss(pid: pid) else { continue }
            let memory = Self.memory(pid)
            plugins.append(Process(name: p.name, pid: pid, rss: rss, pss: memory["Pss"] ?? rss,
                                   privateBytes: (memory["Private_Clean"] ?? 0) + (memory["Private_Dirty"] ?? 0), cpuTicks: Self.cpuTicks(pid) ?? 0))
        }
    }

    var rssBytes: Int { plugins.reduce(0) { $0 + $1.rss } }
    var pssBytes: Int { plugins.reduce(0) { $0 + $1.pss } }
    /// Pages no other process shares (USS).
    var privateBytes: Int { plugins.reduce(0) { $0 + $1.privateBytes } }

    /// CPU of the launcher and every process present in both samples since `earlier`, in percent of one core.
    func cpuPercent(since earlier: FleetSample) -> Double { cpuByProcess(since: earlier).values.reduce(0, +) }

    /// The same per process (`launcher` included), in percent of one core.
    func cpuByProcess(since earlier: FleetSample) -> [String: Double] {
        let elapsed = at - earlier.at
        let secs = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        guard secs > 0 else { return [:] }
        let percent = { (ticks: Int) in Double(ticks) / Double(sysconf(Int32(_SC_CLK_TCK))) / secs * 100 }
        var out = ["launcher": percent(launcherTicks - earlier.launcherTicks)]
        for p in plugins { if let e = earlier.plugins.first(where: { $0.pid == p.pid }) { out[p.name] = percent(p.cpuTicks - e.cpuTicks) } }
        return out
    }

    /// User + system CPU ticks of `pid` (fields 14 and 15 of `/proc/<pid>/stat`, counted after the command name).
    static func cpuTicks(_ pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return user + system
    }

    /// The memory totals of `/proc/<pid>/smaps_rollup` in bytes, by name (`Pss`, `Private_Dirty`, ...).
    static func memory(_ pid: Int32) -> [String: Int] {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) else { return [:] }
        var out: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2, parts[0].hasSuffix(":"), let kb = Int(parts[1]) else { continue }
            out[String(parts[0].dropLast())] = kb * 1024
        }
        return out
    }
}
