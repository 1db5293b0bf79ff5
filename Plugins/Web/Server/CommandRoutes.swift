import Logging
import Money
import BusKit
import Synchronization
import BusWire
import Foundation
import Hummingbird
import TradingWire

/// The user's commands: each goes onto the bus as an intent or command; nothing here calls another plugin.
extension WebServer {
    func addCommandRoutes(_ router: Router<WebRequestContext>) {
        router.post("api/buy") { request, _ in
            guard let body = await JSON.body(request, as: BuyRequest.self) else {
                return JSON.error(.badRequest, "expected {\"ticker\":…, \"side\":\"yes\"|\"no\", \"count\":\"1\"}")
            }
            let (state, now, s) = (core.state.withLock { $0 }, core.clock.now, core.settings)
            switch OrderPlanner.entry(body, state: state, key: Self.newKey("web"), slippage: s.entrySlippage, strategy: s.strategy,
                                      now: now, ttl: s.intentTimeout + 5) {
            case .failure(let e): return JSON.error(.conflict, e.description)
            case .success(let intent): return await send(intent)
            }
        }
        router.post("api/close") { request, _ in
            guard let body = await JSON.body(request, as: CloseRequest.self) else {
                return JSON.error(.badRequest, "expected {\"trade_id\":…}")
            }
            let (state, now, s) = (core.state.withLock { $0 }, core.clock.now, core.settings)
            switch OrderPlanner.close(body, state: state, key: Self.newKey("webc"), slippage: s.closeSlippage, now: now,
                                      ttl: s.intentTimeout + 5) {
            case .failure(let e): return JSON.error(.conflict, e.description)
            case .success(let intent): return await send(intent)
            }
        }
        router.post("api/settings/:plugin") { request, context in
            let plugin = context.parameters.get("plugin") ?? ""
            guard (try? Topic(validating: "settings.\(plugin)")) != nil, !plugin.contains(".") else {
                return JSON.error(.badRequest, "bad plugin name '\(plugin)'")
            }
            guard let body = await JSON.body(request, as: SettingsBody.self), !body.values.isEmpty else {
                return JSON.error(.badRequest, "expected {\"values\":{\"key\":\"value\"}}")
            }
            let change = SettingsChange(plugin: plugin, values: body.values, requester: "web", time: core.clock.now.description)
            guard core.publish(.settingsChange(plugin: plugin), change) else { return JSON.error(.serviceUnavailable, "the bus is closed") }
            return JSON.text("{\"sent\":true}", status: .accepted)
        }
        router.post("api/halt") { request, _ in
            let body = await JSON.body(request, as: HaltBody.self) ?? HaltBody()
            let command = TradingCommand(action: body.hard == true ? .haltHard : .halt, holder: "user",
                                         reason: body.reason ?? "halted from the dashboard", time: core.clock.now.description)
            return core.publish(.tradingCommand, command) ? JSON.text("{\"sent\":true}", status: .accepted)
                : JSON.error(.serviceUnavailable, "the bus is closed")
        }
        router.post("api/resume") { _, _ in
            let command = TradingCommand(action: .resume, holder: "user", reason: "resumed from the dashboard", time: core.clock.now.description)
            return core.publish(.tradingCommand, command) ? JSON.text("{\"sent\":true}", status: .accepted)
                : JSON.error(.serviceUnavailable, "the bus is closed")
        }
        router.post("api/expire-now") { _, _ in
            let command = ExpireTradesNow(requester: "web", time: core.clock.now.description)
            return core.publish(.expireTradesNow, command) ? JSON.text("{\"sent\":true}", status: .accepted)
                : JSON.error(.serviceUnavailable, "the bus is closed")
        }
    }

    /// Publishes `intent` and repeats it every `intent_repeat` until `order.event.web` answers its key or
    /// `intent_timeout` passes. 200 with the executor's answer, or 202 with the key when none came.
    func send(_ intent: OrderIntent) async -> Response {
        let answers = core.orderAnswers
        answers.expect(intent.key)
        defer { answers.forget(intent.key) }
        let start = core.clock.now
        while start.seconds(until: core.clock.now) < core.settings.intentTimeout {
            guard core.publish(.orderIntent(source: "web"), intent) else { return JSON.error(.serviceUnavailable, "the bus is closed") }
            let left = core.settings.intentTimeout - start.seconds(until: core.clock.now)
            if let event = await answers.wait(intent.key, seconds: min(core.settings.intentRepeat, max(left, 0.01)), clock: core.clock) {
                return JSON.encode(IntentReply(key: intent.key, answered: true, event: event, intent: intent))
            }
        }
        return JSON.encode(IntentReply(key: intent.key, answered: false, event: nil, intent: intent), status: .accepted)
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
