import Money
import BusKit
import BusWire
import Foundation
import Hummingbird
import HTTPServing
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization

/// The HTTP side: pages, the JSON API, `/ws`, `/metrics`, `/healthz`, login.
struct WebServer: Sendable {
    let core: WebCore

    /// The router with every route behind the auth middleware.
    func router() -> Router<WebRequestContext> {
        let router = Router(context: WebRequestContext.self)
        router.add(middleware: AuthMiddleware(core: core))
        addPages(router)
        addLoginRoutes(router)
        addReadRoutes(router)
        addCommandRoutes(router)
        addPreferenceRoutes(router)
        addWebSocket(router)
        return router
    }

    /// The application on `address:port`; `onReady` gets the bound port.
    func application(onReady: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        var logger = Logger(label: "recio.web.http")
        logger.logLevel = .warning
        let r = router()
        return Application(
            router: r, server: .guardedWebSocketUpgrade(webSocketRouter: r, configuration: .init(ws: .init(autoPing: .enabled(timePeriod: .seconds(20))))),
            configuration: .init(address: .hostname(core.settings.address, port: core.settings.port), serverName: "recio-web"),
            onServerRunning: { channel in await onReady(channel.localAddress?.port ?? 0) }, logger: logger)
    }

    /// `/ws`: the snapshot, then every change pushed; the browser may send `{"tap":"prefix."}` (or `{"tap":null}`)
    /// to receive every message under a prefix, at most `tap_rate` a second.
    func addWebSocket(_ router: Router<WebRequestContext>) {
        router.ws("ws") { _, _ in .upgrade([:]) } onUpgrade: { inbound, outbound, context in
            let csrf = context.requestContext.session?.csrf
            let (id, stream) = core.hub.connect()
            defer { core.hub.disconnect(id) }
            for frame in core.snapshotFrames(csrf: csrf) { core.hub.send(frame, to: id) }
            let tap = TapControl(core: core, client: id)
            defer { tap.stop() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { for await frame in stream { try await outbound.write(.text(frame)) } }
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 16) {
                        if case .text(let text) = message { tap.command(text) }
                    }
                }
                _ = try await group.next()
                group.cancelAll()
            }
        }
    }
}

/// One browser's live topic tap: its own bus subscription under a prefix, rate-limited.
final class TapControl: Sendable {
    let core: WebCore
    let client: UInt64
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(core: WebCore, client: UInt64) { self.core = core; self.client = client }

    /// Handles `{"tap":"prefix"}` / `{"tap":null}`.
    func command(_ text: String) {
        struct Command: Decodable { var tap: String? }
        guard let c = try? JSONDecoder().decode(Command.self, from: Data(text.utf8)) else { return }
        stop()
        guard let prefix = c.tap, let filter = try? TopicFilter(validating: prefix) else { return }
        let (core, client, rate) = (core, client, core.settings.tapRate)
        let t = Task {
            var windowStart = core.clock.now
            var sent = 0, skipped = 0
            for await e in core.bus.subscribe([filter], bufferSize: 10_000) {
                if Task.isCancelled { break }
                let now = core.clock.now
                if windowStart.seconds(until: now) >= 1 { windowStart = now; sent = 0 }
                guard sent < rate else { skipped += 1; continue }
                sent += 1
                let m = StoredMessage(topic: e.topic, type: e.type, src: e.src, ts: e.ts, received: now, data: e.data)
                core.hub.send(PushFrame.message("t", m), to: client)
                if skipped > 0 { core.hub.send("{\"k\":\"tap-skipped\",\"count\":\(skipped)}", to: client); skipped = 0 }
            }
        }
        task.withLock { $0 = t }
    }

    /// Ends the tap.
    func stop() { task.withLock { $0?.cancel(); $0 = nil } }
}
