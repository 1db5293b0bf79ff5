import ArgumentParser
import AutoEntry
import BusKit
import Executor
import Foundation
import Kalshi
import MarketFeed
import Money
#if canImport(Glibc)
import Glibc
#endif

/// `recio doctor`: can this machine trade? Config, credentials, the venue's answers, disk.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Pre-flight: tell whether this machine can trade in a mode, and what to do about each problem.",
        discussion: """
            Checks the fleet's configuration for the mode (caps, auto-entry, series), the credentials (loaded, and a signed \
            balance read), the exchange (reachable, clock skew from its Date header, status, maintenance windows), the \
            rate-limit tier, cash on the series' shard, open orders (rec.io's or not) and positions, and disk space. \
            Exits 0 when every check passes, 1 when one warns, 2 when one fails.
            """)

    @OptionGroup var bus: BusOptions
    @OptionGroup var venueOptions: VenueOptions
    @Option(help: "sim, demo or prod (default: bus.conf's mode).") var mode: String?
    @Flag(help: "Print the checks as JSON.") var json = false

    func run() async throws {
        var checks: [DoctorCheck] = []
        var config: BusConfiguration?
        do { config = try bus.load() } catch {
            checks.append(DoctorCheck("config", .fail, "\(error)", fix: "fix \(bus.config) at the line and key named"))
        }
        let mode = mode ?? config?.bus.mode.rawValue ?? "sim"
        guard ["sim", "demo", "prod"].contains(mode) else { throw ValidationError("--mode must be sim, demo or prod, not \(mode)") }
        var series = "KXBTCD"
        if var config {
            checks.append(config.bus.mode.rawValue == mode ? DoctorCheck("mode", .pass, "\(bus.config) runs mode \(mode)")
                : DoctorCheck("mode", .warn, "\(bus.config) runs mode \(config.bus.mode), not \(mode)",
                              fix: "set mode = \(mode) under [bus] before `recio up`"))
            config.bus.mode = RunMode(rawValue: mode) ?? config.bus.mode
            checks.append(contentsOf: Self.fleet(config, file: bus.config, series: &series))
        }
        let folder = venueOptions.credentialsFolder(mode: mode)
        do {
            let rest = KalshiRESTClient(configuration: KalshiConfiguration(baseURL: try venueOptions.restRoot(mode: mode)),
                                        credentials: try Credentials.load(from: folder))
            checks.append(DoctorCheck("credentials file", .pass, "loaded from \(folder.path)"))
            checks.append(contentsOf: await VenueDoctor(rest: rest, series: series).run())
        } catch {
            checks.append(DoctorCheck("credentials file", .fail, "\(folder.path): \(error)",
                                      fix: "`recio credentials add --mode \(mode)` with the key id and PEM from Kalshi's API keys page"))
        }
        checks.append(Self.disk(ProcInfo.recioHome))
        if json { try printJSON(checks) } else {
            print("recio doctor, mode \(mode)")
            print(table([["check", "status", "detail", "what to do"]]
                        + checks.map { [$0.name, $0.status.rawValue.uppercased(), $0.detail, $0.fix] }))
        }
        switch checks.map(\.status).max() ?? .pass {
        case .pass: return
        case .warn: throw ExitCode(1)
        case .fail: throw ExitCode(2)
        }
    }

    /// The fleet's settings for the mode: executor caps, auto-entry's switch, the market feed's series.
    static func fleet(_ config: BusConfiguration, file: String, series: inout String) -> [DoctorCheck] {
        var out: [DoctorCheck] = []
        do {
            let feed = try MarketFeedSettings(configuration: config)
            series = feed.series
            out.append(DoctorCheck("series", .pass, "\(feed.series) from \(feed.restURL)"))
        } catch {
            out.append(DoctorCheck("series", .fail, "\(error)", fix: "fix [plugin.market-feed] in \(file)"))
        }
        do {
            let l = try ExecutorSettings(configuration: config).limits
            out.append(DoctorCheck("caps", .pass, "per order \(l.maxOrderContracts) contracts / $\(l.maxOrderCost.formatted(decimals: 2)); per market \(l.maxMarketContracts) contracts; per event $\(l.maxEventCost.formatted(decimals: 2)); \(l.ordersPerMinute) orders/min"))
        } catch {
            out.append(DoctorCheck("caps", .fail, "\(error)", fix: "fix [plugin.executor] in \(file)"))
        }
        do {
            let (s, _) = try AutoEntrySettings.load(configuration: config, plugin: "auto-entry", home: ProcInfo.recioHome)
            out.append(DoctorCheck("auto-entry", s.enabled && config.bus.mode == .prod ? .warn : .pass,
                                   "auto_entry \(s.enabled ? "ON: it will place real orders" : "off")",
                                   fix: s.enabled && config.bus.mode == .prod ? "start prod with auto_entry = false; turn it on from the dashboard when ready" : ""))
        } catch {
            out.append(DoctorCheck("auto-entry", .fail, "\(error)", fix: "fix [plugin.auto-entry] in \(file)"))
        }
        return out
    }

    /// Free space where logs and stores live: warn under 1 GB, fail under 100 MB.
    static func disk(_ home: String) -> DoctorCheck {
        var s = statvfs()
        guard statvfs(home, &s) == 0 else {
            return DoctorCheck("disk", .warn, "\(home) cannot be read", fix: "create it (mkdir -p \(home)) or set RECIO_HOME")
        }
        let free = Int64(s.f_bavail) * Int64(s.f_frsize), mb = free >> 20
        let detail = "\(mb) MB free under \(home) (logs, trades and journals)"
        if mb >= 1024 { return DoctorCheck("disk", .pass, detail) }
        return DoctorCheck("disk", mb >= 100 ? .warn : .fail, detail, fix: "free space or lower [launcher] log_total_cap")
    }
}
