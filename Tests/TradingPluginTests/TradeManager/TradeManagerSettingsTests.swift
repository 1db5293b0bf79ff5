import BusKit
import TradeManager
import Testing

@Suite("trade-manager settings")
struct TradeManagerSettingsTests {
    func settings(_ body: String) throws -> TradeManagerSettings {
        let file = try ConfigFile(path: "bus.conf", text: "[plugin.trade-manager]\n" + body)
        return try TradeManagerSettings(configuration: try BusConfiguration(file: file, pluginKeys: ["trade-manager": TradeManager.configKeys]),
                                        home: "/data")
    }

    @Test("defaults, and every problem names the file, line and key")
    func readsAndRejects() throws {
        let d = try settings("")
        #expect(d.database == "/data/sim/trades.sqlite" && d.series == "KXBTCD" && d.openPublishInterval == 5 && d.statsInterval == 60)
        let s = try settings("database = /tmp/t.sqlite\nopen_publish_interval = 2s\nstats_interval = 5m\nenabled = true\n")
        #expect(s.database == "/tmp/t.sqlite" && s.openPublishInterval == 2 && s.statsInterval == 300)
        do {
            _ = try settings("open_publish_interval = soon\n")
            Issue.record("a bad interval was accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains("bus.conf") && text.contains("plugin.trade-manager.open_publish_interval"))
        }
    }
}
