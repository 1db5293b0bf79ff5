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

/// 2026-09-10T00:00:00Z: the close of KXBTCD-26SEP0920 (8 pm EDT on 9 September).
let closeMs: Int64 = 1_788_998_400_000
let eventTicker = "KXBTCD-26SEP0920"
/// The at-the-money market at a constant $100,000 index.
let atm = "KXBTCD-26SEP0920-T99999.99"

/// The "real" clock of a test run: the simulator's wall clock (simulated time, token buckets, bursts, drops) and
/// the clock the connectors sign with. It moves only when the test, or a connector's sleeper, moves it.
final class TestClock: Sendable {
    private let ms: Mutex<Int64>
    init(_ ms: Int64) { self.ms = Mutex(ms) }
    var now: Int64 { ms.withLock { $0 } }
    func advance(_ by: Int64) { ms.withLock { $0 += by } }
    func advance(_ by: Duration) { advance(by.components.seconds * 1000 + by.components.attoseconds / 1_000_000_000_000_000) }
}

/// Every wait a connector asked its sleeper for.
final class SleepLog: Sendable {
    private let waits = Mutex<[Duration]>([])
    func record(_ d: Duration) { waits.withLock { $0.append(d) } }
    var all: [Duration] { waits.withLock { $0 } }
    var count: Int { all.count }
}

/// A running simulator on an ephemeral loopback port, the test key registered in it, and connectors made for it.
struct Venue: Sendable {
    let server: KalshiSimServer
    let port: Int
    let clock: TestClock
    let credentials: Credentials
    /// Waits of every connector made by ``rest(timeout:attempts:pageLimit:)`` and ``webSocket()``.
    let sleeps: SleepLog
    let logger: Logger

    /// A REST client signing with the test clock; its backoff sleeps move the test clock instead of waiting, and its
    /// token buckets run on the test clock too. By default its buckets never run dry, so every recorded sleep is a
    /// backoff after a retryable failure.
    func rest(timeout: Duration = .seconds(30), attempts: Int = 5, pageLimit: Int = 200,
              limits: RateLimiter.Limits = Venue.unlimited, credentials: Credentials? = nil) -> KalshiRESTClient {
        var configuration = KalshiConfiguration.simulator(port: port)
        configuration.requestTimeout = timeout
        configuration.retry = RetryPolicy(maxAttempts: attempts)
        configuration.pageLimit = pageLimit
        configuration.limits = limits
        let clock = self.clock, sleeps = self.sleeps
        let origin = ContinuousClock.now, start = clock.now
        return KalshiRESTClient(configuration: configuration, credentials: credentials ?? self.credentials, logger: logger,
                                sleeper: { d in sleeps.record(d); clock.advance(d); await Task.yield() },
                                epochMilliseconds: { clock.now }, jitter: { 0.999 },
                                now: { origin + .milliseconds(clock.now - start) })
    }

    /// Client buckets that never make a request wait.
    static let unlimited = RateLimiter.Limits(readRefillPerSecond: 1_000_000, readCapacity: 1_000_000,
                                              writeRefillPerSecond: 1_000_000, writeCapacity: 1_000_000)

    /// A WebSocket client signing with the test clock (`use_yes_price` as given); reconnect waits are recorded and
    /// short real sleeps.
    func webSocket(useYesPrice: Bool = true) -> KalshiWebSocketClient {
        var configuration = KalshiWebSocketClient.Configuration.simulator(port: port)
        configuration.pingInterval = nil
        configuration.useYesPrice = useYesPrice
        let clock = self.clock, sleeps = self.sleeps
        return KalshiWebSocketClient(configuration: configuration, credentials: credentials, logger: logger,
                                     sleeper: { d in sleeps.record(d); try await Task.sleep(for: .milliseconds(5)) },
                                     epochMilliseconds: { clock.now }, jitter: { 0 })
    }
}

/// Runs `body` against a fresh simulator half an hour before the close of ``eventTicker``, at a constant $100,000
/// index, with its wall clock frozen at that moment (see ``TestClock``).
/// - Parameters:
///   - makers: whether the simulator's market makers quote.
///   - faults: what the simulator injects.
///   - rateLimited: whether the simulator enforces its Basic-tier rate limits.
///   - tickIntervalMs: real milliseconds between the simulator's own ticks (a huge value: it never ticks, so the
///     first request advances the exchange).
func withVenue(makers: Bool = true, faults: FaultSettings = FaultSettings(), rateLimited: Bool = false, seed: UInt64 = 7,
               tickIntervalMs: Int64 = 20, _ body: @Sendable (Venue) async throws -> Void) async throws {
    let keys = try await VenueKeys.shared.value
    let clock = TestClock(closeMs - 1_800_000)
    var options = KalshiSimOptions()
    options.seed = seed
    options.exchange.marketMaker.enabled = makers
    options.rateLimits.enabled = rateLimited
    options.faults = faults
    options.tickIntervalMs = tickIntervalMs
    let sim = KalshiSimServer(options: options, index: ConstantIndexSource(Dollars(cents: 10_000_000)), realNow: { clock.now })
    try sim.keys.register(keyID: VenueKeys.keyID, publicKeyPEM: keys.publicPEM)
    let credentials = try keys.credentials()

    let router = Router(context: BasicWebSocketRequestContext.self)
    sim.addRoutes(to: router)
    var logger = Logger(label: "venue-test")
    logger.logLevel = .critical
    let (ports, portSink) = AsyncStream<Int>.makeStream()
    let app = sim.makeApplication(router: router, port: 0, logger: logger) { channel in portSink.yield(channel.localAddress?.port ?? 0) }
    let services = KalshiSimServer.serviceGroup(app, logger: logger)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await services.run() }
        var it = ports.makeAsyncIterator()
        guard let port = await it.next() else { throw CancellationError() }
        let venue = Venue(server: sim, port: port, clock: clock, credentials: credentials, sleeps: SleepLog(), logger: logger)
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
