import AccountSync
import AutoEntry
import BusKit
import BusTestSupport
import BusTools
import BusWire
import Executor
import Fleet
import Foundation
import MarketFeed
import Model
import Money
import Synchronization
import Testing
import TradeManager
import TradingWire
import Web


/// In the fleet suite, which runs its tests one at a time: two whole fleets at once would share two cores.
extension TradingCycleTests {
    @Test("price and strike table update without reload; clicking buy makes a real trade appear; screenshots of every page",
          .enabled("skipped: chromium, chromium-driver or selenium is missing (scripts/install-deps)") { try await offPool { Browser.available } })
    func dashboardOnTheFleet() async throws {
        let port = Int(freeLoopbackEndpoint().split(separator: ":").last ?? "") ?? 3000
        var options = FleetOptions()
        options.speed = 10
        options.startMs = (firstClose - 20 * 60) * 1000
        options.sections = [
            // The page's buy waits for the executor's answer in simulated time; at 10× its default 10 s is one second
            // of the machine's, too short beside a loaded CI build, and the intent would expire before it was read.
            "plugin.web": ["address": "127.0.0.1", "port": "\(port)", "min_buy_volume": "0", "intent_timeout": "120s"],
            "plugin.model": ["watchlist_min_volume": "0", "min_probability": "50", "min_edge": "-0.50"],
            // Off until the browser's own trade is in: then an automated entry follows while the page watches for it.
            "plugin.auto-entry": ["auto_entry": "false", "min_probability": "80", "min_edge": "-10", "max_open_positions": "3"],
            "plugin.account-sync": ["recheck_delay": "30s", "in_flight_grace": "30s"],
        ]
        try await Fleet.run(options) { fleet in
            var keys = fleetKeys
            keys[Web.name] = Web.configKeys
            try startTradingFleet(fleet, keys: keys)
            try fleet.start(Web.self, pluginKeys: keys)
            // The index wanders a few dollars every simulated 10 seconds, so the price on the page moves.
            let now = fleet.clock.now.microseconds / 1_000_000
            for n in 1...600 { fleet.index.set(Dollars(cents: 10_000_000 + Int64((n % 7) * 300 - 900)), from: now + Int64(10 * n)) }

            let tap = try fleet.connect(as: "test-dashboard@fleet")
            defer { tap.close(flushSeconds: 0) }
            // What the buy went through, for the failure message: intents, the executor's answers, venue and trades.
            let log = Collector(tap.subscribe([TopicFilter(Topic.tradeUpdate), .orderIntents, .orderEvents, .venue]))
            defer { log.stop() }
            // A buy clicked before the executor listens is answered by nobody, as a user would see ("sent, no answer
            // yet"); the test clicks once the plugins a buy goes through say they are running.
            let needed: Set = [Executor.name, TradeManager.name, AccountSync.name, MarketFeed.name, ModelPlugin.name, Web.name]
            let running = Mutex(Set<String>())
            let allRunning = await tap.subscribe([.heartbeats]).first(within: 300) { e in
                guard let beat = try? e.decode(Heartbeat.self), beat.state == .running else { return false }
                return running.withLock { $0.insert(beat.plugin); return needed.isSubset(of: $0) }
            }
            try #require(allRunning != nil, "plugins running: \(running.withLock { $0.sorted() }) of \(needed.sorted())")
            let updates = tap.subscribe([TopicFilter(Topic.tradeUpdate)])
            let switcher = Task {
                for await e in updates {
                    guard let u = try? e.decode(TradeUpdate.self), u.trade.entryMethod == "manual", u.trade.status == .open else { continue }
                    try? tap.publish(.settingsChange(plugin: AutoEntry.name), SettingsChange(
                        plugin: AutoEntry.name, values: ["auto_entry": "true"], requester: "test", time: fleet.clock.now.description))
                    return
                }
            }
            defer { switcher.cancel() }
            let shots = Browser.root.appendingPathComponent(".build/artifacts/screenshots-fleet")
            let result = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-dashboard-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: result) }
            let script = Browser.root.appendingPathComponent("Tests/WebTests/browser/dashboard_test.py").path
            let status = try await offPool {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                p.arguments = ["python3", script, "--url", "http://127.0.0.1:\(port)", "--screenshots", shots.path, "--result", result.path,
                               "--timeout", "90"]
                p.standardOutput = FileHandle.nullDevice
                try p.run()
                p.waitUntilExit()
                return p.terminationStatus
            }
            let data = try Data(contentsOf: result)
            let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let checks = report["checks"] as? [String: Bool] ?? [:]
            // The automated-entry toast is checked against a feeder in WebTests (its timing on a loaded machine is the
            // simulator's, not the page's); here the checks the fleet must pass.
            if status != 0 { print("browser checks not all met (exit \(status)); the ones that matter follow") }
            for name in ["price updates without reload", "strike table updates without reload", "buy button enabled and clicked",
                         "trade appears in open trades", "no reload during the trade", "close pressed twice sends one close",
                         "setting changed with its control is applied",
                         "no console errors on monitor", "no console errors on history", "no console errors on account",
                         "no console errors on system", "close button usable at phone width"] {
                #expect(checks[name] == true, "\(name): \(String(decoding: data, as: UTF8.self)) | bus: \(log.summary)")
            }
            for page in ["monitor", "monitor-trade", "history", "account", "system", "monitor-phone", "history-phone", "account-phone",
                         "system-phone"] {
                #expect(FileManager.default.fileExists(atPath: shots.appendingPathComponent("\(page).png").path), "screenshot \(page)")
            }
        }
    }
}
