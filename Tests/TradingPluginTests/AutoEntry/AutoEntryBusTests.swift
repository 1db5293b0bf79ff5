@testable import AutoEntry
import BusKit
import BusTestSupport
import BusWire
import Foundation
import Logging
import MarketWire
import Money
import Synchronization
import Testing
import TradingWire

/// Collects envelopes from a subscription.
final class AEInbox: Sendable {
    private let messages = Mutex<[Envelope]>([])
    var all: [Envelope] { messages.withLock { $0 } }
    func of<M: BusMessage>(_ type: M.Type) -> [M] { all.filter { $0.type == M.typeName }.compactMap { try? $0.decode(M.self) } }
    func collect(_ subscription: Subscription) -> Task<Void, Never> {
        Task { for await e in subscription { self.messages.withLock { $0.append(e) } } }
    }
}

@Suite("auto-entry plugin over the real broker")
struct AutoEntryBusTests {
    @Test("settings change over the bus (refusal alerted, change persisted), a watchlist becomes a repeated intent, a restart keeps the settings")
    func overBroker() async throws {
        let folder = NSTemporaryDirectory() + "auto-entry-bus-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/auto-entry/settings.json"
        let config = try AutoEntrySettingsTests.configuration("min_probability = 50", file: file)
        let broker = try TestBroker()
        defer { broker.stop() }
        let pluginBus = try broker.connect(as: "auto-entry@test")
        defer { pluginBus.close() }
        let tap = try broker.connect(as: "tap@test")
        defer { tap.close() }
        #expect(await pluginBus.waitUntilConnected(timeoutSeconds: 20))
        #expect(await tap.waitUntilConnected(timeoutSeconds: 20))
        let inbox = AEInbox()
        let collecting = inbox.collect(tap.subscribe([.orderIntents, TopicFilter(.settings(plugin: "auto-entry")), .alerts]))
        defer { collecting.cancel() }
        let context = PluginContext(name: AutoEntry.name, host: "test", configuration: config, bus: pluginBus, clock: SystemClock(),
                                    health: Health(), logger: Logger(label: "test"))
        let plugin = try AutoEntry(context: context)
        let running = Task { try await plugin.run() }
        defer { running.cancel() }

        let now = SystemClock().now.description
        try tap.publish(.tradingState, TradingStatus(mode: .active, hard: false, holds: [], venueMode: "sim", time: now))
        try tap.publish(.openTrades, OpenTrades(trades: [], time: now))
        try tap.publish(.accountBalance, AccountBalance(balance: Dollars("1000")!, portfolioValue: nil, mode: "sim", time: now))
        try tap.publish(.btcMomentum, BTCMomentum(product: "BTC-USD", price: Dollars("105500")!, time: now, score: "0.03", scoreX100: 3, deltas: [:]))
        #expect(await eventually { inbox.of(RuntimeSettings.self).last?.values["auto_entry"] == "false" })

        // A change with one bad key is refused whole, with an alert naming the key.
        #expect(await eventually {
            try? tap.publish(.settingsChange(plugin: "auto-entry"), SettingsChange(plugin: "auto-entry", values: ["auto_entry": "true", "min_probability": "101"],
                                                                                requester: "test", time: now))
            return inbox.of(Alert.self).contains { $0.message.contains("min_probability") }
        })
        #expect(inbox.of(RuntimeSettings.self).allSatisfy { $0.values["auto_entry"] == "false" })
        #expect(await eventually {
            try? tap.publish(.settingsChange(plugin: "auto-entry"), SettingsChange(plugin: "auto-entry", values: ["auto_entry": "true"],
                                                                                requester: "test", time: now))
            return inbox.of(RuntimeSettings.self).last?.values["auto_entry"] == "true"
        })
        // Only the key changed at runtime is stored: the others keep following bus.conf. Each value says where it comes from.
        #expect(try RuntimeSettingsStore(path: file).load() == ["auto_entry": "true"])
        #expect(inbox.of(RuntimeSettings.self).last?.values["min_probability"] == "50")
        let sources = inbox.of(RuntimeSettings.self).last?.sources
        #expect(sources?["auto_entry"] == "runtime" && sources?["min_probability"] == "bus.conf" && sources?["max_open_positions"] == "default")

        // The model's watchlist, every "tick", until an intent comes out.
        let row = AE.row(side: .yes, p: 0.9, ask: "0.80", edge: "0.10")
        #expect(await eventually {
            try? tap.publish(.watchlist(event: AE.event), AE.watchlist([row]))
            return !inbox.of(OrderIntent.self).isEmpty
        })
        let intent = try #require(inbox.of(OrderIntent.self).first)
        #expect(intent.purpose == .entry && intent.side == .yes && intent.limitPrice == Dollars("0.80") && intent.method == "auto")
        // Unanswered, it is repeated under the same key.
        #expect(await eventually { inbox.of(OrderIntent.self).filter { $0.key == intent.key }.count >= 2 })
        #expect(Set(inbox.of(OrderIntent.self).map(\.key)) == [intent.key])
        try tap.publish(.orderEvent(source: "auto-entry"), AE.answer(intent, .filled, filled: 1, price: "0.80"))
        #expect(await eventually { inbox.of(RuntimeSettings.self).last?.values["status.pending"] == "0" })

        // A restart reads the persisted settings over bus.conf.
        running.cancel()
        let stopped = Mutex(false)
        Task { _ = await running.result; stopped.withLock { $0 = true } }
        #expect(await eventually { stopped.withLock { $0 } })  // the plugin ends when cancelled
        let again = try AutoEntry(context: context)
        #expect(again.settings.enabled && again.settings.minProbabilityPercent == 50)
    }
}
