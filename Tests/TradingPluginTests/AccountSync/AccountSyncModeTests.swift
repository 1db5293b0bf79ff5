import AccountSync
import BusKit
import BusTestSupport
import BusWire
import Foundation
import Logging
import Testing
import TradingWire

@Suite("account-sync settings and paper mode")
struct AccountSyncModeTests {
    static func configuration(_ text: String) throws -> BusConfiguration {
        try BusConfiguration(file: ConfigFile(path: "test.conf", text: text), pluginKeys: [AccountSync.name: AccountSync.configKeys])
    }

    static let quiet: Logger = {
        var l = Logger(label: "account-sync-test")
        l.logLevel = .critical
        return l
    }()

    @Test("defaults follow the mode and RECIO_HOME; a bad key names the file, line and key")
    func settings() throws {
        let s = try AccountSyncSettings(configuration: Self.configuration("[bus]\nmode = demo\n[plugin.account-sync]\n"), home: "/h")
        #expect(s.restURL.absoluteString == "https://external-api.demo.kalshi.co/trade-api/v2")
        #expect(s.wsURL.absoluteString == "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2")
        #expect(s.credentials == "/h/credentials/demo" && s.database == "/h/account.sqlite")
        #expect(s.catchupInterval == 60 && s.reconcileInterval == 60 && s.series == "KXBTCD")
        #expect(s.reconciles("KXBTCD-26SEP0920-T99999.99") && !s.reconciles("KXETHD-26SEP0920-T3999.99"))
        let text = "[plugin.account-sync]\ncatchup_interval = soon\nseries = KX.BTC\nenabled = true\nrest_url = ftp://x\n"
        #expect {
            try AccountSyncSettings(configuration: Self.configuration(text), home: "/h")
        } throws: { error in
            let d = "\(error)"
            return error is AccountSyncError && d.contains("test.conf:2: key 'plugin.account-sync.catchup_interval'")
                && d.contains("test.conf:3: key 'plugin.account-sync.series'") && d.contains("test.conf:5: key 'plugin.account-sync.rest_url'")
        }
        #expect {
            try Self.configuration("[plugin.account-sync]\ncolour = red\n")
        } throws: { "\($0)".contains("test.conf:2: key 'plugin.account-sync.colour': unknown key") }
    }

    @Test("outside paper mode, missing credentials are an error naming the folder")
    func needsCredentials() throws {
        let folder = NSTemporaryDirectory() + "nowhere-\(UUID().uuidString)"
        let config = try Self.configuration("[plugin.account-sync]\ncredentials = \(folder)\n")
        let context = PluginContext(name: AccountSync.name, host: "test", configuration: config, bus: InMemoryBus(), clock: TestClock(),
                                    health: Health(), logger: Logger(label: "test"))
        #expect { try AccountSync(context: context) } throws: { "\($0)".contains(folder) }
    }

    @Test("paper mode: a passed reconciliation, again every interval, and nothing else")
    func paper() async throws {
        let bus = InMemoryBus(source: "account-sync@test")
        defer { bus.close() }
        let inbox = AcctInbox()
        let collecting = inbox.collect(bus.subscribe([.all]))
        defer { collecting.cancel() }
        let clock = TestClock()
        let config = try Self.configuration("[bus]\nmode = paper\n[plugin.account-sync]\nreconcile_interval = 30s\n")
        let context = PluginContext(name: AccountSync.name, host: "test", configuration: config, bus: bus, clock: clock,
                                    health: Health(), logger: Self.quiet)
        let plugin = try AccountSync(context: context)
        let task = Task { try await plugin.run() }
        defer {
            task.cancel()
            clock.advance(seconds: 3_600)  // wakes the sleeping loop so it sees the cancellation
        }
        #expect(await eventually { inbox.reports.count == 1 && clock.sleeperCount == 1 })
        #expect(inbox.reports.first?.status == .passed && inbox.reports.first?.startup == true && inbox.reports.first?.mismatches == [])
        clock.advance(seconds: 30)
        #expect(await eventually { inbox.reports.count == 2 })
        #expect(inbox.reports.last?.status == .passed && inbox.reports.last?.startup == false)
        #expect(inbox.all.allSatisfy { $0.topic == Topic.reconciliation.rawValue })
    }
}
