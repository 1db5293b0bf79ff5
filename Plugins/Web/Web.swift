import BusKit
import BusWire
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The web dashboard: trade monitor, history, account and system pages, a JSON API, `/metrics` and `/healthz`,
/// everything pushed to the browsers over one WebSocket from the bus. It keeps the latest value of each state topic
/// in memory; commands go onto the bus as intents. It never calls another plugin's port nor opens its database.
public struct Web: Plugin {
    /// `web`.
    public static let name = "web"
    /// The `[plugin.web]` keys.
    public static let configKeys: Set<String> = WebSettings.keys
    let context: PluginContext
    let settings: WebSettings
    let password: WebPassword?
    /// Called with the bound port once the server listens (tests bind port 0).
    let onReady: @Sendable (Int) async -> Void

    /// Reads the settings and, when a login is needed, the password hash.
    public init(context: PluginContext) throws { try self.init(context: context, onReady: { _ in }) }

    /// As ``init(context:)``, with a callback for the bound port.
    public init(context: PluginContext, home: String = ProcInfo.recioHome, onReady: @escaping @Sendable (Int) async -> Void) throws {
        try self.init(context: context, home: home, adjust: { _ in }, onReady: onReady)
    }

    /// As above, with the settings adjusted after reading (tests force the login on loopback).
    init(context: PluginContext, home: String, adjust: (inout WebSettings) -> Void, onReady: @escaping @Sendable (Int) async -> Void) throws {
        self.context = context
        var settings = try WebSettings(configuration: context.configuration, plugin: context.name, home: home)
        adjust(&settings)
        self.settings = settings
        if FileManager.default.fileExists(atPath: settings.passwordFile) {
            password = try WebPassword.load(from: settings.passwordFile)
        } else {
            password = nil
        }
        self.onReady = onReady
    }

    /// Serves until cancelled or shut down gracefully.
    public func run() async throws {
        let core = WebCore(settings: settings, bus: context.bus, clock: context.clock, logger: context.logger,
                           mode: context.configuration.bus.mode, password: password)
        let health = context.health
        health.depends(on: "bus")
        let subscription = context.bus.subscribe(WebCore.filters)
        let app = WebServer(core: core).application { port in
            core.logger.info("web dashboard on http://\(core.settings.address):\(port)")
            health.set(.running)
            await onReady(port)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await e in subscription.cancelOnGracefulShutdown() {
                    health.saw("bus", at: core.clock.now)
                    core.receive(e)
                }
            }
            group.addTask { try await app.runService() }
            _ = try await group.next()
            core.hub.closeAll()
            // On a graceful shutdown the server drains its connections itself; otherwise (the bus ended) stop it now.
            if Task.isShuttingDownGracefully { try await group.waitForAll() } else { group.cancelAll() }
        }
    }
}
