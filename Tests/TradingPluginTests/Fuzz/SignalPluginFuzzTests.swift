import AutoEntry
import BusKit
import BusTestSupport
import BusWire
import FailureDetector
import Foundation
import Logging
import MarketWire
import Model
import Money
import Synchronization
import Testing
import TradeSupervisor
import TradingWire

/// Bad input for the plugins that decide from signals: model, auto-entry, trade-supervisor, failure-detector.
@Suite("fuzz: signal plugins over the real bus", .serialized)
struct SignalPluginFuzzTests {
    @Test("model: wrong shapes, huge and raw garbage on every topic it reads are counted; tables still come out")
    func model() async throws {
        typealias F = ModelFixtures
        let broker = try TestBroker()
        defer { broker.stop() }
        let buses = try await FuzzBuses.connect(broker, plugin: ModelPlugin.name)
        defer { buses.close() }
        let inbox = ModelInbox()
        let collecting = inbox.collect(buses.tap.subscribe([.strikeTables, .watchlists]))
        defer { collecting.cancel() }
        let health = Health()
        let plugin = try ModelPlugin(context: PluginContext(name: ModelPlugin.name, host: "test", configuration: try F.configuration("strikes = 5\n"),
                                                            bus: buses.plugin, clock: SystemClock(), health: health, logger: FuzzCampaign.logger))
        let running = Task { try await plugin.run() }
        defer { running.cancel() }
        let event = "KXBTCD-25MAY1522", market = "KXBTCD-25MAY1522-T99999.99"
        let close = Int64(Date().timeIntervalSince1970) + 1_800
        let topics: [FuzzTopic] = [
            .on(.btcTick, F.tick("100000")), .on(.btcMomentum, F.momentum(3)),
            .on(.marketSeries(F.series), MarketSeriesIndex(series: F.series, events: [event])),
            .on(.marketEvent(event), F.event(close: close)), .on(.marketBook(market), F.book(market)),
        ]
        try await FuzzCampaign.run(ModelPlugin.name, topics: topics, buses: buses, health: health, seed: 0x6D6F_6465) { round in
            let price = round == 1 ? "100010" : "100020"
            return await eventually {
                try? buses.feed.publish(.marketSeries(F.series), MarketSeriesIndex(series: F.series, events: [event]))
                try? buses.feed.publish(.marketEvent(event), F.event(close: close))
                try? buses.feed.publish(.marketBook(market), F.book(market))
                try? buses.feed.publish(.btcTick, F.tick(price))
                return inbox.tables.contains { $0.btcPrice == F.d(price) }
            }
        }
        // Only valid input made tables: every table is for the one event, priced at a tick that was sent.
        #expect(inbox.tables.allSatisfy { $0.eventTicker == event && [F.d("100010"), F.d("100020")].contains($0.btcPrice) })
    }

    @Test("auto-entry: bad input is counted, never becomes an intent or a stored setting; settings changes still apply")
    func autoEntry() async throws {
        let folder = NSTemporaryDirectory() + "fuzz-auto-entry-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/settings.json"
        let broker = try TestBroker()
        defer { broker.stop() }
        let buses = try await FuzzBuses.connect(broker, plugin: AutoEntry.name)
        defer { buses.close() }
        let inbox = AEInbox()
        let collecting = inbox.collect(buses.tap.subscribe([.orderIntents, TopicFilter(.settings(plugin: AutoEntry.name))]))
        defer { collecting.cancel() }
        let health = Health()
        let config = try AutoEntrySettingsTests.configuration("min_probability = 50", file: file)
        let plugin = try AutoEntry(context: PluginContext(name: AutoEntry.name, host: "test", configuration: config, bus: buses.plugin,
                                                          clock: SystemClock(), health: health, logger: FuzzCampaign.logger))
        let running = Task { try await plugin.run() }
        defer { running.cancel() }
        let intent = ExecFixture.intent("fuzz-k")
        let topics: [FuzzTopic] = [
            .on(.watchlist(event: AE.event), AE.watchlist([AE.row()])), .on(.openTrades, AE.open([AE.trade("t1")])),
            .on(.accountBalance, AE.balance("1000")), .on(.btcMomentum, ModelFixtures.momentum(3)), .on(.tradingState, AE.status(.active)),
            .on(.orderEvent(source: AutoEntry.name), AE.answer(intent, .filled, filled: 1, price: "0.80")),
            .on(.settingsChange(plugin: AutoEntry.name), SettingsChange(plugin: AutoEntry.name, values: ["min_probability": "60"], requester: "t", time: "")),
        ]
        try await FuzzCampaign.run(AutoEntry.name, topics: topics, buses: buses, health: health, seed: 0x6175_746F) { round in
            let value = round == 1 ? "51" : "52"
            return await eventually {
                try? buses.feed.publish(.settingsChange(plugin: AutoEntry.name),
                                        SettingsChange(plugin: AutoEntry.name, values: ["min_probability": value], requester: "fuzz", time: ""))
                return inbox.of(RuntimeSettings.self).last?.values["min_probability"] == value
            }
        }
        #expect(inbox.of(OrderIntent.self).isEmpty)
        #expect(try RuntimeSettingsStore(path: file).load()?["min_probability"] == "52")
    }

    @Test("trade-supervisor: bad input is counted, never becomes a close; settings changes still apply")
    func tradeSupervisor() async throws {
        let folder = NSTemporaryDirectory() + "fuzz-trade-supervisor-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/settings.json"
        let broker = try TestBroker()
        defer { broker.stop() }
        let buses = try await FuzzBuses.connect(broker, plugin: TradeSupervisor.name)
        defer { buses.close() }
        let inbox = TSInbox()
        let collecting = inbox.collect(buses.tap.subscribe([.orderIntents, TopicFilter(.settings(plugin: TradeSupervisor.name))]))
        defer { collecting.cancel() }
        let health = Health()
        let config = try TradeSupervisorPluginTests.configuration("", file: file)
        let plugin = try TradeSupervisor(context: PluginContext(name: TradeSupervisor.name, host: "test", configuration: config, bus: buses.plugin,
                                                                clock: SystemClock(), health: health, logger: FuzzCampaign.logger))
        let running = Task { try await plugin.run() }
        defer { running.cancel() }
        let close = ExecFixture.intent("fuzz-c", purpose: .close, side: .no, source: TradeSupervisor.name)
        let topics: [FuzzTopic] = [
            .on(.openTrades, TS.open([TS.trade()])), .on(.strikeTable(event: TS.event), TS.table([TS.row(pYes: 0.1)])),
            .on(.btcMomentum, ModelFixtures.momentum(3)), .on(.orderEvent(source: TradeSupervisor.name), TS.answer(close, .filled, filled: 10)),
            .on(.settingsChange(plugin: TradeSupervisor.name),
                SettingsChange(plugin: TradeSupervisor.name, values: ["confirmation_seconds": "5"], requester: "t", time: "")),
        ]
        try await FuzzCampaign.run(TradeSupervisor.name, topics: topics, buses: buses, health: health, seed: 0x7375_7065) { round in
            let value = round == 1 ? "3" : "4"
            return await eventually {
                try? buses.feed.publish(.settingsChange(plugin: TradeSupervisor.name),
                                        SettingsChange(plugin: TradeSupervisor.name, values: ["confirmation_seconds": value], requester: "fuzz", time: ""))
                return inbox.of(RuntimeSettings.self).last?.values["confirmation_seconds"] == value
            }
        }
        #expect(inbox.of(OrderIntent.self).isEmpty)
        #expect(try RuntimeSettingsStore(path: file).load()?["confirmation_seconds"] == "4")
    }

    @Test("failure-detector: garbage heartbeats, ticks and launcher statuses are counted and judge nothing; real beats still do")
    func failureDetector() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let buses = try await FuzzBuses.connect(broker, plugin: FailureDetector.name)
        defer { buses.close() }
        let text = "[plugin.failure-detector]\nrequired = \nstartup_grace = 1h\n"
        let config = try BusConfiguration(file: ConfigFile(path: "test.conf", text: text), pluginKeys: [FailureDetector.name: FailureDetector.configKeys])
        let health = Health()
        let plugin = try FailureDetector(context: PluginContext(name: FailureDetector.name, host: "test", configuration: config, bus: buses.plugin,
                                                                clock: SystemClock(), health: health, logger: FuzzCampaign.logger))
        let summaries = buses.tap.subscribe([TopicFilter(.fleetHealth)])
        let judged = JudgedPlugins()
        let reading = Task { for await e in summaries { if let h = try? e.decode(FleetHealth.self) { judged.add(h.plugins.map(\.name)) } } }
        defer { reading.cancel() }
        let running = Task { try await plugin.run() }
        defer { running.cancel() }
        let beat = Heartbeat(plugin: "fuzzed", host: "h", pid: 1, state: .running, uptime: 1, rss: 1)
        let topics: [FuzzTopic] = [
            .on(.heartbeat(plugin: "fuzzed"), beat), .on(.btcTick, ModelFixtures.tick("100000")),
            .on(.launcherStatus(host: "h"), LauncherStatus(host: "h", pid: 1, plugins: [PluginStatus(name: "fuzzed", state: .running)])),
        ]
        try await FuzzCampaign.run(FailureDetector.name, topics: topics, buses: buses, health: health, seed: 0x6661_696C) { round in
            let name = "probe-\(round)"
            return await eventually {
                try? buses.feed.publish(.heartbeat(plugin: name), Heartbeat(plugin: name, host: "h", pid: 2, state: .running, uptime: 1, rss: 1))
                return judged.contains(name)
            }
        }
        #expect(!judged.contains("fuzzed"))
    }
}

/// The plugin names the failure detector's summaries have listed.
final class JudgedPlugins: Sendable {
    private let names = Mutex<Set<String>>([])
    func add(_ list: [String]) { names.withLock { $0.formUnion(list) } }
    func contains(_ name: String) -> Bool { names.withLock { $0.contains(name) } }
}
