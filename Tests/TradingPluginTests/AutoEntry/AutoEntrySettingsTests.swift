@testable import AutoEntry
import BusKit
import BusWire
import Foundation
import Logging
import Money
import Testing
import TradingWire

@Suite("auto-entry settings: bus.conf, runtime changes (all or none), persistence")
struct AutoEntrySettingsTests {
    static func configuration(_ body: String, file: String) throws -> BusConfiguration {
        let text = "[plugin.auto-entry]\nsettings_file = \(file)\n\(body)\n"
        return try BusConfiguration(file: ConfigFile(path: "test.conf", text: text), pluginKeys: ["auto-entry": AutoEntry.configKeys])
    }

    static func folder() -> String { NSTemporaryDirectory() + "auto-entry-tests-\(UUID().uuidString)" }

    @Test("defaults are the original's, rendered as text that parses back to the same settings")
    func defaults() throws {
        let values = AutoEntrySettings.schema.render(AutoEntrySettings())
        #expect(values["auto_entry"] == "false" && values["min_time"] == "0" && values["max_time"] == "3600")
        #expect(values["min_probability"] == "25" && values["min_edge"] == "0" && values["cooldown"] == "10")
        #expect(values["spike_alert_momentum_threshold"] == "40" && values["spike_alert_cooldown_threshold"] == "30")
        #expect(values["spike_alert_cooldown_minutes"] == "15" && values["allow_re_entry"] == "false" && values["strategy"] == "Hourly HTC")
        #expect(values["position_size"] == "1.00" && values["multiplier"] == "1" && values["max_slippage"] == "0")
        var changed = AutoEntrySettings()
        changed.minEdge = Dollars(micros: -2_500)
        changed.maxRiskPerEvent = Dollars("12.5")!
        changed.minProbabilityPercent = 37.5
        let rendered = AutoEntrySettings.schema.render(changed)
        #expect(rendered["min_edge"] == "-0.25" && rendered["max_risk_per_event"] == "12.5" && rendered["min_probability"] == "37.5")
        #expect(try AutoEntrySettings.schema.applying(rendered, to: AutoEntrySettings()).get() == changed)
    }

    @Test("a change is validated whole: one bad key refuses all of it, naming the key")
    func allOrNone() throws {
        let base = AutoEntrySettings()
        let ok = try AutoEntrySettings.schema.applying(["auto_entry": "on", "min_edge": "1.5", "max_time": "905"], to: base).get()
        #expect(ok.enabled && ok.minEdge == Dollars(micros: 15_000) && ok.maxTime == 905)
        guard case .failure(let why) = AutoEntrySettings.schema.applying(["auto_entry": "true", "min_probability": "120"], to: base) else {
            Issue.record("accepted"); return
        }
        #expect(why.all.map(\.key) == ["min_probability"])
        guard case .failure(let unknown) = AutoEntrySettings.schema.applying(["status.enabled": "true", "nope": "1"], to: base) else {
            Issue.record("accepted"); return
        }
        #expect(Set(unknown.all.map(\.key)) == ["status.enabled", "nope"])
        guard case .failure(let window) = AutoEntrySettings.schema.applying(["min_time": "1000", "max_time": "900"], to: base) else {
            Issue.record("accepted"); return
        }
        #expect(window.all.first?.key == "min_time")
    }

    @Test("bus.conf errors name the file, line and key")
    func configErrors() throws {
        let config = try Self.configuration("min_edge = lots\nmultiplier = 0", file: "/tmp/x.json")
        #expect(throws: AutoEntryError.self) { _ = try AutoEntrySettings.load(configuration: config, plugin: "auto-entry", home: "/tmp") }
        do { _ = try AutoEntrySettings.load(configuration: config, plugin: "auto-entry", home: "/tmp") } catch {
            #expect(error.configuration.map(\.key) == ["plugin.auto-entry.min_edge", "plugin.auto-entry.multiplier"])
            #expect(error.configuration.map(\.line) == [3, 4] && error.configuration.allSatisfy { $0.file == "test.conf" })
        }
    }

    @Test("the store writes atomically with mode 0600 and reads back; a missing file reads as nil")
    func store() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = RuntimeSettingsStore(path: folder + "/auto-entry/settings.json")
        #expect(try store.load() == nil)
        try store.save(["auto_entry": "true", "min_edge": "1"])
        try store.save(["auto_entry": "true", "min_edge": "2"])
        #expect(try store.load() == ["auto_entry": "true", "min_edge": "2"])
        #expect(try store.saveChanges(["cooldown": "5"]) == ["auto_entry": "true", "min_edge": "2", "cooldown": "5"])
        #expect(store.storedKeys == ["auto_entry", "min_edge", "cooldown"])
        let mode = try FileManager.default.attributesOfItem(atPath: store.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/auto-entry") == ["settings.json"])
    }

    @Test("at start the persisted settings override bus.conf; a bad stored key is skipped, not fatal")
    func restart() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/settings.json"
        try RuntimeSettingsStore(path: file).save(["auto_entry": "true", "min_probability": "55", "multiplier": "zero"])
        let config = try Self.configuration("min_probability = 40\nmultiplier = 2\ncooldown = 20", file: file)
        let plugin = try AutoEntry(context: PluginContext(name: "auto-entry", host: "test", configuration: config, bus: InMemoryBus(),
                                                          clock: SystemClock(), health: Health(), logger: Logger(label: "test")))
        #expect(plugin.settings.enabled && plugin.settings.minProbabilityPercent == 55)
        #expect(plugin.settings.multiplier == 2 && plugin.settings.cooldown == 20)
        #expect(plugin.storedRefusals.map(\.key) == ["multiplier"])
    }
}
