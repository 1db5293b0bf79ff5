import BusKit
import BusTestSupport
import BusWire
import Foundation
import Logging
import Money
import Synchronization
import TradeManager
import TradingWire
import Testing

/// Collects what the trade manager publishes.
final class TradeInbox: Sendable {
    private let messages = Mutex<[Envelope]>([])
    func append(_ e: Envelope) { messages.withLock { $0.append(e) } }
    var all: [Envelope] { messages.withLock { $0 } }
    var updates: [TradeUpdate] { all.filter { $0.type == TradeUpdate.typeName }.compactMap { try? $0.decode(TradeUpdate.self) } }
    var open: [OpenTrades] { all.filter { $0.type == OpenTrades.typeName }.compactMap { try? $0.decode(OpenTrades.self) } }
    var stats: [TradeStatistics] { all.filter { $0.type == TradeStatistics.typeName }.compactMap { try? $0.decode(TradeStatistics.self) } }
    /// The first answer to trade query `id`.
    func reply(_ id: String) -> TradeQueryResult? {
        all.lazy.filter { $0.type == TradeQueryResult.typeName }.compactMap { try? $0.decode(TradeQueryResult.self) }.first { $0.requestID == id }
    }
    /// The latest status of trade `id` in a `trade.update`.
    func status(_ id: String) -> TradeStatus? { updates.last { $0.trade.id == id }?.trade.status }
    func latest(_ id: String) -> TradeRecord? { updates.last { $0.trade.id == id }?.trade }

    func collect(_ subscription: Subscription) -> Task<Void, Never> {
        Task { for await e in subscription { self.append(e) } }
    }
}

/// A trade manager on a temporary database, run by hand like the launcher would.
struct TradeManagerHarness: Sendable {
    let folder = NSTemporaryDirectory() + "trade-manager-tests-\(UUID().uuidString)"
    var database: String { folder + "/data/trades.sqlite" }

    func configuration(interval: String = "1h") throws -> BusConfiguration {
        let text = """
            [plugin.trade-manager]
            database = \(database)
            open_publish_interval = \(interval)
            stats_interval = 1h
            """
        return try BusConfiguration(file: ConfigFile(path: "test.conf", text: text), pluginKeys: ["trade-manager": TradeManager.configKeys])
    }

    /// Starts the plugin on `bus` with `clock`; cancel the task to stop it.
    func start(bus: any Bus, clock: any BusClock, interval: String = "1h") throws -> Task<Void, any Error> {
        let context = PluginContext(name: TradeManager.name, host: "test", configuration: try configuration(interval: interval),
                                    bus: bus, clock: clock, health: Health(), logger: Logger(label: "trade-manager-test"))
        let plugin = try TradeManager(context: context)
        return Task { try await plugin.run() }
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: folder) }
}

/// Publishes `message` until `done` holds, as a real sender repeats an intent until it is answered (re-delivery
/// is idempotent, so repeats are harmless and make the test immune to a slow-joining subscription).
func publishUntil<M: BusMessage>(_ bus: any Bus, _ topic: Topic, _ message: M, _ done: @escaping @Sendable () -> Bool) async -> Bool {
    for _ in 0..<30 {
        try? bus.publish(topic, message)
        if await eventually(attempts: 20, every: .milliseconds(50), { done() }) { return true }
    }
    return false
}
