import BusKit
import BusTestSupport
import BusWire
import Foundation
import Logging
import MarketWire
import Money
import PriceFeed
import PriceSim
import Synchronization
import Testing

/// Collects envelopes from a subscription.
final class Inbox: Sendable {
    private let messages = Mutex<[Envelope]>([])
    func append(_ e: Envelope) { messages.withLock { $0.append(e) } }
    var all: [Envelope] { messages.withLock { $0 } }
    var ticks: [BTCTick] { all.filter { $0.topic == "price.btc.tick" }.compactMap { try? $0.decode(BTCTick.self) } }
    var momenta: [BTCMomentum] { all.filter { $0.topic == "price.btc.momentum" }.compactMap { try? $0.decode(BTCMomentum.self) } }

    /// Starts collecting `subscription` in the background.
    func collect(_ subscription: Subscription) -> Task<Void, Never> {
        Task { for await e in subscription { self.append(e) } }
    }
}

/// A simulated Coinbase feed on loopback, a temporary data folder, and the price-feed plugin wired to both.
struct PriceFeedHarness: Sendable {
    static let start: Int64 = 1_750_000_000
    let process = SyntheticProcess(seed: 9, start: start - 3_600, initialPrice: Dollars("104000")!)
    let clock = ManualClock(startMicros: start * 1_000_000)
    let feed: CoinbaseFeed
    let folder: String

    init() {
        feed = CoinbaseFeed(process: process, clock: clock)
        folder = NSTemporaryDirectory() + "price-feed-tests-\(UUID().uuidString)"
    }

    var database: String { folder + "/data/price-feed.sqlite" }

    func configuration(port: Int, extra: String = "") throws -> BusConfiguration {
        let text = """
            [plugin.price-feed]
            url = ws://127.0.0.1:\(port)/coinbase
            database = \(database)
            history_window = 30s
            stale_after = 3s
            silence_timeout = 120s
            \(extra)
            """
        return try BusConfiguration(file: ConfigFile(path: "test.conf", text: text), pluginKeys: ["price-feed": PriceFeed.configKeys])
    }

    func context(bus: any Bus, port: Int, health: Health = Health()) throws -> PluginContext {
        PluginContext(name: PriceFeed.name, host: "test", configuration: try configuration(port: port), bus: bus,
                      clock: SystemClock(), health: health, logger: Logger(label: "test"))
    }

    /// Runs `body` with the feed serving on a free port; removes the data folder afterwards.
    func run(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await PriceSimServer(feed: feed).withRunning(body)
    }

    /// Advances simulated time one second and waits until that second's tick is on the bus.
    func step(_ inbox: Inbox) async {
        let before = inbox.ticks.count
        clock.advance(seconds: 1)
        #expect(await eventually { inbox.ticks.count > before })
    }
}
