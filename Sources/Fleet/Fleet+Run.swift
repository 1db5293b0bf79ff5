import Broker
import BusKit
import Crypto
import Foundation
import Hummingbird
import HummingbirdWebSocket
import KalshiSim
import Kalshi
import Logging
import Money
import PriceSim
import ServiceLifecycle
import SimExchange
public import _CryptoExtras

extension Fleet {
    /// Runs `body` with a fresh fleet infrastructure (broker, simulator, data folder), then stops every plugin, the
    /// simulator and the broker, and removes the data folder (unless `keepHome`).
    public static func run<T: Sendable>(_ options: FleetOptions = FleetOptions(), keepHome: Bool = false,
                                        _ body: @Sendable (Fleet) async throws -> T) async throws -> T {
        let home = NSTemporaryDirectory() + "recio-fleet-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { if !keepHome { try? FileManager.default.removeItem(atPath: home) } }

        var brokerOptions = BrokerOptions(frontend: "tcp://127.0.0.1:*", backend: "tcp://127.0.0.1:*")
        brokerOptions.statsInterval = 1
        let broker = try Broker(options: brokerOptions)
        let brokerThread = OSThread(name: "fleet-broker") { broker.run() }
        defer { broker.stop(); brokerThread.join() }

        var sim = KalshiSimOptions()
        sim.speed = options.speed
        sim.startMs = options.startMs
        sim.faults = options.faults
        sim.exchange.initialBalance = options.exchange.initialBalance
        sim.exchange.marketMaker.enabled = options.exchange.makers
        sim.exchange.strikesEachSide = options.exchange.strikesEachSide
        sim.rateLimits.enabled = false
        sim.tickIntervalMs = 20
        let index = ScriptedPrice(price: options.initialPrice, from: options.startMs / 1000 - 7_200)
        let server = KalshiSimServer(options: sim, index: ClosureIndexSource { index.value(atSecond: $0) })
        let clock = SimulatorClock(host: server.host, speed: options.speed)
        let key = try await Self.makeKey()
        try server.keys.register(keyID: "fleet", publicKeyPEM: key.publicKey.pemRepresentation)
        _ = try Credentials.store(keyID: "fleet", privateKeyPEM: key.pemRepresentation,
                                  in: URL(fileURLWithPath: home + "/credentials/sim"))

        let router = Router(context: BasicWebSocketRequestContext.self)
        if let observe = options.observeRequest { router.middlewares.add(RequestObserver(observe: observe)) }
        server.addRoutes(to: router)
        CoinbaseFeed(process: index, clock: clock).addRoute(to: router, path: "/coinbase")
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "fleet.sim")
        logger.logLevel = .warning
        let app = server.makeApplication(router: router, port: 0, logger: logger) { channel in portSink.yield(channel.localAddress?.port ?? 0) }
        let services = KalshiSimServer.serviceGroup(app, logger: logger)
        let busOptions = ZMQBus.Options(frontend: broker.frontendEndpoint, backend: broker.backendEndpoint)

        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var it = ports.makeAsyncIterator()
            guard let port = await it.next() else { throw CancellationError() }
            let fleet = Fleet(server: server, index: index, clock: clock, port: port, home: home, busOptions: busOptions,
                              keyPEM: key.pemRepresentation, options: options)
            let result: Result<T, any Error>
            do { result = .success(try await body(fleet)) } catch { result = .failure(error) }
            await fleet.stopAll()
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return try result.get()
        }
    }
}

/// Reports every request as it arrives.
struct RequestObserver<Context: RequestContext>: RouterMiddleware {
    let observe: @Sendable (String, String) -> Void

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        observe(request.method.rawValue, request.uri.path)
        return try await next(request, context)
    }
}

extension Fleet {
    /// A 2048-bit RSA key, made on a thread of its own: key generation takes long enough to stall Swift's cooperative
    /// pool (two threads on a small machine) for everything else running.
    public static func makeKey() async throws -> _RSA.Signing.PrivateKey {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<_RSA.Signing.PrivateKey, any Error>) in
            OSThread(name: "fleet-keygen") { c.resume(with: Result { try _RSA.Signing.PrivateKey(keySize: .bits2048) }) }.detach()
        }
    }
}
