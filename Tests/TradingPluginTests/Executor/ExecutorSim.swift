import BusKit
import BusTestSupport
import BusWire
import Executor
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Kalshi
import KalshiSim
import Logging
import Money
import ServiceLifecycle
import SimExchange
import TradingWire

/// One RSA key per test process, made with `openssl` (never committed), kept as a credentials folder.
struct ExecKeys: Sendable {
    let folder: String
    let publicPEM: String
    static let shared = Task { try await make() }

    private static func make() async throws -> ExecKeys {
        let root = try ExecFixture.folder()
        let pem = root + "/private.pem", pub = root + "/public.pem"
        try await openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", pem])
        try await openssl(["pkey", "-in", pem, "-pubout", "-out", pub])
        let folder = root + "/credentials/sim"
        try Credentials.store(keyID: ExecFixture.keyID, privateKeyPEM: try String(contentsOfFile: pem, encoding: .utf8),
                              in: URL(fileURLWithPath: folder))
        return ExecKeys(folder: folder, publicPEM: try String(contentsOfFile: pub, encoding: .utf8))
    }

    private static func openssl(_ arguments: [String]) async throws {
        let status = try await offPool { () -> Int32 in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["openssl"] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        guard status == 0 else { throw ExecutorError("openssl \(arguments.first ?? "") failed with \(status)") }
    }
}

/// The real simulator on a loopback port (constant $100,000 index, makers quoting, five minutes before the
/// close), the test key registered, a real broker, and the executor's and a tap's bus connections.
struct ExecSim: Sendable {
    let server: KalshiSimServer
    let port: Int
    let clock: ExecClock
    let keys: ExecKeys
    let broker: TestBroker
    let folder: String

    var journal: String { folder + "/executor.sqlite" }

    /// A REST client signed with the test key whose backoff moves the shared clock instead of waiting.
    func rest(attempts: Int = 5) throws -> KalshiRESTClient {
        var configuration = KalshiConfiguration.simulator(port: port)
        configuration.retry = RetryPolicy(maxAttempts: attempts)
        configuration.limits = RateLimiter.Limits(readRefillPerSecond: 1_000_000, readCapacity: 1_000_000,
                                                  writeRefillPerSecond: 1_000_000, writeCapacity: 1_000_000)
        let clock = self.clock
        return KalshiRESTClient(configuration: configuration, credentials: try Credentials.load(from: URL(fileURLWithPath: keys.folder)),
                                logger: ExecFixture.logger, sleeper: { d in
                                    clock.advance(ms: d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
                                    await Task.yield()
                                }, jitter: { 0.999 })
    }

    /// The orders the simulator holds for the test key.
    func orders() throws -> [SimOrder] { try server.host.read { $0.orders(ExecFixture.keyID) } }

    /// An executor on its own bus connection; `rest` defaults to a patient test client.
    func executor(mode: String = "sim", extra: String = "require_reconciliation = false", rest: KalshiRESTClient? = nil,
                  bus: any Bus) throws -> Executor {
        let configuration = try ExecFixture.configuration(mode: mode, port: port, credentials: keys.folder, journal: journal, extra: extra)
        let context = PluginContext(name: Executor.name, host: "test", configuration: configuration, bus: bus, clock: clock,
                                    health: Health(), logger: ExecFixture.logger)
        return try Executor(context: context, rest: try rest ?? self.rest(attempts: 12))
    }

    /// Publishes `intent` every 100 ms (as senders do) until an answer beyond the first `after` arrives, and returns
    /// that one; nil after 20 s.
    static func ask(_ intent: OrderIntent, on tap: any Bus, inbox: ExecInbox, after: Int = 0) async throws -> OrderEvent? {
        for _ in 0..<200 {
            try tap.publish(.orderIntent(source: intent.source), intent)
            if await eventually(attempts: 2, every: .milliseconds(50), { inbox.answers(intent.key).count > after }) {
                return inbox.answers(intent.key)[after]
            }
        }
        return nil
    }

    /// Publishes `command` until the trading state shows `until`.
    static func command(_ command: TradingCommand, on tap: any Bus, inbox: ExecInbox,
                        until: @escaping @Sendable (TradingStatus) -> Bool) async throws -> Bool {
        for _ in 0..<100 {
            try tap.publish(.tradingCommand, command)
            if await eventually(attempts: 4, every: .milliseconds(50), { inbox.states.last.map(until) ?? false }) { return true }
        }
        return false
    }
}

/// Runs `body` against a fresh simulator and broker; everything is stopped and removed afterwards.
func withExecSim(faults: FaultSettings = FaultSettings(), identities: IdentityStore? = nil,
                 _ body: @Sendable (ExecSim) async throws -> Void) async throws {
    let keys = try await ExecKeys.shared.value
    let clock = ExecClock(ExecFixture.closeMs - 300_000)
    var options = KalshiSimOptions()
    options.startMs = clock.millis
    options.faults = faults
    options.rateLimits.enabled = false
    options.tickIntervalMs = 20
    options.signatureWindowMs = 10 * 365 * 86_400_000
    let sim = KalshiSimServer(options: options, index: ConstantIndexSource(Dollars(cents: 10_000_000)), realNow: { clock.millis })
    try sim.keys.register(keyID: ExecFixture.keyID, publicKeyPEM: keys.publicPEM)
    let router = Router(context: BasicWebSocketRequestContext.self)
    sim.addRoutes(to: router)
    let (ports, portSink) = AsyncStream<Int>.makeStream()
    let app = sim.makeApplication(router: router, port: 0, logger: ExecFixture.logger) { channel in portSink.yield(channel.localAddress?.port ?? 0) }
    let services = ServiceGroup(configuration: .init(services: [app], logger: ExecFixture.logger))
    let folder = try ExecFixture.folder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let broker = try identities.map { try TestBroker(identities: $0) } ?? TestBroker()
    defer { broker.stop() }
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await services.run() }
        var it = ports.makeAsyncIterator()
        guard let port = await it.next() else { throw CancellationError() }
        let harness = ExecSim(server: sim, port: port, clock: clock, keys: keys, broker: broker, folder: folder)
        let result: Result<Void, any Error>
        do { try await body(harness); result = .success(()) } catch { result = .failure(error) }
        await services.triggerGracefulShutdown()
        try await group.waitForAll()
        try result.get()
    }
}
