import BusKit
import BusWire
import Foundation
import Testing

@Suite("Permissions and identity credentials")
struct PermissionsTests {
    @Test("built-in plugins publish only on their own prefixes")
    func builtIn() {
        let p = Permissions()
        #expect(p.allows("executor", "order.event.auto-entry"))
        #expect(p.allows("executor", "sys.control.state.trading"))
        #expect(!p.allows("executor", "sys.control.trading"))
        #expect(!p.allows("executor", "order.intent.auto-entry"))
        #expect(p.allows("auto-entry", "order.intent.auto-entry"))
        // Each sender's intents go on its own topic (the executor checks the intent's source against it).
        #expect(!p.allows("auto-entry", "order.intent.web") && !p.allows("web", "order.intent.trade-supervisor"))
        #expect(p.allows("trade-manager", "order.intent.trade-manager") && !p.allows("trade-manager", "order.intent.web"))
        #expect(!p.allows("auto-entry", "sys.control.trading"))
        #expect(!p.allows("auto-entry", "settings.web"))
        #expect(p.allows("web", "sys.control.trading"))
        #expect(p.allows("failure-detector", "sys.control.trading"))
        #expect(!p.allows("model", "account.reconciliation"))
        #expect(p.allows("account-sync", "account.reconciliation"))
        #expect(p.allows("model", "sys.heartbeat.model"))
        #expect(!p.allows("model", "sys.heartbeat.executor"))
        #expect(!p.allows("stranger", "price.btc.tick"))
        #expect(p.allows("pub", "cmd.settings.auto-entry"))
        #expect(!p.allows("tap", "order.intent.x"))
    }

    @Test("bus.conf grants more to named identities and turns identities on")
    func grants() throws {
        let text = "[bus]\nidentities = on\n[acl.strategy]\npublish = order.intent.strategy, sys.alert.\n"
        let c = try BusConfiguration(file: ConfigFile(path: "b.conf", text: text), pluginKeys: [:])
        #expect(c.bus.identities)
        #expect(c.permissions.allows("strategy", "order.intent.strategy"))
        #expect(!c.permissions.allows("strategy", "order.intent.web"))
        #expect(throws: ConfigErrors.self) {
            try BusConfiguration(file: ConfigFile(path: "b.conf", text: "[acl.x]\npublish = bad..topic\n"), pluginKeys: [:])
        }
        #expect(throws: ConfigErrors.self) {
            try BusConfiguration(file: ConfigFile(path: "b.conf", text: "[acl.x]\nsubscribe = a.\n"), pluginKeys: [:])
        }
    }

    @Test("credentials are made once, 0600 in a 0700 folder, and a loosened file is refused")
    func credentials() throws {
        let home = NSTemporaryDirectory() + "idstore-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: home) }
        let c = try BusConfiguration(file: ConfigFile(path: "b.conf", text: "[bus]\nmode = paper\nidentities = on\n"), pluginKeys: [:])
        let store = c.identityStore(home: home)
        #expect(store.folder == home + "/paper/keys")
        #expect(try store.ensure(["web", "executor"]) == ["web", "executor"])
        #expect(try store.ensure(["web", "executor", "model"]) == ["model"])
        let first = try store.password(for: "web")
        #expect(try store.password(for: "web") == first)
        #expect(first.count == 64)
        let options = try c.connectionOptions(identity: "web", home: home)
        #expect(options.plain?.username == "web" && options.plain?.password == first)
        let attributes = try FileManager.default.attributesOfItem(atPath: store.folder + "/web.password")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: store.folder)
        #expect((folder[.posixPermissions] as? Int) == 0o700)
        chmod(store.folder + "/web.password", 0o644)
        #expect(throws: BusError.self) { try store.password(for: "web") }
        #expect(store.all()["web"] == nil)
    }
}
