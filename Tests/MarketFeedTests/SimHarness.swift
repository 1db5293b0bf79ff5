import BusKit
import BusTestSupport
import BusWire
import Crypto
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Kalshi
import KalshiSim
import Logging
import MarketFeed
import MarketWire
import Money
import NIOCore
import ServiceLifecycle
import SimExchange
import Synchronization
import _CryptoExtras

/// 2026-09-10T00:00:00Z, the close of KXBTCD-26SEP0920 (8 pm EDT on 9 September).
let closeMs: Int64 = 1_788_998_400_000
let currentEvent = "KXBTCD-26SEP0920", nextEvent = "KXBTCD-26SEP0921"
/// The strike nearest the constant $100,000 index.
let atm = "KXBTCD-26SEP0920-T99999.99"

/// The simulator's "real" time, moved by hand; the plugin's clock reads it too (sleeps stay real).
final class SimTime: BusClock {
    private let ms: Mutex<Int64>
    init(_ ms: Int64) { self.ms = Mutex(ms) }
    var millis: Int64 { ms.withLock { $0 } }
    func advance(seconds: Int64) { ms.withLock { $0 += seconds * 1000 } }
    var now: BusTime { BusTime(microseconds: millis * 1000) }
    func sleep(seconds: Double) async throws { try await Task.sleep(for: .milliseconds(Int64(seconds * 1000))) }
}

/// Warnings and worse only.
let quietLogger: Logger = {
    var l = Logger(label: "market-feed-test")
    l.logLevel = .warning
    return l
}()

/// Keeps every log message of a logger (info and up), printing nothing.
final class LogRecord: LogHandler, @unchecked Sendable {
    private let lines = Mutex<[String]>([])
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .info
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        let meta = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lines.withLock { $0.append("\(event.message) \(meta)") }
    }
    /// Every message so far, with its metadata as `key=value`.
    var all: [String] { lines.withLock { $0 } }
    /// Whether the WebSocket client has seen a sequence gap.
    var gapped: Bool { all.contains { $0.hasPrefix("order book gap") } }
    /// A logger writing here.
    var logger: Logger { Logger(label: "market-feed-test") { _ in self } }
}

/// Collects envelopes from a subscription.
final class Inbox: Sendable {
    private let messages = Mutex<[Envelope]>([])
    var all: [Envelope] { messages.withLock { $0 } }
    func on(_ topic: Topic) -> [Envelope] { all.filter { $0.topic == topic.rawValue } }
    func books(_ ticker: String) -> [MarketTopOfBook] { on(.marketBook(ticker)).compactMap { try? $0.decode(MarketTopOfBook.self) } }
    var allBooks: [MarketTopOfBook] { all.filter { $0.topic.hasPrefix("market.book.") }.compactMap { try? $0.decode(MarketTopOfBook.self) } }
    func event(_ ticker: String) -> MarketEventSummary? { on(.marketEvent(ticker)).last.flatMap { try? $0.decode(MarketEventSummary.self) } }
    var index: MarketSeriesIndex? { on(.marketSeries("KXBTCD")).last.flatMap { try? $0.decode(MarketSeriesIndex.self) } }
    var lifecycles: [MarketLifecycleEvent] {
        all.filter { $0.topic.hasPrefix("market.lifecycle.") }.compactMap { try? $0.decode(MarketLifecycleEvent.self) }
    }

    /// Starts collecting `subscription` in the background.
    func collect(_ subscription: Subscription) -> Task<Void, Never> {
        Task { for await e in subscription { self.messages.withLock { $0.append(e) } } }
    }
}

/// The real Kalshi simulator on an ephemeral loopback port (constant $100,000 index, makers on, 5 minutes before
/// the 8 pm close so the next hour is listed), a registered key with its credentials folder, and the market
/// feed's configuration pointing at it.
struct SimHarness: Sendable {
    let server: KalshiSimServer
    let port: Int
    let time: SimTime
    let folder: String
    let key: _RSA.Signing.PrivateKey

    var credentials: String { folder + "/credentials" }

    /// A REST client signed with the test key, for placing orders the way a trader would.
    var trader: KalshiRESTClient {
        get throws {
            let creds = try Credentials(keyID: "test-key", privateKeyPEM: key.pemRepresentation)
            return KalshiRESTClient(configuration: .simulator(port: port), credentials: creds)
        }
    }

    func configuration(signed: Bool = true, extra: String = "") throws -> BusConfiguration {
        let text = """
            [plugin.market-feed]
            rest_url = http://127.0.0.1:\(port)/trade-api/v2
            ws_url = ws://127.0.0.1:\(port)/trade-api/ws/v2
            refresh_interval = 0.5s
            book_fallback_interval = 0.5s
            credentials = \(signed ? credentials : folder + "/none")
            \(extra)
            """
        return try BusConfiguration(file: ConfigFile(path: "test.conf", text: text), pluginKeys: ["market-feed": MarketFeed.configKeys])
    }

    func context(bus: any Bus, signed: Bool = true, extra: String = "stale_after = 600s", health: Health = Health(),
                 logger: Logger = quietLogger) throws -> PluginContext {
        PluginContext(name: MarketFeed.name, host: "test", configuration: try configuration(signed: signed, extra: extra), bus: bus,
                      clock: time, health: health, logger: logger)
    }

    /// Writes `key_id` and `private_key.pem` the way an operator would (folder 700, files 600).
    func writeCredentials() throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: credentials, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try fm.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder)
        _ = fm.createFile(atPath: credentials + "/key_id", contents: Data("test-key\n".utf8), attributes: [.posixPermissions: 0o600])
        _ = fm.createFile(atPath: credentials + "/private_key.pem", contents: Data(key.pemRepresentation.utf8), attributes: [.posixPermissions: 0o600])
    }
}

/// Runs `body` against a fresh simulator; shuts it down and removes the temporary folder afterwards.
func withSim(makers: Bool = true, faults: FaultSettings = FaultSettings(), strikesEachSide: Int = 8, _ body: @Sendable (SimHarness) async throws -> Void) async throws {
    let time = SimTime(closeMs - 300_000)
    var options = KalshiSimOptions()
    options.startMs = time.millis
    options.speed = 1
    options.exchange.marketMaker.enabled = makers
    options.faults = faults
    options.exchange.strikesEachSide = strikesEachSide
    options.rateLimits.enabled = false  // its buckets refill on the simulator's clock, which the tests hold still
    options.tickIntervalMs = 20
    options.signatureWindowMs = 10 * 365 * 86_400_000  // clients sign with the real clock; the simulator's is years off
    let sim = KalshiSimServer(options: options, index: ConstantIndexSource(Dollars(cents: 10_000_000)), realNow: { time.millis })
    let key = try await TestKeys.rsa.value
    try sim.keys.register(keyID: "test-key", publicKeyPEM: key.publicKey.pemRepresentation)
    let router = Router(context: BasicWebSocketRequestContext.self)
    sim.addRoutes(to: router)
    let (ports, portSink) = AsyncStream<Int>.makeStream()
    var logger = Logger(label: "sim-test")
    logger.logLevel = .warning
    let app = sim.makeApplication(router: router, port: 0, logger: logger) { channel in portSink.yield(channel.localAddress?.port ?? 0) }
    let services = KalshiSimServer.serviceGroup(app, logger: logger)
    let folder = NSTemporaryDirectory() + "market-feed-tests-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await services.run() }
        var it = ports.makeAsyncIterator()
        guard let port = await it.next() else { throw CancellationError() }
        let harness = SimHarness(server: sim, port: port, time: time, folder: folder, key: key)
        let result: Result<Void, any Error>
        do {
            try harness.writeCredentials()
            try await body(harness)
            result = .success(())
        } catch { result = .failure(error) }
        await services.triggerGracefulShutdown()
        try await group.waitForAll()
        try result.get()
    }
}

/// Runs the plugin while `body` runs, then cancels it and waits for it to end.
func running(_ plugin: MarketFeed, _ body: () async throws -> Void) async throws {
    let task = Task { try await plugin.run() }
    do { try await body() } catch {
        await stop(task)
        throw error
    }
    await stop(task)
}

/// Cancels the plugin and waits for it to return. The wait is bounded so that a plugin slow to notice the
/// cancellation cannot hang the whole test run; that case is reported on stderr, not hidden.
private func stop(_ task: Task<Void, any Error>) async {
    task.cancel()
    let (ended, signal) = AsyncStream<Void>.makeStream()
    Task {
        _ = await task.result
        signal.yield()
        signal.finish()
    }
    if await ended.first(within: 20, where: { _ in true }) == nil {
        FileHandle.standardError.write(Data("warning: the market feed did not return within 20 s of being cancelled\n".utf8))
    }
}

/// RSA keys for the simulator's signed requests, made once per test process and off the cooperative pool (2048-bit
/// generation in a debug build takes long enough to starve every other test running).
enum TestKeys {
    static let rsa = Task { try await offPool { try _RSA.Signing.PrivateKey(keySize: .bits2048) } }
    static let other = Task { try await offPool { try _RSA.Signing.PrivateKey(keySize: .bits2048) } }
}
