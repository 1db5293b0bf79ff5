import Foundation
import Testing

/// Every route of the web plugin's README table, called against the real fleet: status and shape. Run at the end
/// of the trading cycle, so its commands (a halt and its resume, a settings change, a refused buy and close) do not
/// change the scenario.
func checkEveryDashboardRoute(base: String) async throws {
    func get(_ path: String) async throws -> FleetHTTP.Answer {
        try #require(await FleetHTTP.request("GET", base + path), "GET \(path) answered")
    }
    // Reads: each a JSON object with the keys the README lists.
    let reads: [(String, [String])] = [
        ("/api/session", ["csrf", "mode", "login"]), ("/api/price", ["tick", "momentum", "history"]),
        ("/api/strikes", ["current", "tables"]), ("/api/watchlist", ["current", "watchlists"]),
        ("/api/trades/open", ["open", "supervised"]), ("/api/trades?limit=1", ["trades", "truncated", "next_cursor", "summary"]),
        ("/api/stats", ["stats"]), ("/api/account", ["mode", "balance", "positions", "reconciliation", "fills", "settlements", "orders"]),
        ("/api/account/fills?limit=1", ["fills"]), ("/api/account/settlements?limit=1", ["settlements"]),
        ("/api/health", ["heartbeats", "launchers", "broker", "trading", "alerts"]),
        ("/api/settings/auto-entry", ["plugin", "values"]), ("/api/settings/trade-supervisor", ["plugin", "values"]),
        ("/api/audit", ["entries"]), ("/api/preferences", ["size", "mult", "diff"]), ("/healthz", ["status"]),
    ]
    for (path, keys) in reads {
        let a = try await get(path)
        #expect(a.status == 200, "GET \(path): \(a.status) \(a.text.prefix(200))")
        let object = a.json ?? [:]
        #expect(keys.allSatisfy { object.keys.contains($0) }, "GET \(path) has \(keys): \(object.keys.sorted())")
    }
    #expect(try await get("/api/trades?from=yesterday").status == 400, "a bad filter")
    #expect(try await get("/api/settings/nobody").status == 404, "a plugin that published no settings")
    let csv = try await get("/api/trades.csv")
    #expect(csv.status == 200 && csv.text.hasPrefix("id,entered,status,strategy,ticker"), "GET /api/trades.csv: \(csv.text.prefix(120))")
    let metrics = try await get("/metrics")
    #expect(metrics.status == 200 && metrics.text.contains("# TYPE "), "GET /metrics")
    for page in ["/", "/history", "/account", "/system"] {
        let a = try await get(page)
        #expect(a.status == 200 && a.text.contains("<script src=\"/assets/common.js\">"), "GET \(page)")
        #expect(a.header("content-security-policy")?.contains("unsafe-inline") == false, "CSP of \(page)")
    }
    for asset in ["app.css", "common.js", "monitor.js", "history.js", "account.js", "system.js"] {
        #expect(try await get("/assets/" + asset).status == 200, "GET /assets/\(asset)")
    }

    // Commands: a session and its CSRF token first; without the token, 403.
    let session = try await get("/api/session")
    let cookie = try #require(session.header("set-cookie")?.split(separator: ";").first.map(String.init), "a session cookie")
    let csrf = try #require(session.json?["csrf"] as? String)
    func post(_ path: String, _ json: String?, token: String? = nil) async throws -> FleetHTTP.Answer {
        try #require(await FleetHTTP.request("POST", base + path, json: json, cookie: cookie, csrf: token ?? csrf), "POST \(path) answered")
    }
    #expect(try await post("/api/halt", "{}", token: "forged").status == 403)
    let commands: [(String, String?, Int)] = [
        ("/api/halt", #"{"reason":"route check"}"#, 202), ("/api/resume", nil, 202),
        ("/api/settings/auto-entry", #"{"values":{"auto_entry":"false"}}"#, 202), ("/api/expire-now", nil, 202),
        ("/api/buy", #"{"ticker":"KXBTCD-NOPE-T1","side":"yes","count":"1"}"#, 409), ("/api/close", #"{"trade_id":"no-such-trade"}"#, 409),
        ("/api/preferences", #"{"size":3,"mult":2,"diff":false}"#, 200), ("/api/preferences", #"{"size":0,"mult":2,"diff":false}"#, 400),
        ("/api/buy", "not json", 400), ("/api/settings/auto-entry", #"{"values":{}}"#, 400),
    ]
    for (path, body, status) in commands {
        let a = try await post(path, body)
        #expect(a.status == status, "POST \(path) \(body ?? ""): \(a.status) \(a.text.prefix(200))")
        #expect(a.json != nil, "POST \(path) answers JSON: \(a.text.prefix(200))")
    }
    let audit = try await get("/api/audit")
    let actions = (audit.json?["entries"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
    #expect(Set(["halt", "resume", "settings", "expire", "buy", "close"]).isSubset(of: Set(actions)), "audited: \(actions)")
}
