import BusKit
import BusTestSupport
import BusWire
import Foundation
import MarketWire
import Money
import Testing
import TradingWire
@testable import Web

/// The JSON API over real HTTP, with the plugin on the real bus.
@Suite("Web API over HTTP and the real bus", .serialized)
struct APITests {
    @Test("GET endpoints serve what was published on the bus")
    func readsServeBusState() async throws {
        try await WebHarness.with { h in
            try h.publish(.btcTick, Fixture.tick(104_000))
            try h.publish(.strikeTable(event: Fixture.event), Fixture.table(price: 104_000))
            let trade = Fixture.trade(id: "t-1", ticker: Fixture.ticker(103_750))
            try h.publish(.openTrades, OpenTrades(trades: [trade], time: "2026-12-01T12:00:00Z"))
            let bucket = TradeStatistics.Bucket(key: "all", trades: 4, wins: 3, losses: 1, draws: 0, winRate: "0.7500",
                                                pnl: Dollars(cents: 123), fees: Dollars(cents: 8))
            try h.publish(.tradeStats, TradeStatistics(overall: bucket, byDay: [], byHour: [], byStrategy: [], time: "t"))
            try h.publish(.heartbeat(plugin: "model"), Heartbeat(plugin: "model", host: "test", pid: 42, state: .running, uptime: 12, rss: 1 << 20))
            try h.publish(.accountBalance, AccountBalance(balance: Dollars(cents: 100_000), portfolioValue: nil, mode: "sim", time: "t"))
            #expect(await eventually { (try? await h.request("GET", "/api/price"))?.body.contains("\"104000.0000\"") == true })
            #expect(await eventually { (try? await h.request("GET", "/api/strikes"))?.body.contains(Fixture.ticker(104_250)) == true })
            #expect(await eventually { (try? await h.request("GET", "/api/trades/open"))?.body.contains("\"t-1\"") == true })
            #expect(await eventually { (try? await h.request("GET", "/api/stats"))?.body.contains("\"0.7500\"") == true })
            #expect(await eventually { (try? await h.request("GET", "/api/health"))?.json.flatMap { ($0["heartbeats"] as? [String: Any])?["model"] } != nil })
            #expect(await eventually { (try? await h.request("GET", "/api/account"))?.body.contains("\"1000.0000\"") == true })
            let healthz = try await h.request("GET", "/healthz")
            #expect(healthz.status == 200)
            let missing = try await h.request("GET", "/api/settings/auto-entry")
            #expect(missing.status == 404)
            for page in ["/", "/history", "/account", "/system"] {
                let p = try await h.request("GET", page)
                #expect(p.status == 200 && p.body.contains("<main>"), "page \(page)")
            }
        }
    }

    @Test("POST /api/buy needs the CSRF token, then repeats an entry intent until order.event.web answers")
    func buyPublishesIntent() async throws {
        // The answer comes as soon as the stand-in executor sees the intent; the long limit is for a loaded machine.
        try await WebHarness.with(intentTimeout: "20s") { h in
            // Answers every copy of an intent, as the executor does (a repeat is answered again from its journal), so
            // that an answer the web was not yet listening for is given again. Subscribed before the liveness check
            // below, so that it listens by the time the inbox does.
            let copies = h.feeder.subscribe([TopicFilter(.orderIntent(source: "web"))])
            let inbox = Inbox()
            let collecting = inbox.collect(h.feeder.subscribe([TopicFilter(.orderIntent(source: "web")), .pings(target: "web-test")]))
            defer { collecting.cancel() }
            #expect(await h.live(inbox))
            let answering = Task {
                for await e in copies {
                    guard let intent = try? e.decode(OrderIntent.self) else { continue }
                    try? h.publish(.orderEvent(source: "web"), Fixture.filled(intent))
                }
            }
            defer { answering.cancel() }
            try h.publish(.strikeTable(event: Fixture.event), Fixture.table(price: 104_000))
            #expect(await eventually { (try? await h.request("GET", "/api/strikes"))?.body.contains(Fixture.event) == true })
            let body = #"{"ticker":"\#(Fixture.ticker(103_750))","side":"yes","count":"3"}"#
            let (cookie, csrf) = try await h.session()
            #expect(!csrf.isEmpty && cookie.hasPrefix("recio_session="))
            let refused = try await h.request("POST", "/api/buy", json: body, cookie: cookie)
            #expect(refused.status == 403)
            let wrong = try await h.request("POST", "/api/buy", json: body, cookie: cookie, csrf: "nope")
            #expect(wrong.status == 403)
            let answer = try await h.request("POST", "/api/buy", json: body, cookie: cookie, csrf: csrf)
            #expect(answer.status == 200, "\(answer.body)")
            #expect((answer.json?["event"] as? [String: Any])?["outcome"] as? String == "filled")
            let intents = inbox.decoded("order.intent.web", OrderIntent.self)
            let intent = try #require(intents.first)
            #expect(Set(intents.map(\.key)).count == 1)
            #expect(intent.purpose == .entry && intent.method == "manual" && intent.source == "web")
            #expect(intent.side == .yes && intent.count == Contracts(whole: 3) && intent.eventTicker == Fixture.event)
            #expect(intent.limitPrice == Dollars(cents: 62))  // the ask (60¢) plus entry_slippage (2¢)
        }
    }

    @Test("in prod, POST /api/buy above confirm_above is refused (428) unless confirmed; the page carries the guards")
    func prodBuyNeedsConfirmation() async throws {
        try await WebHarness.with(mode: "prod", extra: "confirm_above = 1\nstale_after = 4s") { h in
            let inbox = Inbox()
            let collecting = inbox.collect(h.feeder.subscribe([TopicFilter(.orderIntent(source: "web")), .pings(target: "web-test")]))
            defer { collecting.cancel() }
            #expect(await h.live(inbox))
            try h.publish(.strikeTable(event: Fixture.event), Fixture.table(price: 104_000))
            #expect(await eventually { (try? await h.request("GET", "/api/strikes"))?.body.contains(Fixture.event) == true })
            let page = try await h.request("GET", "/")
            #expect(page.body.contains(#"data-confirm-above="1.000000""#) && page.body.contains(#"data-stale-after="4.0""#))
            let (cookie, csrf) = try await h.session()
            let ticker = Fixture.ticker(103_750)  // ask 60¢ + 2¢: two contracts may cost $1.24
            let big = try await h.request("POST", "/api/buy", json: #"{"ticker":"\#(ticker)","side":"yes","count":"2"}"#,
                                          cookie: cookie, csrf: csrf)
            #expect(big.status == 428 && big.body.contains("confirm"), "\(big.body)")
            #expect(inbox.decoded("order.intent.web", OrderIntent.self).isEmpty, "nothing sent for the refused buy")
            let small = try await h.request("POST", "/api/buy", json: #"{"ticker":"\#(ticker)","side":"yes","count":"1"}"#,
                                            cookie: cookie, csrf: csrf)
            #expect(small.status == 200 || small.status == 202, "\(small.body)")
            let confirmed = try await h.request("POST", "/api/buy", json: #"{"ticker":"\#(ticker)","side":"yes","count":"2","confirmed":true}"#,
                                                cookie: cookie, csrf: csrf)
            #expect(confirmed.status == 200 || confirmed.status == 202, "\(confirmed.body)")
            #expect(await eventually { Set(inbox.decoded("order.intent.web", OrderIntent.self).map(\.count)) == [Contracts(whole: 1), Contracts(whole: 2)] })
        }
    }

    @Test("GET /api/account/fills and /settlements page account-sync's answers to cmd.account.query; errors and silence")
    func accountPages() async throws {
        try await WebHarness.with { h in
            // A stand-in for account-sync's store (the real plugin answers in AccountPageTests, AccountQueryTests and the fleet test).
            let fill = { (n: Int64) in VenueFill(fillID: "F\(n)", orderID: "O", ticker: "T", side: .yes, action: "buy", count: Contracts(whole: 1),
                                                  price: Dollars(cents: 40), fee: nil, isTaker: true, ts: n) }
            let answering = Task {
                for await e in h.feeder.subscribe([TopicFilter(.accountQuery)]) {
                    guard let q = try? e.decode(AccountQuery.self), q.requester == "web" else { continue }
                    let reply: AccountQueryResult
                    switch (q.kind, q.cursor) {
                    case (.settlements, _): reply = AccountQueryResult(requestID: q.requestID, error: "bad cursor 'x'")
                    case (.fills, nil): reply = AccountQueryResult(requestID: q.requestID, fills: [fill(3), fill(2)], nextCursor: "2:2")
                    case (.fills, "2:2"): reply = AccountQueryResult(requestID: q.requestID, fills: [fill(1)])
                    default: continue  // never answered: the route times out
                    }
                    try? h.publish(.accountQueryReply(requester: "web"), reply)
                }
            }
            defer { answering.cancel() }
            var first: HTTPAnswer?  // asked again while the stand-in's subscription is still joining
            #expect(await eventually {
                first = try? await h.request("GET", "/api/account/fills?limit=2")
                return first?.status == 200
            })
            let page = try #require(first)
            #expect(page.json?["next_cursor"] as? String == "2:2")
            #expect((page.json?["fills"] as? [[String: Any]])?.compactMap { $0["fill_id"] as? String } == ["F3", "F2"])
            let second = try await h.request("GET", "/api/account/fills?cursor=2:2")
            #expect(second.status == 200 && second.json?["next_cursor"] == nil)
            #expect((second.json?["fills"] as? [[String: Any]])?.count == 1)
            #expect(try await h.request("GET", "/api/account/fills?limit=0").status == 400)
            let refused = try await h.request("GET", "/api/account/settlements")
            #expect(refused.status == 400 && refused.body.contains("bad cursor"))
            #expect(try await h.request("GET", "/api/account/fills?cursor=9:9").status == 504)
        }
    }

    @Test("POST /api/close buys the opposite side of the trade at the opposite ask plus the cap")
    func closePublishesCloseIntent() async throws {
        try await WebHarness.with { h in
            let inbox = Inbox()
            let collecting = inbox.collect(h.feeder.subscribe([TopicFilter(.orderIntent(source: "web")), .pings(target: "web-test")]))
            defer { collecting.cancel() }
            #expect(await h.live(inbox))
            let ticker = Fixture.ticker(103_750)
            try h.publish(.strikeTable(event: Fixture.event), Fixture.table(price: 104_000))
            try h.publish(.openTrades, OpenTrades(trades: [Fixture.trade(id: "t-9", ticker: ticker)], time: "t"))
            #expect(await eventually { (try? await h.request("GET", "/api/trades/open"))?.body.contains("t-9") == true })
            #expect(await eventually { (try? await h.request("GET", "/api/strikes"))?.body.contains(Fixture.event) == true })
            let (cookie, csrf) = try await h.session()
            async let first = h.request("POST", "/api/close", json: #"{"trade_id":"t-9"}"#, cookie: cookie, csrf: csrf)
            #expect(await eventually { !inbox.decoded("order.intent.web", OrderIntent.self).isEmpty })
            let second = try await h.request("POST", "/api/close", json: #"{"trade_id":"t-9"}"#, cookie: cookie, csrf: csrf)
            #expect(second.status == 409 && second.body.contains("already closing"), "a second close while the first is in flight")
            let answer = try await first
            #expect(answer.status == 202, "no executor answers: the key comes back unanswered")
            #expect(Set(inbox.decoded("order.intent.web", OrderIntent.self).map(\.key)).count == 1, "one close, repeated under one key")
            let intent = try #require(inbox.decoded("order.intent.web", OrderIntent.self).first)
            #expect(intent.purpose == .close && intent.tradeID == "t-9" && intent.side == .no)
            #expect(intent.count == Contracts(whole: 2) && intent.limitPrice == Dollars(cents: 47))  // 42¢ + 5¢
            let unknown = try await h.request("POST", "/api/close", json: #"{"trade_id":"nope"}"#, cookie: cookie, csrf: csrf)
            #expect(unknown.status == 409)
            let audit = try await h.request("GET", "/api/audit")
            let entries = try #require(audit.json?["entries"] as? [[String: Any]])
            #expect(entries.map { $0["action"] as? String } == ["close", "close", "close"])
            #expect(entries.contains { ($0["outcome"] as? String) == "409 already closing" && ($0["client"] as? String) == "127.0.0.1" })
            let file = try String(contentsOfFile: h.home + "/web/audit.log", encoding: .utf8)
            #expect(file.split(separator: "\n").count == 3 && file.contains("trade t-9"))
        }
    }

    @Test("the buy size, multiplier and +/− are preferences on the server, bounded, kept in a file and pushed")
    func preferences() async throws {
        try await WebHarness.with { h in
            let (cookie, csrf) = try await h.session()
            #expect(try await h.request("GET", "/api/preferences").json?["size"] as? Int == 1)
            let set = try await h.request("POST", "/api/preferences", json: #"{"size":4,"mult":3,"diff":true}"#, cookie: cookie, csrf: csrf)
            #expect(set.status == 200)
            let got = try await h.request("GET", "/api/preferences").json
            #expect(got?["size"] as? Int == 4 && got?["mult"] as? Int == 3 && got?["diff"] as? Bool == true)
            #expect(try await h.request("POST", "/api/preferences", json: #"{"size":4,"mult":5,"diff":true}"#, cookie: cookie, csrf: csrf).status == 400)
            let file = try String(contentsOfFile: h.home + "/web/preferences.json", encoding: .utf8)
            #expect(file.contains("\"size\":4"))
        }
    }

    @Test("pages carry no inline script or style; their files are served under /assets/ with a CSP of 'self' only")
    func pagesAndAssets() async throws {
        try await WebHarness.with { h in
            for path in ["/", "/history", "/account", "/system"] {
                let page = try await h.request("GET", path)
                let csp = try #require(page.header("content-security-policy").first)
                #expect(page.status == 200 && !csp.contains("unsafe-inline") && csp.contains("script-src 'self'"))
                #expect(!page.body.contains("<script>") && !page.body.contains("<style>") && !page.body.contains("style=\""))
            }
            for name in ["common.js", "monitor.js", "history.js", "account.js", "system.js", "app.css"] {
                let asset = try await h.request("GET", "/assets/" + name)
                #expect(asset.status == 200 && !asset.body.isEmpty)
                #expect(asset.header("content-type").first?.hasPrefix(name.hasSuffix(".js") ? "text/javascript" : "text/css") == true)
            }
            #expect(try await h.request("GET", "/assets/../web/password").status == 404)
            for page in ["monitor", "history", "account", "system"] {
                let script = try await h.request("GET", "/assets/\(page).js").body
                #expect(!script.contains("innerHTML"), "only setHTML (which takes html`…`) writes markup")
            }
        }
    }

    @Test("halt, resume, settings and expire-now go onto the bus")
    func commandsGoOntoTheBus() async throws {
        try await WebHarness.with { h in
            let inbox = Inbox()
            let collecting = inbox.collect(h.feeder.subscribe([TopicFilter(.tradingCommand), TopicFilter(.settingsChange(plugin: "auto-entry")),
                                                               TopicFilter(.expireTradesNow), .pings(target: "web-test")]))
            defer { collecting.cancel() }
            #expect(await h.live(inbox))
            let (cookie, csrf) = try await h.session()
            #expect(try await h.request("POST", "/api/halt", json: "{}", cookie: cookie).status == 403)
            #expect(try await h.request("POST", "/api/halt", json: #"{"reason":"lunch"}"#, cookie: cookie, csrf: csrf).status == 202)
            #expect(try await h.request("POST", "/api/resume", cookie: cookie, csrf: csrf).status == 202)
            let settings = #"{"values":{"auto_entry":"true"}}"#
            #expect(try await h.request("POST", "/api/settings/auto-entry", json: settings, cookie: cookie, csrf: csrf).status == 202)
            #expect(try await h.request("POST", "/api/expire-now", cookie: cookie, csrf: csrf).status == 202)
            #expect(await eventually { inbox.decoded("sys.control.trading", TradingCommand.self).count == 2 })
            let commands = inbox.decoded("sys.control.trading", TradingCommand.self)
            #expect(commands.first?.action == .halt && commands.first?.holder == "user" && commands.first?.reason == "lunch")
            #expect(commands.last?.action == .resume && commands.last?.holder == "user")
            #expect(await eventually { inbox.decoded("cmd.settings.auto-entry", SettingsChange.self).first?.values == ["auto_entry": "true"] })
            #expect(await eventually { inbox.decoded("cmd.trades.expire", ExpireTradesNow.self).first?.requester == "web" })
        }
    }
}
