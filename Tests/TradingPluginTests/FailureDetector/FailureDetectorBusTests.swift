import BusKit
import BusTestSupport
import BusWire
import FailureDetector
import Logging
import MarketWire
import Money
import Synchronization
import Testing
import TradingWire

@Suite("Failure detector over the real bus")
struct FailureDetectorBusTests {
    @Test func staleThenFreshPriceHoldsAndReleasesTradingWithHealthPublished() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let clock = TestClock()
        let bus = try broker.connect(as: "failure-detector@test", clock: clock)
        let feed = try broker.connect(as: "price-feed@test", clock: clock)
        let tap = try broker.connect(as: "tap@test", clock: clock)
        defer { bus.close(flushSeconds: 0); feed.close(flushSeconds: 0); tap.close(flushSeconds: 0) }
        let text = "[plugin.failure-detector]\nrequired = \nstartup_grace = 5s\n"
        let config = try BusConfiguration(file: ConfigFile(path: "test.conf", text: text), pluginKeys: [FailureDetector.name: FailureDetector.configKeys])
        var logger = Logger(label: "fd-test")
        logger.logLevel = .warning
        let plugin = try FailureDetector(context: PluginContext(name: FailureDetector.name, host: "test", configuration: config, bus: bus,
                                                                clock: clock, health: Health(), logger: logger))
        let seen = SeenCommands()
        let subscription = tap.subscribe([TopicFilter(Topic.tradingCommand)])
        let reader = Task { for await e in subscription { if let c = try? e.decode(TradingCommand.self) { seen.append(c) } } }
        defer { reader.cancel() }
        func saw(_ action: TradingCommand.Action) -> Bool {
            seen.withLock { $0.contains { $0.action == action && $0.holder == "failure-detector.btc" } }
        }
        _ = await tap.waitUntilConnected(timeoutSeconds: 5)
        let task = Task { try await plugin.run() }
        defer { task.cancel() }

        // Past the grace without any tick: entries stop.
        #expect(await eventually { clock.sleeperCount > 0 })
        clock.advance(seconds: 6)
        #expect(await eventually { saw(.reduce) })

        // A fresh tick: trading resumes by itself (the tick is sent again until a judgement has seen it).
        let price = Dollars(cents: 10_000_000)
        var resumed = false
        for n in 1...50 where !resumed {
            try feed.publish(.btcTick, BTCTick(product: "BTC-USD", price: price, bestBid: price, bestAsk: price, time: clock.now.description,
                                               tradeID: Int64(n), source: "test"))
            #expect(await eventually { clock.sleeperCount > 0 })
            clock.advance(seconds: 1)
            resumed = await eventually(attempts: 40) { saw(.resume) }
        }
        #expect(resumed)
    }
}

/// The trading commands a tap saw.
final class SeenCommands: Sendable {
    private let commands = Mutex<[TradingCommand]>([])
    func append(_ c: TradingCommand) { commands.withLock { $0.append(c) } }
    func withLock<T>(_ body: ([TradingCommand]) -> T) -> T { commands.withLock { body($0) } }
}
