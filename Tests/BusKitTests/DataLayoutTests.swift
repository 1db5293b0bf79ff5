import BusKit
import Foundation
import Testing

@Suite("Data layout: one folder per mode, and the move from the old flat layout")
struct DataLayoutTests {
    func configuration(_ text: String) throws(ConfigErrors) -> BusConfiguration {
        try BusConfiguration(file: ConfigFile(path: "modes.conf", text: text), pluginKeys: ["auto-entry": []])
    }

    @Test("every mode's files live under $RECIO_HOME/<mode>; credentials, model tables and the sim clock where documented")
    func pathsPerMode() {
        for mode in RunMode.allCases {
            let l = DataLayout(home: "/h", mode: mode)
            let m = mode.rawValue
            #expect(l.folder == "/h/\(m)")
            #expect(l.tradeStore == "/h/\(m)/trades.sqlite" && l.executorJournal == "/h/\(m)/executor.sqlite")
            #expect(l.accountStore == "/h/\(m)/account.sqlite" && l.priceHistory == "/h/\(m)/price-feed.sqlite")
            #expect(l.runtimeSettings(plugin: "auto-entry") == "/h/\(m)/auto-entry/settings.json")
            #expect(l.identityKeys == "/h/\(m)/keys" && l.credentials == "/h/credentials/\(m)")
            #expect(l.modelTables == "/h/model/fingerprints.json" && l.simulatorClock == "/h/sim/clock.json")
        }
        let sim = DataLayout(home: "/h", mode: .sim), prod = DataLayout(home: "/h", mode: .prod)
        let simFiles = [sim.tradeStore, sim.executorJournal, sim.accountStore, sim.priceHistory, sim.runtimeSettings(plugin: "x")]
        let prodFiles = [prod.tradeStore, prod.executorJournal, prod.accountStore, prod.priceHistory, prod.runtimeSettings(plugin: "x")]
        #expect(Set(simFiles).isDisjoint(with: prodFiles))
    }

    @Test("[bus] mode is parsed once into RunMode; a bad one names file, line and key")
    func modeParsing() throws {
        #expect(try configuration("").bus.mode == .sim)
        #expect(try configuration("[bus]\nmode = paper\n").bus.mode == .paper)
        #expect(try configuration("[bus]\nmode = prod\n").layout(home: "/h").folder == "/h/prod")
        let error = #expect(throws: ConfigErrors.self) { try configuration("[bus]\n# the world\nmode = live\n") }
        #expect(error?.errors.map(\.description) == ["modes.conf:3: key 'bus.mode': must be one of sim, paper, demo, prod, got 'live'"])
        #expect(throws: ConfigErrors.self) { try configuration("[bus]\nmode = PROD\n") }
    }

    @Test("runtime settings default to the mode's folder, so a value saved in one mode never applies in another")
    func settingsFilePerMode() throws {
        let schema = RuntimeSettingsSchema<[String: String]>([])
        for mode in ["sim", "paper"] {
            let c = try configuration("[bus]\nmode = \(mode)\n")
            guard case .success((_, let file)) = schema.load([:], configuration: c, plugin: "auto-entry", home: "/h") else {
                Issue.record("the section did not load")
                continue
            }
            #expect(file == "/h/\(mode)/auto-entry/settings.json")
        }
    }

    @Test("an old flat data folder moves into the started mode's folder once, databases with their WAL, settings too")
    func migration() throws {
        let home = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let old = ["executor.sqlite", "executor.sqlite-wal", "executor.sqlite-shm", "trades.sqlite", "account.sqlite",
                   "price-feed.sqlite", "auto-entry/settings.json", "trade-supervisor/settings.json"]
        for file in old { try write("contents of \(file)", to: home + "/" + file) }
        try write("log", to: home + "/logs/launcher.log")
        try write("key", to: home + "/credentials/sim/key_id")
        try write("tables", to: home + "/model/fingerprints.json")

        let layout = DataLayout(home: home, mode: .paper)
        let report = try DataMigration.run(layout)
        #expect(Set(report.moved) == Set(old) && report.kept.isEmpty)
        for file in old {
            #expect(try String(contentsOfFile: layout.folder + "/" + file, encoding: .utf8) == "contents of \(file)")
            #expect(!FileManager.default.fileExists(atPath: home + "/" + file))
        }
        #expect(!FileManager.default.fileExists(atPath: home + "/auto-entry"))
        for shared in ["logs/launcher.log", "credentials/sim/key_id", "model/fingerprints.json"] {
            #expect(FileManager.default.fileExists(atPath: home + "/" + shared), "\(shared) moved")
        }
        // A second start finds nothing to move (and so says nothing); another mode started later gets nothing old.
        #expect(try DataMigration.run(layout).isEmpty)
        #expect(try DataMigration.run(DataLayout(home: home, mode: .prod)).isEmpty)
    }

    @Test("a database already in the mode's folder is never overwritten: the old one stays, with a reason")
    func migrationNeverOverwrites() throws {
        let home = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try write("old", to: home + "/trades.sqlite")
        try write("old wal", to: home + "/trades.sqlite-wal")
        try write("new", to: home + "/sim/trades.sqlite")
        try write("old journal", to: home + "/executor.sqlite")
        let report = try DataMigration.run(DataLayout(home: home, mode: .sim))
        #expect(report.moved == ["executor.sqlite"])
        #expect(report.kept.count == 1 && report.kept[0].hasPrefix("trades.sqlite:"))
        #expect(try String(contentsOfFile: home + "/sim/trades.sqlite", encoding: .utf8) == "new")
        #expect(FileManager.default.fileExists(atPath: home + "/trades.sqlite-wal"))
        #expect(!FileManager.default.fileExists(atPath: home + "/sim/trades.sqlite-wal"))
    }

    @Test("two processes migrating at once move every file exactly once")
    func migrationRace() async throws {
        let home = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: home) }
        for file in ["executor.sqlite", "executor.sqlite-wal", "trades.sqlite", "auto-entry/settings.json"] {
            try write(file, to: home + "/" + file)
        }
        let layout = DataLayout(home: home, mode: .sim)
        let reports = try await withThrowingTaskGroup(of: DataMigration.Report.self) { group in
            for _ in 0..<4 { group.addTask { try DataMigration.run(layout) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let moved = reports.flatMap(\.moved)
        #expect(moved.count == 4 && Set(moved).count == 4)
        #expect(reports.allSatisfy { $0.kept.isEmpty })
    }

    func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "recio-layout-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }
}
