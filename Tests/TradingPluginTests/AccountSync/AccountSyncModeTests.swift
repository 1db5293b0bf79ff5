@testable import AccountSync
import Money
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
        #expect(s.credentials == "/h/credentials/demo" && s.database == "/h/demo/account.sqlite")
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

    @Test("paper mode: a balance from paper_balance moved by paper fills (each once), rebuilt at restart; reconciliation passes")
    func paper() async throws {
        let folder = NSTemporaryDirectory() + "paper-account-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try Self.configuration("""
            [bus]
            mode = paper
            [plugin.account-sync]
            reconcile_interval = 30s
            paper_balance = 250
            database = \(folder)/account.sqlite
            rest_url = http://127.0.0.1:1/trade-api/v2
            """)
        let fill = VenueFill(fillID: "paper-1-1", orderID: "paper-1", ticker: "KXBTCD-26SEP0920-T99999.99", side: .yes, action: "buy",
                             count: Contracts(whole: 2), price: Dollars(cents: 40), fee: Dollars(cents: 2), isTaker: true, ts: 1_788_998_000)
        for run in 1...2 {
            let bus = InMemoryBus(source: "account-sync@test")
            let inbox = AcctInbox()
            let collecting = inbox.collect(bus.subscribe([.all]))
            let clock = TestClock()
            let context = PluginContext(name: AccountSync.name, host: "test", configuration: config, bus: bus, clock: clock,
                                        health: Health(), logger: Self.quiet)
            let plugin = try AccountSync(context: context)
            let task = Task { try await plugin.run() }
            #expect(await eventually { inbox.reports.count == 1 && !inbox.balances.isEmpty })
            #expect(inbox.reports.first?.status == .passed && inbox.reports.first?.startup == true && inbox.reports.first?.mismatches == [])
            if run == 1 {
                #expect(inbox.balances.last?.balance == Dollars(cents: 25_000) && inbox.balances.last?.mode == "paper")
                for _ in 0..<2 { try bus.publish(.venueFill, fill) }
                #expect(await eventually { inbox.balances.last?.balance == Dollars(cents: 24_918) })
                #expect(inbox.positions.last?.positions.map(\.position) == [Contracts(whole: 2)])
                clock.advance(seconds: 30)
                #expect(await eventually { inbox.reports.count == 2 })
                #expect(inbox.reports.last?.status == .passed && inbox.reports.last?.startup == false)
                #expect(inbox.balances.allSatisfy { [Dollars(cents: 25_000), Dollars(cents: 24_918)].contains($0.balance) })
            } else {
                // The restart rebuilds the account from the fills it stored.
                #expect(inbox.balances.first?.balance == Dollars(cents: 24_918))
            }
            task.cancel()
            clock.advance(seconds: 3_600)  // wakes the sleeping loops so they see the cancellation
            _ = await task.result
            collecting.cancel()
            bus.close()
        }
    }

    @Test("the paper account: fills pay price and fee, an opposite buy nets and pays $1 a pair, settlement pays the winners")
    func paperAccount() {
        let t = "KXBTCD-26SEP0920-T99999.99"
        var account = PaperAccount(start: Dollars(cents: 100_000))
        func fill(_ side: TradeSide, _ count: Int64, _ cents: Int64, fee: Int64) -> VenueFill {
            VenueFill(fillID: "\(side)\(count)", orderID: "o", ticker: t, side: side, action: "buy", count: Contracts(whole: count),
                      price: Dollars(cents: cents), fee: Dollars(cents: fee), isTaker: true, ts: 0)
        }
        account.apply(fill(.yes, 2, 40, fee: 2))
        #expect(account.cash == Dollars(cents: 99_918) && account.held == [t])
        account.apply(fill(.no, 1, 55, fee: 1))
        #expect(account.cash == Dollars(cents: 99_962) && account.positions[t] == Contracts(whole: 1))
        #expect(account.settle(ticker: "other", eventTicker: nil, result: "yes", settledTs: 1) == nil)
        let s = account.settle(ticker: t, eventTicker: "KXBTCD-26SEP0920", result: "yes", settledTs: 1_788_998_400)
        #expect(s?.revenue == Dollars(cents: 100) && s?.yesCount == Contracts(whole: 1) && s?.noCount == .zero)
        #expect(account.cash == Dollars(cents: 100_062) && account.held.isEmpty)
        var rebuilt = PaperAccount(start: Dollars(cents: 100_000))
        rebuilt.apply(fill(.yes, 2, 40, fee: 2))
        rebuilt.apply(fill(.no, 1, 55, fee: 1))
        rebuilt.replay(s!)
        #expect(rebuilt == account)
    }
}
