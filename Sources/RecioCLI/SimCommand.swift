import ArgumentParser
import Foundation
import BusKit
import Fleet
import Hummingbird
import HummingbirdWebSocket
import KalshiSim
import Logging
import Money
import PriceSim
import ServiceLifecycle
import UnixSignals
import SimExchange

/// `recio sim`: the local exchange simulator, speaking Kalshi's REST and WebSocket protocols on loopback.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Run the local exchange simulator: Kalshi (REST /trade-api/v2, WebSocket /trade-api/ws/v2) and a Coinbase Exchange feed (WebSocket /coinbase), sharing one simulated clock and one BTC index.")

    @Option(help: "Address to listen on (loopback by default).") var address = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 7200
    @Option(help: "Simulated seconds per real second (60 runs an hour in a minute).") var speed = 1.0
    @Option(help: "Seed for the synthetic BTC index and every fault decision.") var seed: UInt64 = 1
    @Option(help: "Replay this 1-minute BTC candle CSV (plain or .gz) as the index, from its first bar, instead of the synthetic walk.")
    var prices: String?
    @Option(help: "Starting BTC price of the synthetic walk, in dollars.") var initialPrice = "100000"
    @Option(help: "Simulated start time, Unix seconds (default: now).") var start: Int64?
    @Option(help: "Folder of registered API public keys, one <key-id>.pem each.") var keys: String?
    @Option(help: "Accepted signature clock skew, in seconds.") var signatureWindow: Int64 = 30
    @Option(help: "Starting cash of every user, in dollars.") var balance = "1000"
    @Flag(help: "Run without the built-in market makers.") var noMakers = false
    @Flag(help: "Never answer 429 for rate limits.") var noRateLimits = false
    @Option(help: "Share of REST requests answered 503 (0...1).") var errorRate = 0.0
    @Option(help: "Extra latency on every REST request, in milliseconds.") var latencyMs: Int64 = 0
    @Option(help: "Answer everything 429 for --burst-length-ms every this many seconds (0 = never).") var burstEvery: Int64 = 0
    @Option(help: "Length of each 429 burst, in milliseconds.") var burstLengthMs: Int64 = 1000
    @Option(help: "Close every WebSocket session every this many seconds (0 = never).") var wsDropEvery: Int64 = 0
    @Option(help: "Share of sequenced WebSocket messages that skip a seq number (0...1).") var seqGapRate = 0.0
    @Option(help: "Share of REST bodies cut short (0...1).") var malformedRate = 0.0
    @Option(help: "Where to write the simulated clock for plugins with `[bus] clock = simulator` (default $RECIO_HOME/sim/clock.json).")
    var clockFile: String?

    func run() async throws {
        PluginRunner.bootstrapLogging()
        let logger = Logger(label: "recio.sim")
        var options = KalshiSimOptions()
        options.speed = speed
        options.seed = seed
        options.startMs = start.map { $0 * 1000 }
        options.signatureWindowMs = signatureWindow * 1000
        guard let cash = Dollars(balance) else { throw ValidationError("--balance must be a dollar amount") }
        options.exchange.initialBalance = cash
        options.exchange.marketMaker.enabled = !noMakers
        options.rateLimits.enabled = !noRateLimits
        options.faults.errorRate = errorRate
        options.faults.extraLatencyMs = latencyMs
        options.faults.burstEverySeconds = burstEvery
        options.faults.burstLengthMs = burstLengthMs
        options.faults.wsDropEverySeconds = wsDropEvery
        options.faults.sequenceGapRate = seqGapRate
        options.faults.malformedRate = malformedRate

        let startMs = options.startMs ?? realNowMs()
        options.startMs = startMs
        let process = try indexProcess(startSecond: startMs / 1000)
        let sim = KalshiSimServer(options: options, index: ClosureIndexSource { process.value(atSecond: $0) })
        if let keys {
            do {
                let ids = try sim.keys.registerFolder(keys)
                logger.info("registered \(ids.count) API key(s) from \(keys)")
            } catch { throw ValidationError("cannot read keys from \(keys): \(error)") }
        } else {
            logger.warning("no --keys folder: signed requests will be refused")
        }
        let clockPath = clockFile ?? SimulatorClockFile.defaultPath(home: ProcInfo.recioHome)
        do {
            try SimulatorClockFile(startMs: sim.host.clock.startMs, realStartMs: sim.host.clock.realStartMs, speed: speed, pid: getpid())
                .write(to: clockPath)
        } catch { throw ValidationError("cannot write the clock file \(clockPath): \(error)") }
        defer { try? FileManager.default.removeItem(atPath: clockPath) }
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.middlewares.add(LogRequestsMiddleware(.debug))
        sim.addRoutes(to: router)
        CoinbaseFeed(process: process, clock: SimulatorClock(host: sim.host, speed: speed)).addRoute(to: router, path: "/coinbase")
        let app = sim.makeApplication(router: router, address: address, port: port, logger: logger) { channel in
            // The port bound, which differs from --port when that is 0.
            let bound = channel.localAddress?.port ?? port
            logger.info("recio sim listening on http://\(address):\(bound)/trade-api/v2 and ws://\(address):\(bound)/coinbase (speed \(speed)x, seed \(seed))")
        }
        try await KalshiSimServer.serviceGroup(app, signals: [.sigterm, .sigint], logger: logger).run()
        logger.info("recio sim stopped")
    }

    /// The BTC index both venues read: a replay of `--prices` shifted to start two hours before the simulated start
    /// (so the first settlement has its 60 seconds), or the seeded synthetic walk.
    private func indexProcess(startSecond: Int64) throws -> any PriceProcess {
        let from = startSecond - 7_200
        guard let prices else {
            guard let first = Dollars(initialPrice), first > .zero else { throw ValidationError("--initial-price must be a positive dollar amount") }
            return SyntheticProcess(seed: seed, start: from, initialPrice: first)
        }
        do { return try CandleReplay(candles: try CandleCSV.read(path: prices), startingAt: from) } catch {
            throw ValidationError("cannot replay \(prices): \(error)")
        }
    }
}
