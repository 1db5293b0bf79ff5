import AccountSync
import BusKit
import BusTestSupport
import BusWire
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Kalshi
import KalshiSim
import Logging
import Money
import ServiceLifecycle
import SimExchange
import Synchronization
import Testing
import TradingWire

/// The real Kalshi simulator in-process on a loopback port for the account-sync suites (names prefixed `Acct` so
/// they never meet another plugin's helpers in this test target).
enum AcctSim {
    /// 2026-09-10T00:00:00Z, the close of KXBTCD-26SEP0920.
    static let closeMs: Int64 = 1_788_998_400_000
    /// The strike nearest the constant $100,000 index, and its neighbour.
    static let atm = "KXBTCD-26SEP0920-T99999.99"
    static let other = "KXBTCD-26SEP0920-T100249.99"
}

/// The simulator's wall clock, moved only by the test.
final class AcctSimTime: Sendable {
    private let ms: Mutex<Int64>
    init(_ ms: Int64) { self.ms = Mutex(ms) }
    var millis: Int64 { ms.withLock { $0 } }
    func advance(seconds: Int64) { ms.withLock { $0 += seconds * 1000 } }
}

/// Keeps every log message of a logger (info and up), printing nothing.
final class AcctLog: LogHandler, @unchecked Sendable {
    private let lines = Mutex<[String]>([])
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .info
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) { lines.withLock { $0.append("\(event.message)") } }
    var all: [String] { lines.withLock { $0 } }
    func count(_ prefix: String) -> Int { all.filter { $0.hasPrefix(prefix) }.count }
    var logger: Logger { Logger(label: "account-sync-test") { _ in self } }
}

/// Collects envelopes from a subscription.
final class AcctInbox: Sendable {
    private let messages = Mutex<[Envelope]>([])
    var all: [Envelope] { messages.withLock { $0 } }
    func on(_ topic: Topic) -> [Envelope] { all.filter { $0.topic == topic.rawValue } }
    func decoded<M: BusMessage>(_ topic: Topic, _: M.Type) -> [M] { on(topic).compactMap { try? $0.decode(M.self) } }
    var fills: [VenueFill] { decoded(.venueFill, VenueFill.self) }
    /// Each fill once (account-sync republishes fills a trade manager may have missed), first sighting first.
    var uniqueFills: [VenueFill] {
        var seen: Set<String> = []
        return fills.filter { seen.insert($0.fillID).inserted }
    }
    var settlements: [VenueSettlement] { decoded(.venueSettlement, VenueSettlement.self) }
    var orders: [VenueOrderUpdate] { decoded(.venueOrder, VenueOrderUpdate.self) }
    var balances: [AccountBalance] { decoded(.accountBalance, AccountBalance.self) }
    var positions: [AccountPositions] { decoded(.accountPositions, AccountPositions.self) }
    var reports: [ReconciliationReport] { decoded(.reconciliation, ReconciliationReport.self) }
    var alerts: [Alert] { decoded(.alert(source: "account-sync"), Alert.self) }

    func collect(_ subscription: Subscription) -> Task<Void, Never> {
        Task { for await e in subscription { self.messages.withLock { $0.append(e) } } }
    }
}

/// A running simulator, the test key registered in it, and the plugin's configuration for it.
struct AcctVenue: Sendable {
    let server: KalshiSimServer
    let port: Int
    let time: AcctSimTime
    let folder: String
    let credentials: Credentials
    /// The credentials folder the plugin loads.
    var credentialsFolder: String { credentialsPath }
    let credentialsPath: String

    /// A REST client signed with the test key: the account the plugin follows, used as a trader would.
    var trader: KalshiRESTClient { KalshiRESTClient(configuration: .simulator(port: port), credentials: credentials) }

    var database: String { folder + "/account.sqlite" }

    /// The plugin's context over `bus`, with a short catch-up and recheck so the tests need not wait long.
    func context(bus: any Bus, catchup: String = "1s", extra: String = "", logger: Logger) throws -> PluginContext {
        let text = """
            [plugin.account-sync]
            rest_url = http://127.0.0.1:\(port)/trade-api/v2
            ws_url = ws://127.0.0.1:\(port)/trade-api/ws/v2
            credentials = \(credentialsFolder)
            database = \(database)
            catchup_interval = \(catchup)
            reconcile_interval = 1s
            recheck_delay = 200ms
            in_flight_grace = 1s
            debounce = 50ms
            \(extra)
            """
        let configuration = try BusConfiguration(file: ConfigFile(path: "test.conf", text: text), pluginKeys: [AccountSync.name: AccountSync.configKeys])
        return PluginContext(name: AccountSync.name, host: "test", configuration: configuration, bus: bus, clock: SystemClock(),
                             health: Health(), logger: logger)
    }

    /// Buys `count` contracts of `ticker` at any price up to 99 cents, immediately or not at all.
    @discardableResult
    func buy(_ ticker: String = AcctSim.atm, side: Kalshi.BookSide = .bid, count: Int64, id: String) async throws -> CreateOrderResponse {
        let price = side == .bid ? Dollars(cents: 99) : Dollars(cents: 1)
        return try await trader.createOrder(CreateOrderRequest(ticker: ticker, side: side, count: Contracts(whole: count), price: price,
                                                               timeInForce: .immediateOrCancel, clientOrderId: id))
    }
}

/// Runs `body` against a fresh simulator five minutes before the 8 pm close (constant $100,000 index, makers on).
func withAcctVenue(faults: FaultSettings = FaultSettings(), _ body: @Sendable (AcctVenue) async throws -> Void) async throws {
    let time = AcctSimTime(AcctSim.closeMs - 300_000)
    var options = KalshiSimOptions()
    options.startMs = time.millis
    options.speed = 1
    options.faults = faults
    options.exchange.marketMaker.enabled = true
    options.exchange.strikesEachSide = 2
    options.rateLimits.enabled = false
    options.tickIntervalMs = 20
    options.signatureWindowMs = 10 * 365 * 86_400_000  // clients sign with the real clock; the simulator's is years off
    let sim = KalshiSimServer(options: options, index: ConstantIndexSource(Dollars(cents: 10_000_000)), realNow: { time.millis })
    let folder = NSTemporaryDirectory() + "account-sync-tests-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let keys = try await AcctKeys.shared.value
    let credentials = try Credentials.load(from: URL(fileURLWithPath: keys.folder))
    try sim.keys.register(keyID: AcctKeys.keyID, publicKeyPEM: keys.publicPEM)
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let router = Router(context: BasicWebSocketRequestContext.self)
    sim.addRoutes(to: router)
    let (ports, portSink) = AsyncStream<Int>.makeStream()
    var logger = Logger(label: "account-sync-sim")
    logger.logLevel = .critical
    let app = sim.makeApplication(router: router, port: 0, logger: logger) { channel in portSink.yield(channel.localAddress?.port ?? 0) }
    let services = KalshiSimServer.serviceGroup(app, logger: logger)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await services.run() }
        var it = ports.makeAsyncIterator()
        guard let port = await it.next() else { throw CancellationError() }
        let venue = AcctVenue(server: sim, port: port, time: time, folder: folder, credentials: credentials, credentialsPath: keys.folder)
        let result: Result<Void, any Error>
        do {
            try await body(venue)
            result = .success(())
        } catch { result = .failure(error) }
        await services.triggerGracefulShutdown()
        try await group.waitForAll()
        try result.get()
    }
}

/// Runs the plugin while `body` runs, then cancels it and waits (bounded) for it to return.
func runningAcct(_ plugin: AccountSync, _ body: () async throws -> Void) async throws {
    let task = Task { try await plugin.run() }
    let outcome: Result<Void, any Error>
    do { try await body(); outcome = .success(()) } catch { outcome = .failure(error) }
    task.cancel()
    let (ended, signal) = AsyncStream<Void>.makeStream()
    Task {
        _ = await task.result
        signal.yield()
        signal.finish()
    }
    if await ended.first(within: 20, where: { _ in true }) == nil {
        FileHandle.standardError.write(Data("warning: account-sync did not return within 20 s of being cancelled\n".utf8))
    }
    try outcome.get()
}
