import BusKit
import BusTestSupport
import BusWire
import Foundation
import Logging
import Money
import Testing
import TradeManager
import TradingWire
@testable import Web

/// The history routes answered by the real trade-manager plugin from its SQLite file, over the real broker.
@Suite("Web history against the real trade manager", .serialized)
struct HistoryTests {
    /// Three finished trades and an open one, entered on 2026-05-28 (US Eastern) ten minutes apart.
    static let stored: [TradeRecord] = [
        trade("w1", at: 0, status: .settled, pnl: "0.80", exit: "1.00"),
        trade("l1", at: 600, status: .closed, pnl: "-0.30", exit: "0.45"),
        trade("w2", at: 1_200, status: .closed, pnl: "0.15", exit: "0.68"),
        trade("o1", at: 1_800, status: .open, pnl: nil, exit: nil),
    ]

    static func trade(_ id: String, at offset: Int64, status: TradeStatus, pnl: String?, exit: String?) -> TradeRecord {
        var t = Fixture.trade(id: id, ticker: Fixture.ticker(104_000), status: status, result: pnl.map { TradeMath.result(of: Dollars($0)!) },
                              pnl: pnl.flatMap { Dollars($0) })
        t.enteredTs = 1_780_000_000 + offset
        t.finishedTs = pnl == nil ? nil : t.enteredTs + 300
        t.exitValue = exit.flatMap { Dollars($0) }
        t.closeFees = pnl == nil ? .zero : Dollars(cents: 1)
        return t
    }

    @Test("GET /api/trades: filters and pages go to the trade manager, the totals are its own; the CSV holds every page")
    func historyFromTheRealTradeManager() async throws {
        try await WebHarness.with { h in
            let folder = NSTemporaryDirectory() + "web-history-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let database = folder + "/trades.sqlite"
            try await TradeStore(path: database).write(BookChanges(writing: Self.stored.map { BookTrade(record: $0) }))
            let configuration = try BusConfiguration(
                file: ConfigFile(path: "test.conf", text: "[plugin.trade-manager]\ndatabase = \(database)\n"),
                pluginKeys: ["trade-manager": TradeManager.configKeys])
            let bus = try h.broker.connect(as: "trade-manager@test")
            defer { bus.close(flushSeconds: 0.2) }
            #expect(await bus.waitUntilConnected(timeoutSeconds: 20))
            let plugin = try TradeManager(context: PluginContext(name: TradeManager.name, host: "test", configuration: configuration, bus: bus,
                                                                 clock: SystemClock(), health: Health(), logger: Logger(label: "tm-test")))
            let running = Task { try await plugin.run() }
            defer { running.cancel() }

            // Until the trade manager's subscription is in, a request goes unanswered (504).
            var all: HTTPAnswer?
            for _ in 0..<20 {
                all = try await h.request("GET", "/api/trades?from=2026-05-28&to=2026-05-28")
                if all?.status == 200 { break }
            }
            let reply = try #require(all)
            #expect(reply.status == 200, "\(reply.body)")
            let trades = try #require(reply.json?["trades"] as? [[String: Any]])
            #expect(trades.compactMap { $0["id"] as? String } == ["o1", "w2", "l1", "w1"])
            #expect(trades[1]["exit_value"] as? String == "0.6800" && trades[1]["finished_ts"] as? Int == 1_780_001_500)
            let summary = try #require(reply.json?["summary"] as? [String: Any])
            #expect(summary["trades"] as? Int == 4 && summary["wins"] as? Int == 2 && summary["losses"] as? Int == 1)
            #expect(summary["win_rate"] as? String == "66.67" && summary["pnl"] as? String == "0.6500" && summary["fees"] as? String == "0.1100")

            // One win a page: the totals stay those of every win.
            let first = try await h.request("GET", "/api/trades?result=win&limit=1")
            #expect(first.status == 200 && first.json?["truncated"] as? Bool == true)
            #expect((first.json?["trades"] as? [[String: Any]])?.first?["id"] as? String == "w2")
            #expect((first.json?["summary"] as? [String: Any])?["pnl"] as? String == "0.9500")
            let cursor = try #require(first.json?["next_cursor"] as? String)
            let escaped = cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor
            let second = try await h.request("GET", "/api/trades?result=win&limit=1&cursor=\(escaped)")
            #expect((second.json?["trades"] as? [[String: Any]])?.first?["id"] as? String == "w1" && second.json?["next_cursor"] == nil)

            #expect((try await h.request("GET", "/api/trades?status=closed&strategy=Nope").json?["trades"] as? [Any])?.isEmpty == true)
            #expect(try await h.request("GET", "/api/trades?from=2026-13-01").status == 400)
            #expect(try await h.request("GET", "/api/trades?status=bogus").status == 400)
            #expect(try await h.request("GET", "/api/trades?cursor=garbage").status == 400)

            let csv = try await h.request("GET", "/api/trades.csv?limit=1&status=closed,settled")
            #expect(csv.status == 200 && csv.header("content-type").first?.hasPrefix("text/csv") == true)
            let lines = csv.body.split(separator: "\r\n").map(String.init)
            #expect(lines.count == 4 && lines[0].hasPrefix("id,entered,status") && lines[1].hasPrefix("w2,"), "\(csv.body)")
            #expect(lines[3].contains(",1.0000,0.0300,0.8000,win,"))
        }
    }
}
