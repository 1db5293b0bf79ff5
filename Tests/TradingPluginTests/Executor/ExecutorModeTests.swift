import BusKit
import BusWire
@testable import Executor
import Foundation
import Money
import Testing
import TradingWire

@Suite("executor: prod confirmation and its data folder per mode")
struct ExecutorModeTests {
    func context(_ configuration: BusConfiguration) -> PluginContext {
        PluginContext(name: Executor.name, host: "test", configuration: configuration, bus: InMemoryBus(source: "executor@test"),
                      clock: TestClock(), health: Health(), logger: ExecFixture.logger)
    }

    @Test("prod with credentials but no confirmation refuses to start, saying exactly how to confirm")
    func prodRefusedWithoutConfirmation() async throws {
        let keys = try await ExecKeys.shared.value
        let configuration = try ExecFixture.configuration(mode: "prod", credentials: keys.folder, journal: "/tmp/unused.sqlite", extra: "")
        for confirmation in [nil, "", "someone-elses-key"] {
            do {
                _ = try Executor(context: context(configuration), rest: nil, confirmation: confirmation)
                Issue.record("prod started with confirmation \(confirmation ?? "nil")")
            } catch let error as ExecutorError {
                let text = error.description
                #expect(text.contains("refuses to start") && text.contains("confirm_prod_key_id") && text.contains("--confirm-prod"))
                #expect(text.contains("test.conf") && text.contains(ProdConfirmation.environmentVariable))
                #expect(!text.contains(ExecFixture.keyID), "the message repeats the key id it wants")
            }
        }
        let wrongInConfig = try ExecFixture.configuration(mode: "prod", credentials: keys.folder, journal: "/tmp/unused.sqlite",
                                                          extra: "confirm_prod_key_id = another-account")
        #expect(throws: ExecutorError.self) { try Executor(context: context(wrongInConfig), rest: nil, confirmation: nil) }
    }

    @Test("prod starts when bus.conf or recio up's flag names the credentials' key id; other modes need neither")
    func prodAcceptedWithConfirmation() async throws {
        let keys = try await ExecKeys.shared.value
        let inConfig = try ExecFixture.configuration(mode: "prod", credentials: keys.folder, journal: "/tmp/unused.sqlite",
                                                     extra: "confirm_prod_key_id = \(ExecFixture.keyID)")
        let a = try Executor(context: context(inConfig), rest: nil, confirmation: nil)
        #expect(a.settings.mode == .prod && a.settings.confirmProdKeyID == ExecFixture.keyID)
        let plain = try ExecFixture.configuration(mode: "prod", credentials: keys.folder, journal: "/tmp/unused.sqlite", extra: "")
        _ = try Executor(context: context(plain), rest: nil, confirmation: ExecFixture.keyID)
        for mode in ["sim", "demo"] {
            let c = try ExecFixture.configuration(mode: mode, credentials: keys.folder, journal: "/tmp/unused.sqlite", extra: "")
            _ = try Executor(context: context(c), rest: nil, confirmation: nil)
        }
        #expect(ProdConfirmation.refusal(mode: .prod, keyID: "k", configured: " k ", environment: nil, configPath: "b.conf") == nil)
    }

    @Test("the journal defaults to the mode's folder; an old-layout journal moves there with its unresolved orders and holds")
    func journalMigrates() async throws {
        let home = try ExecFixture.folder()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let t0 = BusTime(seconds: 1_788_998_100)
        do {
            let old = try OrderJournal(path: home + "/executor.sqlite")
            let a = ExecFixture.intent("unresolved-a")
            try await old.insert(a, clientOrderID: a.key, at: t0)
            try await old.markSent(a, at: t0)
            try await old.saveHolds([TradingStatus.Hold(holder: "user", mode: .halted, hard: false, reason: "kept", since: "s")])
        }
        let text = "[bus]\nmode = demo\n[plugin.executor]\nrest_url = http://127.0.0.1:1/trade-api/v2\n"
        let configuration = try BusConfiguration(file: ConfigFile(path: "m.conf", text: text), pluginKeys: ["executor": Executor.configKeys])
        let settings = try ExecutorSettings(configuration: configuration, home: home)
        #expect(settings.journal == home + "/demo/executor.sqlite" && settings.credentials == home + "/credentials/demo")

        let report = try DataMigration.run(configuration.layout(home: home))
        #expect(report.moved.contains("executor.sqlite") && report.kept.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: home + "/executor.sqlite"))
        let moved = try OrderJournal(path: settings.journal)
        #expect(try await moved.unresolved().map(\.key) == ["unresolved-a"])
        #expect(try await moved.holds().map(\.reason) == ["kept"])
    }
}
