import Logging
import Money
import BusKit
import Synchronization
import BusWire
import Foundation
import Hummingbird
import TradingWire

/// The user's commands: each goes onto the bus as an intent or command; nothing here calls another plugin.
/// Every command is written to the audit log with its client and outcome.
extension WebServer {
    func addCommandRoutes(_ router: Router<WebRequestContext>) {
        router.post("api/buy") { request, context in
            let client = core.client(request, context)
            guard let body = await JSON.body(request, as: BuyRequest.self) else {
                core.audit("buy", client: client, detail: "malformed request", outcome: "400")
                return JSON.error(.badRequest, "expected {\"ticker\":…, \"side\":\"yes\"|\"no\", \"count\":\"1\"}")
            }
            let detail = "\(body.side) \(body.count.map { "\($0)" } ?? "default") × \(body.ticker)"
            let (state, now, s) = (core.state.withLock { $0 }, core.clock.now, core.settings)
            switch OrderPlanner.entry(body, state: state, key: Self.newKey("web"), slippage: s.entrySlippage, strategy: s.strategy,
                                      now: now, ttl: s.intentTimeout + 5) {
            case .failure(let e):
                core.audit("buy", client: client, detail: detail, outcome: "409 \(e.description)")
                return JSON.error(.conflict, e.description)
            case .success(let intent):
                if let e = OrderPlanner.confirmation(body, intent: intent, mode: core.mode, above: s.confirmAbove) {
                    core.audit("buy", client: client, detail: detail, outcome: "428 \(e.description)")
                    return JSON.error(.preconditionRequired, e.description)
                }
                return await send(intent, action: "buy", client: client, detail: detail)
            }
        }
        router.post("api/close") { request, context in
            let client = core.client(request, context)
            guard let body = await JSON.body(request, as: CloseRequest.self) else {
                core.audit("close", client: client, detail: "malformed request", outcome: "400")
                return JSON.error(.badRequest, "expected {\"trade_id\":…}")
            }
            let detail = "trade \(body.tradeID)"
            guard core.closing.withLock({ $0.insert(body.tradeID).inserted }) else {
                core.audit("close", client: client, detail: detail, outcome: "409 already closing")
                return JSON.error(.conflict, "already closing")
            }
            defer { _ = core.closing.withLock { $0.remove(body.tradeID) } }
            let (state, now, s) = (core.state.withLock { $0 }, core.clock.now, core.settings)
            switch OrderPlanner.close(body, state: state, key: Self.newKey("webc"), slippage: s.closeSlippage, now: now,
                                      ttl: s.intentTimeout + 5) {
            case .failure(let e):
                core.audit("close", client: client, detail: detail, outcome: "409 \(e.description)")
                return JSON.error(.conflict, e.description)
            case .success(let intent): return await send(intent, action: "close", client: client, detail: detail)
            }
        }
        router.post("api/settings/:plugin") { request, context in
            let client = core.client(request, context)
            let plugin = context.parameters.get("plugin") ?? ""
            guard (try? Topic(validating: "settings.\(plugin)")) != nil, !plugin.contains(".") else {
                return JSON.error(.badRequest, "bad plugin name '\(plugin)'")
            }
            guard let body = await JSON.body(request, as: SettingsBody.self), !body.values.isEmpty else {
                return JSON.error(.badRequest, "expected {\"values\":{\"key\":\"value\"}}")
            }
            let detail = plugin + ": " + body.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            let change = SettingsChange(plugin: plugin, values: body.values, requester: "web", time: core.clock.now.description)
            return sent(core.publish(.settingsChange(plugin: plugin), change), "settings", client: client, detail: detail)
        }
        router.post("api/halt") { request, context in
            let body = await JSON.body(request, as: HaltBody.self) ?? HaltBody()
            let command = TradingCommand(action: body.hard == true ? .haltHard : .halt, holder: "user",
                                         reason: body.reason ?? "halted from the dashboard", time: core.clock.now.description)
            return sent(core.publish(.tradingCommand, command), body.hard == true ? "halt hard" : "halt",
                        client: core.client(request, context), detail: command.reason)
        }
        router.post("api/resume") { request, context in
            let command = TradingCommand(action: .resume, holder: "user", reason: "resumed from the dashboard", time: core.clock.now.description)
            return sent(core.publish(.tradingCommand, command), "resume", client: core.client(request, context), detail: "holder user")
        }
        router.post("api/expire-now") { request, context in
            let command = ExpireTradesNow(requester: "web", time: core.clock.now.description)
            return sent(core.publish(.expireTradesNow, command), "expire", client: core.client(request, context), detail: "run expiry now")
        }
    }

    /// 202 `{"sent":true}` when the command went onto the bus, 503 otherwise; audited either way.
    func sent(_ published: Bool, _ action: String, client: String, detail: String) -> Response {
        core.audit(action, client: client, detail: detail, outcome: published ? "202 sent" : "503 bus closed")
        return published ? JSON.text("{\"sent\":true}", status: .accepted) : JSON.error(.serviceUnavailable, "the bus is closed")
    }

    /// Publishes `intent` and repeats it every `intent_repeat` until `order.event.web` answers its key or
    /// `intent_timeout` passes. 200 with the executor's answer, or 202 with the key when none came.
    func send(_ intent: OrderIntent, action: String, client: String, detail: String) async -> Response {
        let (response, event) = await dispatch(intent)
        let answer = event.map { $0.outcome.rawValue + ($0.reason.map { ": " + $0 } ?? "") } ?? "no answer yet"
        core.audit(action, client: client, detail: detail + " (key \(intent.key))", outcome: "\(response.status.code) \(answer)")
        return response
    }

    private func dispatch(_ intent: OrderIntent) async -> (Response, OrderEvent?) {
        let answers = core.orderAnswers
        answers.expect(intent.key)
        defer { answers.forget(intent.key) }
        let start = core.clock.now
        while start.seconds(until: core.clock.now) < core.settings.intentTimeout {
            guard core.publish(.orderIntent(source: "web"), intent) else { return (JSON.error(.serviceUnavailable, "the bus is closed"), nil) }
            let left = core.settings.intentTimeout - start.seconds(until: core.clock.now)
            if let event = await answers.wait(intent.key, seconds: min(core.settings.intentRepeat, max(left, 0.01)), clock: core.clock) {
                return (JSON.encode(IntentReply(key: intent.key, answered: true, event: event, intent: intent)), event)
            }
        }
        return (JSON.encode(IntentReply(key: intent.key, answered: false, event: nil, intent: intent), status: .accepted), nil)
    }

    /// A fresh idempotency key: `web-<unix seconds>-<random>`.
    static func newKey(_ prefix: String) -> String { "\(prefix)-\(Int64(Date().timeIntervalSince1970))-\(randomToken(bytes: 8))" }
}

/// The answer of `POST /api/buy` and `/api/close`.
struct IntentReply: Encodable {
    var key: String
    var answered: Bool
    var event: OrderEvent?
    var intent: OrderIntent
}

/// `POST /api/settings/<plugin>` body.
struct SettingsBody: Decodable { var values: [String: String] }

/// `POST /api/halt` body.
struct HaltBody: Decodable {
    var reason: String?
    var hard: Bool?
    init() {}
}
