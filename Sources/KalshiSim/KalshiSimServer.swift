import Hummingbird
import HTTPServing
import HummingbirdWebSocket
import Logging
import Money
import NIOCore
import ServiceLifecycle
import SimExchange
import Synchronization
import UnixSignals

/// Everything a simulator run is configured with.
public struct KalshiSimOptions: Sendable {
    /// Simulated seconds per real second (60: an hour in a minute).
    public var speed = 1.0
    /// Seeds the default index and every fault decision.
    public var seed: UInt64 = 1
    /// Simulated start time (Unix ms); nil starts at the real time.
    public var startMs: Millis?
    public var exchange = ExchangeConfig()
    public var faults = FaultSettings()
    public var rateLimits = RateLimits()
    /// How old (or how far ahead) a signed timestamp may be, in real milliseconds.
    public var signatureWindowMs: Millis = 30_000
    /// Real milliseconds between exchange ticks (listing, settlement, maker re-quotes, WebSocket fan-out).
    public var tickIntervalMs: Int64 = 100

    public init() {}
}

/// The Kalshi side of `recio sim`: the simulated exchange behind Kalshi's real REST paths (`/trade-api/v2`) and
/// WebSocket (`/trade-api/ws/v2`).
///
/// Routes (under `/trade-api/v2`; "signed" = RSA-PSS headers required):
/// - public: `GET exchange/status`, `exchange/schedule`, `series`, `series/{s}`, `events`, `events/{e}`, `markets`,
///   `markets/{t}`, `markets/{t}/orderbook`, `markets/orderbooks`, `markets/trades`
/// - signed reads: `GET account/limits`, `portfolio/balance`, `portfolio/positions`, `portfolio/fills`,
///   `portfolio/settlements`, `portfolio/orders`, `portfolio/orders/{id}`
/// - signed writes (V2): `POST portfolio/events/orders`, `POST|DELETE portfolio/events/orders/batched`,
///   `DELETE portfolio/events/orders/{id}`, `POST portfolio/events/orders/{id}/amend`, `…/{id}/decrease`;
///   the legacy `POST portfolio/orders` answers 410; `POST portfolio/intra_exchange_instance_transfer`
/// - shards (``ExchangeConfig/exchangeIndex``, ``ExchangeConfig/shardCount``): every market lives on one shard; a
///   cancel, amend or decrease goes to `exchange_index`, else to the shard of `market_ticker` (amend: `ticker`),
///   else to shard 0, where an order of another shard answers 404; each shard holds its own cash
/// - WebSocket `/trade-api/ws/v2` (signed upgrade): `orderbook_delta`, `ticker`, `trade`, `fill`, `user_orders`,
///   `market_positions`, `market_lifecycle_v2`, `cfbenchmarks_value`
/// - the archive: `GET historical/cutoff`, `historical/fills`, `historical/orders` (``archive(before:)``)
/// - not Kalshi's: `GET /sim/clock` (simulated and real time, speed)
///
/// ```swift
/// let sim = KalshiSimServer(options: options)
/// try sim.keys.register(keyID: "test-key", publicKeyPEM: pem)
/// let router = Router(context: BasicWebSocketRequestContext.self)
/// sim.addRoutes(to: router)                     // other venues may add theirs to the same router
/// let app = sim.makeApplication(router: router, port: 7200)
/// try await app.runService()
/// ```
public final class KalshiSimServer: Sendable {
    public let options: KalshiSimOptions
    public let host: SimHost
    /// The registered API keys; a key id is also its user's id.
    public let keys: KeyRegistry
    let faults: FaultInjector
    let buckets: Mutex<TokenBuckets>
    /// Fills and finished orders before this (simulated epoch ms) are archived (``archive(before:)``).
    let archiveCutoff = Mutex<Millis>(0)

    /// - Parameter index: the BTC index markets settle on; the default is a seeded ``WaveIndexSource``.
    public init(options: KalshiSimOptions, index: (any IndexSource)? = nil, realNow: @escaping @Sendable () -> Millis = realNowMs) {
        self.options = options
        let real = realNow()
        let clock = SimClock(startMs: options.startMs ?? real, realStartMs: real, speed: options.speed)
        faults = FaultInjector(settings: options.faults, seed: options.seed)
        let exchange = Exchange(config: options.exchange, index: index ?? WaveIndexSource(seed: options.seed), now: clock.startMs)
        host = SimHost(exchange: exchange, clock: clock, faults: faults, realNow: realNow)
        keys = KeyRegistry(windowMs: options.signatureWindowMs)
        buckets = Mutex(TokenBuckets(limits: options.rateLimits))
    }

    /// Adds the REST and WebSocket routes to a router (which may carry other venues' routes too).
    public func addRoutes(to router: Router<BasicWebSocketRequestContext>) {
        let api = router.group("trade-api/v2")
        addMarketRoutes(api)
        addPortfolioRoutes(api)
        addOrderRoutes(api)
        addHistoricalRoutes(api)
        addWebSocketRoute(router)
        // Not Kalshi's: where simulated time stands, for clients that follow the simulator's clock.
        router.get("sim/clock") { _, _ -> Response in
            let real = self.host.realMs()
            return self.respond(.object([("sim_ms", .int(self.host.clock.simMs(atReal: real))), ("real_ms", .int(real)),
                                         ("speed", .raw(String(self.options.speed)))]))
        }
    }

    /// The background work of a run: exchange ticks and the WebSocket-drop fault.
    public var services: [any Service] { [ExchangeTicker(server: self)] }

    /// A service group running a simulator's `app`, whose graceful shutdown lasts at most ``shutdownLimit``: it waits
    /// for every open connection to close, and one a client opened as it was being stopped (accepted, never used)
    /// would keep it waiting for minutes. Past the limit the server is cancelled.
    public static func serviceGroup(_ app: some Service, signals: [UnixSignal] = [], logger: Logger) -> ServiceGroup {
        var configuration = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: signals, logger: logger)
        configuration.maximumGracefulShutdownDuration = shutdownLimit
        return ServiceGroup(configuration: configuration)
    }

    /// The longest graceful shutdown of ``serviceGroup(_:signals:logger:)``.
    public static let shutdownLimit = Duration.seconds(10)

    /// An application serving `router` on `address` (loopback by default) with WebSocket upgrades, Kalshi's 10 s ping,
    /// and ``services``.
    public func makeApplication(router: Router<BasicWebSocketRequestContext>, address: String = "127.0.0.1", port: Int,
                                logger: Logger = Logger(label: "recio.sim"),
                                onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in })
        -> some ApplicationProtocol {
        Application(
            router: router,
            server: .guardedWebSocketUpgrade(webSocketRouter: router, configuration: .init(ws: .init(autoPing: .enabled(timePeriod: .seconds(10))))),
            configuration: .init(address: .hostname(address, port: port), serverName: "recio-sim"),
            services: services, onServerRunning: onServerRunning, logger: logger)
    }

    /// Number of open WebSocket sessions.
    public var webSocketCount: Int { host.hub.connectionCount }
}

/// Ticks the exchange on real time and fires the WebSocket-drop fault.
struct ExchangeTicker: Service {
    let server: KalshiSimServer

    func run() async throws {
        let interval = max(server.options.tickIntervalMs, 1)
        let dropEvery = server.options.faults.wsDropEverySeconds * 1000
        let server = self.server
        try? await cancelWhenGracefulShutdown {
            var lastDrop = server.host.realMs()
            while !Task.isCancelled {
                try await Task.sleep(for: .milliseconds(interval))
                server.host.tick()
                let now = server.host.realMs()
                if dropEvery > 0, now - lastDrop >= dropEvery {
                    lastDrop = now
                    server.host.hub.dropAll()
                }
            }
        }
    }
}
