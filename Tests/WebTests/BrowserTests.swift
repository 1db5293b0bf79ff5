import BusKit
import BusTestSupport
import BusWire
import Foundation
import MarketWire
import Money
import Testing
import TradingWire
@testable import Web


/// A real browser against the plugin on the real bus, fed changing prices and strike tables.
@Suite("Web dashboard in headless Chromium", .serialized)
struct BrowserTests {
    @Test("price and strike table update without reload; buy makes a trade appear; screenshots of every page",
          .enabled("skipped: chromium, chromium-driver or selenium is missing (scripts/install-deps)") {
              try await offPool { Browser.available }
          })
    func dashboardInChromium() async throws {
        try await WebHarness.with { h in
            let feeding = Task {
                var n = 0
                while !Task.isCancelled {
                    let price = 104_000 + (n % 20) * 7
                    try? h.publish(.btcTick, Fixture.tick(price))
                    try? h.publish(.strikeTable(event: Fixture.event), Fixture.table(price: price))
                    let table = Fixture.table(price: price)
                    try? h.publish(.watchlist(event: Fixture.event), Watchlist(eventTicker: Fixture.event, model: "fingerprint", btcPrice: table.btcPrice,
                                                                               momentum: 7, ttcSeconds: table.ttcSeconds, closeTs: table.closeTs,
                                                                               rows: Array(table.rows.prefix(2)), time: table.time))
                    try? h.publish(.btcMomentum, BTCMomentum(product: "BTC-USD", price: Dollars(cents: Int64(price) * 100), time: "now",
                                                             score: "0.07", scoreX100: 7 + n % 5,
                                                             deltas: ["1m": "0.05", "2m": "0.08", "3m": "-0.02", "4m": "0.10", "15m": "0.20", "30m": "0.15"]))
                    try? h.publish(.heartbeat(plugin: "model"), Heartbeat(plugin: "model", host: "test", pid: 1, state: .running,
                                                                          uptime: Double(n) / 4, rss: 30 << 20, dataAges: ["price": 0.2]))
                    n += 1
                    try? await Task.sleep(for: .milliseconds(250))  // a data source, not a timing check
                }
            }
            defer { feeding.cancel() }
            let executor = Task { await Self.fakeExecutorAndTradeManager(h) }
            defer { executor.cancel() }
            let shots = Browser.root.appendingPathComponent(".build/artifacts/screenshots")
            let result = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: result) }
            let script = Browser.root.appendingPathComponent("Tests/WebTests/browser/dashboard_test.py").path
            let status = try await offPool {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                p.arguments = ["python3", script, "--url", h.base, "--screenshots", shots.path, "--result", result.path, "--timeout", "40"]
                p.standardOutput = FileHandle.nullDevice
                try p.run()
                p.waitUntilExit()
                return p.terminationStatus
            }
            let data = try Data(contentsOf: result)
            let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let checks = report["checks"] as? [String: Bool] ?? [:]
            #expect(status == 0, "browser report: \(String(decoding: data, as: UTF8.self))")
            for name in ["price updates without reload", "strike table updates without reload", "trade appears in open trades",
                         "automated entry notified", "buy disabled while the strike table is stale", "prod asks before a buy above confirm_above", "close pressed twice sends one close", "no console errors on monitor",
                         "no console errors on history", "account fills loaded from the store", "no console errors on account", "no console errors on system",
                         "close button usable at phone width",
                         "phone layout fits"] {
                #expect(checks[name] == true, "\(name): \(report["notes"] ?? "")")
            }
            for page in ["monitor", "monitor-trade", "history", "account", "system", "monitor-phone", "history-phone", "account-phone", "system-phone"] {
                #expect(FileManager.default.fileExists(atPath: shots.appendingPathComponent("\(page).png").path), "screenshot \(page)")
            }
        }
    }

    /// Answers the web's entry intents with a fill and lists the trade in `trade.state.open`, as the executor and
    /// trade manager would; answers history queries with those trades.
    static func fakeExecutorAndTradeManager(_ h: WebHarness) async {
        var trades: [TradeRecord] = []
        var finished = [Fixture.trade(id: "old-win", ticker: Fixture.ticker(103_000), status: .settled, result: .win, pnl: Dollars(cents: 76)),
                        Fixture.trade(id: "old-loss", ticker: Fixture.ticker(103_250), status: .closed, result: .loss, pnl: Dollars(cents: -41))]
        finished[0].exitValue = Dollars(cents: 100); finished[1].exitValue = Dollars(cents: 40); finished[1].finishedTs = 1_780_001_200
        // The trade manager's totals over the query (its store computes them; here, as it would).
        let totals = TradeStatistics.Bucket(key: "query", trades: 2, wins: 1, losses: 1, draws: 0, winRate: "0.5000",
                                            pnl: Dollars(cents: 35), fees: Dollars(cents: 4))
        try? h.publish(.tradingState, TradingStatus(mode: .active, hard: false, holds: [], venueMode: "sim", time: "now"))
        var seen = Set<String>()
        try? h.publish(.accountBalance, AccountBalance(balance: Dollars(cents: 1_000_00), portfolioValue: Dollars(cents: 0), mode: "sim", time: "now"))
        for await e in h.feeder.subscribe([TopicFilter(.orderIntent(source: "web")), TopicFilter(.tradeQuery), TopicFilter(.accountQuery)]) {
            if let q = try? e.decode(AccountQuery.self), e.topic == Topic.accountQuery.rawValue {  // account-sync's store, one page
                let fill = VenueFill(fillID: "F-stored", orderID: "O-stored", ticker: Fixture.ticker(103_000), side: .yes, action: "buy",
                                     count: Contracts(whole: 2), price: Dollars(cents: 61), fee: Dollars(cents: 1), isTaker: true, ts: 1_780_000_000)
                try? h.publish(.accountQueryReply(requester: q.requester), AccountQueryResult(requestID: q.requestID, fills: q.kind == .fills ? [fill] : []))
                continue
            }
            if let q = try? e.decode(TradeQuery.self), e.topic == Topic.tradeQuery.rawValue {
                try? h.publish(.tradeQueryReply(requester: q.requester), TradeQueryResult(requestID: q.requestID, trades: trades + finished, truncated: false,
                                                                                       summary: totals))
                continue
            }
            guard let intent = try? e.decode(OrderIntent.self) else { continue }
            try? h.publish(.orderEvent(source: "web"), Fixture.filled(intent))
            guard intent.purpose == .entry, seen.insert(intent.key).inserted else { continue }
            var t = Fixture.trade(id: intent.key, ticker: intent.ticker, side: intent.side)
            t.count = intent.count; t.entryPrice = intent.limitPrice; t.strike = intent.strike
            trades.append(t)
            try? h.publish(.tradeUpdate, TradeUpdate(previous: .pending, trade: t))
            try? h.publish(.openTrades, OpenTrades(trades: trades, time: BusTime(seconds: Int64(Date().timeIntervalSince1970)).description))
            var auto = t
            auto.id = "auto-\(intent.key)"; auto.entryMethod = "auto"
            try? h.publish(.tradeUpdate, TradeUpdate(previous: .pending, trade: auto))  // the page beeps and toasts "Auto entry"
            let views = trades.map {
                SupervisedTrade(tradeID: $0.id, status: .open, ticker: $0.ticker, eventTicker: Fixture.event, side: $0.side, count: $0.count,
                                entryPrice: $0.entryPrice, winProbability: 0.96, closePrice: nil, pnl: Dollars(cents: 4), secondsSinceEntry: 1,
                                distance: nil, ttcSeconds: nil, belowThresholdSince: nil, closeMethod: nil, closeKey: nil)
            }
            try? h.publish(.supervisedTrades, SupervisedTrades(trades: views, autoStop: true, ripcord: false, momentum: nil, time: "now"))
        }
    }
}
