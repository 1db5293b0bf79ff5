import BusKit
import Testing

@Suite("bus.conf: typed values, and errors that name file, line and key")
struct ConfigurationTests {
    let keys: [String: Set<String>] = ["pong": [], "model": ["kind", "min_edge"]]

    func load(_ text: String) throws(ConfigErrors) -> BusConfiguration {
        try BusConfiguration(file: ConfigFile(path: "bus.conf", text: text), pluginKeys: keys)
    }

    @Test("reads every kind of value with its default")
    func readsValues() throws {
        let c = try load("""
            # comment
            [bus]
            frontend = ipc:///tmp/f   # trailing comment
            high_water_mark = 1_000
            max_message_size = 64KB
            stats_interval = 250ms
            [launcher]
            log_retention = 2d
            log_max_size = 1MB
            [plugin.model]
            kind = vol
            host = box2
            [plugin.pong]
            enabled = no
            [plugin.external]
            command = python3 my_plugin.py --flag
            anything = goes
            """)
        #expect(c.bus.frontend == "ipc:///tmp/f")
        #expect(c.bus.backend == "tcp://127.0.0.1:7101")
        #expect(c.bus.highWaterMark == 1000)
        #expect(c.bus.maxMessageSize == 65_536)
        #expect(c.bus.statsInterval == 0.25)
        #expect(c.launcher.logRetention == 172_800)
        #expect(c.launcher.logMaxSize == 1 << 20)
        #expect(c.plugins.map(\.name) == ["model", "pong", "external"])
        #expect(c.plugins(on: "box2").map(\.name) == ["model"])
        #expect(c.plugins(on: "local").map(\.name) == ["external"])
        #expect(c.plugins[2].command == ["python3", "my_plugin.py", "--flag"])
        var section = c.pluginSection("model")
        #expect(section.string("kind", default: "fingerprint") == "vol")
    }

    @Test("reports every problem at once, each with file, line and key")
    func reportsAllErrors() {
        do {
            _ = try load("""
                [bus]
                high_water_mark = lots
                frontend = http://x
                colour = blue
                [launcher]
                restart_max = -3s
                [plugin.model]
                min_edge = 0.1
                mystery = 1
                [plugin.unknown]
                [elsewhere]
                """)
            Issue.record("expected errors")
        } catch {
            let text = error.errors.map(\.description)
            #expect(text.contains("bus.conf:2: key 'bus.high_water_mark': expected an integer, got 'lots'"))
            #expect(text.contains { $0.hasPrefix("bus.conf:3: key 'bus.frontend': expected tcp://") })
            #expect(text.contains("bus.conf:4: key 'bus.colour': unknown key"))
            #expect(text.contains { $0.hasPrefix("bus.conf:6: key 'launcher.restart_max'") })
            #expect(text.contains("bus.conf:9: key 'plugin.model.mystery': unknown key"))
            #expect(text.contains { $0.hasPrefix("bus.conf:10: unknown plugin 'unknown'") })
            #expect(text.contains { $0.hasPrefix("bus.conf:11: unknown section [elsewhere]") })
            #expect(error.errors.count == 7)
        }
    }

    @Test("syntax errors name the line", arguments: [
        ("key = 1\n", "bus.conf:1: key 'key': key outside any [section]"),
        ("[bus]\njust words\n", "bus.conf:2: expected 'key = value' or '[section]', got 'just words'"),
        ("[bus]\nmode = sim\nmode = prod\n", "bus.conf:3: key 'mode': repeats line 2"),
        ("[bus\n", "bus.conf:1: malformed section header '[bus'"),
    ])
    func syntaxErrors(_ text: String, _ expected: String) {
        #expect(throws: ConfigErrors.self) { try load(text) }
        do { _ = try load(text) } catch { #expect(error.errors.first?.description == expected) }
    }

    @Test("a missing file is an error naming the file")
    func missingFile() {
        do {
            _ = try BusConfiguration.load(path: "/nonexistent/bus.conf", pluginKeys: keys)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("/nonexistent/bus.conf: cannot read the file"))
        }
    }
}
