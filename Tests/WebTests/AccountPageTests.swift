import AccountSync
import BusKit
import BusTestSupport
import BusWire
import Foundation
import Logging
import Money
import Testing
import TradingWire

/// The account routes answered by the real account-sync plugin from its SQLite store (no venue reachable: the store
/// is filled beforehand, and queries are answered whether or not the venue is).
@Suite("Web account pages from the real account-sync", .serialized)
struct AccountPageTests {
    @Test("GET /api/account/fills pages account-sync's stored fills, newest first; settlements too",
          .enabled("skipped: openssl is missing") { FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") })
    func fillsFromTheRealAccountSync() async throws {
        try await WebHarness.with { h in
            let folder = NSTemporaryDirectory() + "web-account-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let credentials = try await Self.credentials(in: folder)
            let database = folder + "/account.sqlite"
            let store = try AccountStore(path: database)
            for n in 1...5 {
                _ = try await store.insert(VenueFill(fillID: "F\(n)", orderID: "O\(n)", ticker: "T\(n)", side: .yes, action: "buy",
                                                     count: Contracts(whole: Int64(n)), price: Dollars(cents: 40), fee: nil, isTaker: true,
                                                     ts: 1_780_000_000 + Int64(n)))
            }
            _ = try await store.insert(VenueSettlement(ticker: "T1", eventTicker: "E", result: "yes", yesCount: Contracts(whole: 1),
                                                       noCount: .zero, yesTotalCost: nil, noTotalCost: nil, revenue: Dollars(cents: 100),
                                                       fee: nil, settledTs: 1_780_003_600))
            let text = """
                [plugin.account-sync]
                rest_url = http://127.0.0.1:9/trade-api/v2
                ws_url = ws://127.0.0.1:9/trade-api/ws/v2
                credentials = \(credentials)
                database = \(database)
                """
            let configuration = try BusConfiguration(file: ConfigFile(path: "test.conf", text: text), pluginKeys: [AccountSync.name: AccountSync.configKeys])
            let bus = try h.broker.connect(as: "account-sync@test")
            defer { bus.close(flushSeconds: 0.2) }
            #expect(await bus.waitUntilConnected(timeoutSeconds: 20))
            let plugin = try AccountSync(context: PluginContext(name: AccountSync.name, host: "test", configuration: configuration, bus: bus,
                                                                clock: SystemClock(), health: Health(), logger: Logger(label: "acct-test")))
            let running = Task { try await plugin.run() }
            defer { running.cancel() }

            // Until account-sync's subscription is in, a request goes unanswered (504).
            var first: HTTPAnswer?
            for _ in 0..<20 {
                first = try await h.request("GET", "/api/account/fills?limit=3")
                if first?.status == 200 { break }
            }
            let page = try #require(first)
            #expect(page.status == 200, "\(page.body)")
            #expect((page.json?["fills"] as? [[String: Any]])?.compactMap { $0["fill_id"] as? String } == ["F5", "F4", "F3"])
            let cursor = try #require(page.json?["next_cursor"] as? String)
            let rest = try await h.request("GET", "/api/account/fills?limit=3&cursor=\(cursor)")
            #expect((rest.json?["fills"] as? [[String: Any]])?.compactMap { $0["fill_id"] as? String } == ["F2", "F1"])
            #expect(rest.json?["next_cursor"] == nil)
            let settlements = try await h.request("GET", "/api/account/settlements")
            #expect((settlements.json?["settlements"] as? [[String: Any]])?.compactMap { $0["ticker"] as? String } == ["T1"])
            #expect(try await h.request("GET", "/api/account/fills?cursor=nope").status == 400)
        }
    }

    /// A credentials folder with a fresh RSA key made by `openssl` (never committed).
    static func credentials(in root: String) async throws -> String {
        let folder = root + "/credentials"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let key = folder + "/private_key.pem"
        try await offPool {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            p.arguments = ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key]
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
        }
        try Data("web-test-key\n".utf8).write(to: URL(fileURLWithPath: folder + "/key_id"))
        for file in ["private_key.pem", "key_id"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: folder + "/" + file)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder)
        return folder
    }
}
