import Logging
import Money
import BusKit
import Synchronization
import BusWire
import Foundation
import Hummingbird
import TradingWire

/// The read side of the JSON API: what the pages show, from the dashboard state (history: HistoryRoutes).
extension WebServer {
    func addReadRoutes(_ router: Router<WebRequestContext>) {
        router.get("healthz") { _, _ in JSON.text("{\"status\":\"ok\"}") }
        router.get("api/audit") { _, _ in JSON.encode(AuditEntries(entries: core.auditLog.entries)) }
        router.get("api/session") { _, context in
            JSON.object([("csrf", context.session.map { PushFrame.quote($0.csrf) } ?? "null"),
                         ("mode", PushFrame.quote(core.mode.rawValue)), ("login", core.settings.requiresLogin ? "true" : "false")])
                .asJSON
        }
        router.get("api/price") { _, _ in
            let s = core.state.withLock { $0 }
            let history = "[" + s.prices.points.map { "[\($0.0),\"\($0.1.formatted(decimals: 2))\"]" }.joined(separator: ",") + "]"
            return JSON.object([("tick", JSON.data(s.latest[Topic.btcTick.rawValue])),
                                ("momentum", JSON.data(s.latest[Topic.btcMomentum.rawValue])), ("history", history)]).asJSON
        }
        router.get("api/strikes") { _, _ in
            let (s, now) = (core.state.withLock { $0 }, core.clock.now)
            let current = s.currentStrikeTable(now: now).map { Topic.strikeTable(event: $0.eventTicker).rawValue }
            return JSON.object([("current", JSON.data(current.flatMap { s.latest[$0] })),
                                ("tables", JSON.list(s.all(prefix: "model.strikes.")))]).asJSON
        }
        router.get("api/watchlist") { _, _ in
            let (s, now) = (core.state.withLock { $0 }, core.clock.now)
            let current = s.currentStrikeTable(now: now).map { Topic.watchlist(event: $0.eventTicker).rawValue }
            return JSON.object([("current", JSON.data(current.flatMap { s.latest[$0] })),
                                ("watchlists", JSON.list(s.all(prefix: "model.watchlist.")))]).asJSON
        }
        router.get("api/trades/open") { _, _ in
            let s = core.state.withLock { $0 }
            return JSON.object([("open", JSON.data(s.latest[Topic.openTrades.rawValue])),
                                ("supervised", JSON.data(s.latest[Topic.supervisedTrades.rawValue]))]).asJSON
        }
        router.get("api/stats") { _, _ in
            JSON.object([("stats", JSON.data(core.state.withLock { $0.latest[Topic.tradeStats.rawValue] }))]).asJSON
        }
        router.get("api/account") { _, _ in
            let s = core.state.withLock { $0 }
            return JSON.object([
                ("mode", PushFrame.quote(core.mode.rawValue)), ("balance", JSON.data(s.latest[Topic.accountBalance.rawValue])),
                ("positions", JSON.data(s.latest[Topic.accountPositions.rawValue])),
                ("reconciliation", JSON.data(s.latest[Topic.reconciliation.rawValue])),
                ("fills", JSON.list(s.events("fill").reversed())), ("settlements", JSON.list(s.events("settlement").reversed())),
                ("orders", JSON.list(s.events("venue-order").reversed())),
            ]).asJSON
        }
        router.get("api/health") { _, _ in
            let s = core.state.withLock { $0 }
            let beats = JSON.object(s.all(prefix: "sys.heartbeat.").map { (String($0.topic.dropFirst("sys.heartbeat.".count)), JSON.data($0)) })
            return JSON.object([
                ("heartbeats", beats), ("launchers", JSON.list(s.all(prefix: "sys.launcher."))),
                ("broker", JSON.data(s.latest[Topic.brokerStats.rawValue])),
                ("trading", JSON.data(s.latest[Topic.tradingState.rawValue])),
                ("alerts", JSON.list(s.events("alert").reversed())),
            ]).asJSON
        }
        router.get("api/settings/:plugin") { _, context in
            let plugin = context.parameters.get("plugin") ?? ""
            guard let m = core.state.withLock({ $0.latest["settings.\(plugin)"] }) else {
                return JSON.error(.notFound, "no settings published by \(plugin) yet")
            }
            return JSON.raw(m.data)
        }
        addHistoryRoutes(router)
        addAccountRoutes(router)
        router.get("metrics") { _, _ in
            let text = MetricsRenderer.render(state: core.state.withLock { $0 }, bus: core.bus.counters, clients: core.hub.count,
                                              pushed: core.hub.pushed.load(ordering: .relaxed),
                                              dropped: core.hub.dropped.load(ordering: .relaxed), now: core.clock.now)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: .init(string: text)))
        }
    }
}

extension String {
    /// This JSON text as a response.
    var asJSON: Response { JSON.text(self) }
}

/// `GET /api/audit`: the latest user actions, newest first.
struct AuditEntries: Encodable { var entries: [AuditEntry] }
