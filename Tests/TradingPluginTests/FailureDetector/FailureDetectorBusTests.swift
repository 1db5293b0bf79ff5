import BusKit
import BusTestSupport
import BusWire
import FailureDetector
import Logging
import MarketWire
import Money
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
        let commands = tap.subscribe([TopicFilter(Topic.tradingCommand), TopicFilter(Topic.fleetHealth)])
        _ = await tap.waitUntilConnected(timeoutSeconds: 5)
        let task = Task { try await plugin.run() }
        defer { task.cancel() }

        // Past the grace without any tick: entries stop.
        #expect(await eventually { clock.sleeperCount > 0 })
        clock.advance(seconds: 6)
        let hold = await commands.first(within: 20) { e in
            (try? e.decode(TradingCommand.self)).map { $0.action == .reduce && $0.holder == "failure-detector.btc" } ?? false
        }
        #expect(hold != nil)

        // A fresh tick: trading resumes by itself (the tick is sent again until a judgement has seen it).
        let price = Dollars(cents: 10_000_000)
        var resume: Envelope?
        for n in 1...50 where resume == nil {
            try feed.publish(.btcTick, BTCTick(product: "BTC-USD", price: price, bestBid: price, bestAsk: price, time: clock.now.description,
                                               tradeID: Int64(n), source: "test"))
            #expect(await eventually { clock.sleeperCount > 0 })
            clock.advance(seconds: 1)
            resume = await commands.first(within: 2) { e in
                (try? e.decode(TradingCommand.self)).map { $0.action == .resume && $0.holder == "failure-detector.btc" } ?? false
            }
        }
        #expect(resume != nil)
    }
}
