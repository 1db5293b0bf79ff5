import BusKit
import BusWire
import Foundation
import Kalshi
import Logging
import MarketFeed
import Testing

@Suite("market-feed settings")
struct MarketFeedConfigTests {
    func config(_ text: String) throws -> BusConfiguration {
        try BusConfiguration(file: ConfigFile(path: "test.conf", text: text), pluginKeys: ["market-feed": MarketFeedSettings.keys])
    }

    @Test("bad values name the file, line and key; unknown keys are refused")
    func errors() throws {
        let text = "[plugin.market-feed]\nrest_url = ftp://example.com\nws_url = https://example.com/ws\nrefresh_interval = often\nseries = KX.BTC\n"
        #expect {
            try MarketFeedSettings(configuration: self.config(text), home: "/tmp")
        } throws: { error in
            let d = "\(error)"
            return d.contains("test.conf:2: key 'plugin.market-feed.rest_url'") && d.contains("test.conf:3: key 'plugin.market-feed.ws_url'")
                && d.contains("test.conf:4: key 'plugin.market-feed.refresh_interval'") && d.contains("test.conf:5: key 'plugin.market-feed.series'")
        }
        #expect {
            try self.config("[plugin.market-feed]\ncolour = red\n")
        } throws: { "\($0)".contains("test.conf:2: key 'plugin.market-feed.colour': unknown key") }
    }

    @Test("defaults follow the mode: the simulator's loopback URLs in sim, Kalshi's elsewhere; credentials under RECIO_HOME")
    func defaults() throws {
        let sim = try MarketFeedSettings(configuration: config(""), home: "/data")
        #expect(sim.restURL.absoluteString == "http://127.0.0.1:7200/trade-api/v2" && sim.wsURL.absoluteString == "ws://127.0.0.1:7200/trade-api/ws/v2")
        #expect(sim.series == "KXBTCD" && sim.refreshInterval == 15 && sim.staleAfter == 30 && sim.credentials == "/data/credentials/sim")
        let demo = try MarketFeedSettings(configuration: config("[bus]\nmode = demo\n"), home: "/data")
        #expect(demo.restURL.absoluteString == KalshiEndpoints.rest(mode: "demo").absoluteString && demo.wsURL.absoluteString == KalshiEndpoints.webSocket(mode: "demo").absoluteString)
        #expect(demo.credentials == "/data/credentials/demo")
        let prod = try MarketFeedSettings(configuration: config("[bus]\nmode = prod\n"), home: "/data")
        #expect(prod.restURL.absoluteString == "https://external-api.kalshi.com/trade-api/v2")
    }

    @Test("the plugin refuses a credentials folder it cannot use")
    func badCredentials() throws {
        let folder = NSTemporaryDirectory() + "market-feed-creds-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let configuration = try config("[plugin.market-feed]\ncredentials = \(folder)\n")
        let context = PluginContext(name: MarketFeed.name, host: "test", configuration: configuration, bus: InMemoryBus(source: "t"),
                                    clock: SystemClock(), health: Health(), logger: Logger(label: "test"))
        #expect { try MarketFeed(context: context) } throws: { "\($0)".contains("cannot use the credentials in \(folder)") }
    }
}
