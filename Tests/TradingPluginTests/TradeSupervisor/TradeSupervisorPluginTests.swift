import BusKit
import BusTestSupport
import BusWire
import Foundation
import Logging
import MarketWire
import Money
import Synchronization
import Testing
@testable import TradeSupervisor
import TradingWire

/// Collects envelopes from a subscription.
final class TSInbox: Sendable {
    private let messages = Mutex<[Envelope]>([])
    var all: [Envelope] { messages.withLock { $0 } }
    func of<M: BusMessage>(_ type: M.Type) -> [M] { all.filter { $0.type == M.typeName }.compactMap { try? $0.decode(M.self) } }
    func collect(_ subscription: Subscription) -> Task<Void, Never> {
        Task { for await e in subscription { self.messages.withLock { $0.append(e) } } }
    }
}

@Suite("trade-supervisor plugin: settings, persistence, and the real broker")
struct TradeSupervisorPluginTests {
    static func configuration(_ body: String, file: String) throws -> BusConfiguration {
        let text = "[plugin.trade-supervisor]\nsettings_file = \(file)\n\(body)\n"
        return try BusConfiguration(file: ConfigFile(path: "test.conf", text: text), pluginKeys: ["trade-supervisor": TradeSupervisor.configKeys])
    }

    @Test("defaults are the original's; a change is all or none; bus.conf errors name the line and key")
    func settings() throws {
        let values = SupervisorSettings.schema.render(SupervisorSettings())
        #expect(values["auto_stop"] == "true" && values["stop_probability"] == "25" && values["confirmation_seconds"] == "10")
        #expect(values["min_seconds_since_entry"] == "60" && values["max_slippage"] == "2" && values["momentum_spike_threshold"] == "35")
        #expect(try SupervisorSettings.schema.applying(values, to: SupervisorSettings()).get() == SupervisorSettings())
        guard case .failure(let why) = SupervisorSettings.schema.applying(["auto_stop": "false", "max_slippage": "99"], to: SupervisorSettings()) else {
            Issue.record("accepted"); return
        }
        #expect(why.all.map(\.key) == ["max_slippage"])
        // The original's misleading name is not a key any more.
        #expect(throws: ConfigErrors.self) { _ = try Self.configuration("min_ttc_seconds = 60", file: "/tmp/x.json") }
        let bad = try Self.configuration("stop_probability = 120", file: "/tmp/x.json")
        #expect(throws: TradeSupervisorError.self) { _ = try SupervisorSettings.load(configuration: bad, plugin: "trade-supervisor", home: "/tmp") }
        do { _ = try SupervisorSettings.load(configuration: bad, plugin: "trade-supervisor", home: "/tmp") } catch {
            #expect(error.configuration.map(\.key) == ["plugin.trade-supervisor.stop_probability"] && error.configuration.first?.line == 3)
        }
    }

    @Test("over the real broker: a losing trade is stopped out, supervised trades are published, settings change and persist")
    func overBroker() async throws {
        let folder = NSTemporaryDirectory() + "trade-supervisor-bus-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/trade-supervisor/settings.json"
        let config = try Self.configuration("confirmation_seconds = 0\nmin_seconds_since_entry = 0", file: file)
        let broker = try TestBroker()
        defer { broker.stop() }
        let pluginBus = try broker.connect(as: "trade-supervisor@test")
        defer { pluginBus.close() }
        let tap = try broker.connect(as: "tap@test")
        defer { tap.close() }
        #expect(await pluginBus.waitUntilConnected(timeoutSeconds: 20))
        #expect(await tap.waitUntilConnected(timeoutSeconds: 20))
        let inbox = TSInbox()
        let collecting = inbox.collect(tap.subscribe([.orderIntents, TopicFilter(.supervisedTrades), TopicFilter(.settings(plugin: "trade-supervisor")), .alerts]))
        defer { collecting.cancel() }
        let context = PluginContext(name: TradeSupervisor.name, host: "test", configuration: config, bus: pluginBus, clock: SystemClock(),
                                    health: Health(), logger: Logger(label: "test"))
        let plugin = try TradeSupervisor(context: context)
        let running = Task { try await plugin.run() }
        defer { running.cancel() }
        #expect(await eventually { inbox.of(RuntimeSettings.self).last?.values["confirmation_seconds"] == "0" })

        // Ripcord off over the bus, persisted.
        #expect(await eventually {
            try? tap.publish(.settingsChange(plugin: "trade-supervisor"), SettingsChange(plugin: "trade-supervisor", values: ["momentum_spike_enabled": "false"],
                                                                                      requester: "test", time: "now"))
            return inbox.of(RuntimeSettings.self).last?.values["momentum_spike_enabled"] == "false"
        })
        #expect(try RuntimeSettingsStore(path: file).load()?["momentum_spike_enabled"] == "false")

        let now = SystemClock().now
        var trade = TS.trade(count: 10, entry: "0.60", fees: "0.17")
        trade.enteredTs = now.microseconds / 1_000_000 - 120
        try tap.publish(.openTrades, TS.open([trade]))
        try tap.publish(.btcMomentum, BTCMomentum(product: "BTC-USD", price: Dollars("105000")!, time: now.description, score: "-0.9",
                                                  scoreX100: -90, deltas: [:]))
        var table = TS.table([TS.row(pYes: 0.1, yesAsk: "0.12", noAsk: "0.30")])
        table.closeTs = now.microseconds / 1_000_000 + 900
        #expect(await eventually {
            try? tap.publish(.strikeTable(event: TS.event), table)
            return !inbox.of(OrderIntent.self).isEmpty
        })
        let close = try #require(inbox.of(OrderIntent.self).first)
        #expect(close.method == "auto-stop" && close.purpose == .close && close.tradeID == trade.id && close.side == .no)
        #expect(close.count == Contracts(whole: 10) && close.limitPrice == Dollars("0.32"))
        let view = try #require(inbox.of(SupervisedTrades.self).last { $0.trades.first?.winProbability != nil }?.trades.first)
        #expect(view.pnl == Dollars("0.68") && view.closePrice == Dollars("0.30") && !inbox.of(SupervisedTrades.self).last!.ripcord)
        // Repeated under the same key until answered.
        #expect(await eventually { inbox.of(OrderIntent.self).filter { $0.key == close.key }.count >= 2 })
        #expect(Set(inbox.of(OrderIntent.self).map(\.key)) == [close.key])

        running.cancel()
        let stopped = Mutex(false)
        Task { _ = await running.result; stopped.withLock { $0 = true } }
        #expect(await eventually { stopped.withLock { $0 } })  // the plugin ends when cancelled
        let again = try TradeSupervisor(context: context)
        #expect(!again.settings.ripcordEnabled && again.settings.confirmationSeconds == 0)
    }
}
