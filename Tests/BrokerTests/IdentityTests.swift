@testable import Broker
import BusKit
import BusTestSupport
import BusWire
import Foundation
import Synchronization
import Testing
import ZeroMQ

/// Everything one subscription delivered so far.
final class Received: Sendable {
    private let items = Mutex<[Envelope]>([])
    init(_ subscription: Subscription) {
        Task { for await e in subscription { self.items.withLock { $0.append(e) } } }
    }
    var all: [Envelope] { items.withLock { $0 } }
    func on(_ topic: Topic) -> [Envelope] { all.filter { $0.topic == topic.rawValue } }
    /// The latest broker statistics received.
    var stats: BrokerStats? { on(.brokerStats).last.flatMap { try? $0.decode(BrokerStats.self) } }
}

/// A broker with identities on, credentials in a temporary folder, and the grants of bus.conf's
/// `[acl.strategy] publish = order.intent.strategy`.
struct IdentityBroker: ~Copyable {
    let test: TestBroker
    let store: IdentityStore

    init() throws {
        store = IdentityStore(folder: NSTemporaryDirectory() + "identities-\(UUID().uuidString)")
        try store.ensure(["web", "executor", "strategy", "watcher"])
        let policy = IdentityPolicy(permissions: Permissions(granted: ["strategy": ["order.intent.strategy"]]), store: store)
        test = try TestBroker { $0.identities = policy }
    }

    deinit {
        test.stop()
        try? FileManager.default.removeItem(atPath: store.folder)
    }

    /// Bus options authenticating as `name` (with its own password unless one is given), or as nobody.
    func options(_ name: String?, password: String? = nil) throws -> ZMQBus.Options {
        var o = test.options
        if let name { o.plain = (name, try password ?? store.password(for: name)) }
        return o
    }

    /// A kit connection named `source` that authenticates as `name`.
    func connect(_ source: String, as name: String?, password: String? = nil) throws -> ZMQBus {
        try ZMQBus(source: source, options: options(name, password: password))
    }

    /// A raw publisher authenticated as `name`, returned once the broker's subscription has arrived.
    func raw(as name: String) async throws -> Socket {
        let s = try Socket(Context(), .xpub)
        try s.makePlainClient(username: name, password: try store.password(for: name))
        try s.set(.linger, 1000)
        try s.connect(test.broker.frontendEndpoint)
        let ready = await eventually { (try? s.receiveFrames(dontWait: true))?.first?.first == 1 }
        try #require(ready)
        return s
    }
}

func envelope(src: String?, seq: UInt64, ts: String) -> [UInt8] {
    Array((#"{"v":1,"type":"sys.control","# + (src.map { #""src":"\#($0)","# } ?? "") + #""seq":\#(seq),"ts":"\#(ts)","data":{"action":"halt"}}"#).utf8)
}

@Suite("Identities: who may connect, and what each identity may publish")
struct IdentityTests {
    @Test("each identity publishes within its grants; outside them, or under another's src, it is refused and counted once")
    func grantsAndForgedSources() async throws {
        let b = try IdentityBroker()
        let watcher = try b.connect("watcher@test", as: "watcher")
        let web = try b.connect("web@test", as: "web")
        let strategy = try b.connect("strategy@test", as: "strategy")
        let forger = try b.connect("web@test", as: "strategy")  // strategy's password, web's name
        defer { [watcher, web, strategy, forger].forEach { $0.close(flushSeconds: 0) } }
        let seen = Received(watcher.subscribe([.all]))
        for bus in [web, strategy, forger] { #expect(await bus.waitUntilConnected(timeoutSeconds: 60)) }
        // Web's commands pass; wait until the watcher reads them before the refused ones go out.
        let halt = Array(#"{"action":"halt"}"#.utf8)
        #expect(await eventually {
            try? web.publish(.tradingCommand, type: "sys.control", data: halt)
            return !seen.on(.tradingCommand).isEmpty
        })
        try strategy.publish(.tradingCommand, type: "sys.control", data: halt)
        try forger.publish(.tradingCommand, type: "sys.control", data: halt)
        try strategy.publish(.orderIntent(source: "strategy"), type: "order.intent", data: Array("{}".utf8))
        func refused(_ reason: String) -> UInt64? {
            seen.stats?.refused?.first { $0.identity == "strategy" && $0.topic == "sys.control.trading" && $0.reason == reason }?.messages
        }
        #expect(await eventually { refused("topic not permitted") != nil && refused("src does not match the sender") != nil })
        #expect(refused("topic not permitted") == 1)
        #expect(refused("src does not match the sender") == 1)
        #expect(seen.on(.tradingCommand).allSatisfy { $0.src == "web@test" })
        #expect(await eventually { seen.on(.orderIntent(source: "strategy")).count == 1 })
        // Both refusals are counted once more in `dropped`, and nothing else was.
        #expect(seen.stats?.dropped == 2)
    }

    @Test("no credentials, an unknown name or a wrong password: nothing published, nothing read, each attempt counted")
    func strangersAreShutOut() async throws {
        let b = try IdentityBroker()
        let watcher = try b.connect("watcher@test", as: "watcher")
        let web = try b.connect("web@test", as: "web")
        let anonymous = try b.connect("web@test", as: nil)
        let unknown = try b.connect("mallory@test", as: "mallory", password: String(repeating: "a", count: 64))
        let wrong = try b.connect("web@test", as: "web", password: String(repeating: "b", count: 64))
        defer { [watcher, web, anonymous, unknown, wrong].forEach { $0.close(flushSeconds: 0) } }
        let seen = Received(watcher.subscribe([.all]))
        let strangers = [anonymous, unknown, wrong].map { Received($0.subscribe([.all])) }
        let halt = Array(#"{"action":"halt"}"#.utf8)
        var n = 0
        let counted = await eventually {
            n += 1
            for bus in [anonymous, unknown, wrong] { try? bus.publish(.tradingCommand, type: "sys.control", data: halt) }
            try? web.publish(.heartbeat(plugin: "web"), type: "sys.heartbeat", data: Array(#"{"n":\#(n)}"#.utf8))
            return (seen.stats?.authFailures ?? 0) >= 3 && b.test.broker.refusedClients >= 2 && !seen.on(.heartbeat(plugin: "web")).isEmpty
        }
        #expect(counted)
        #expect(seen.on(.tradingCommand).isEmpty)
        #expect(strangers.allSatisfy { $0.all.isEmpty })
        #expect(!anonymous.isConnected && !unknown.isConnected && !wrong.isConnected)
        #expect(seen.stats?.messagesIn ?? 0 > 0)
    }

    @Test("a tool may number its src by process; a plugin may not claim another name that way")
    func sourceNames() {
        let p = IdentityPolicy(hosts: ["b": ["executor"]])
        #expect(p.identity(user: "tap", src: "tap-123@local") == "tap")
        #expect(p.identity(user: "executor", src: "executor@local") == "executor")
        #expect(p.identity(user: "executor", src: "executor-2@local") == nil)
        #expect(p.identity(user: "web", src: "executor@local") == nil)
        #expect(p.identity(user: "web", src: "web") == nil)
        // A host's CURVE key speaks for the plugins bus.conf places there, and for tools, on that host only.
        #expect(p.identity(user: "b", src: "executor@b") == "executor")
        #expect(p.identity(user: "b", src: "tap-9@b") == "tap")
        #expect(p.identity(user: "b", src: "web@b") == nil)
        #expect(p.identity(user: "b", src: "executor@c") == nil)
    }

    @Test("a plugin started by hand makes its own credentials and the broker reads them when it knocks")
    func lateIdentity() async throws {
        let b = try IdentityBroker()
        let late = try b.connect("executor-2@test", as: "executor-2")  // made now, after the broker read the folder
        defer { late.close(flushSeconds: 0) }
        #expect(await late.waitUntilConnected(timeoutSeconds: 60))
    }

    @Test("an envelope from the future or with a huge seq cannot make a publisher's later messages duplicates")
    func futureAndHugeSequence() async throws {
        let b = try IdentityBroker()
        let watcher = try b.connect("watcher@test", as: "watcher")
        let web = try b.connect("web@test", as: "web")
        defer { [watcher, web].forEach { $0.close(flushSeconds: 0) } }
        let seen = Received(watcher.subscribe([TopicFilter(.tradingCommand), TopicFilter(.brokerStats)]))
        #expect(await eventually { !seen.on(.brokerStats).isEmpty })  // the subscription is in place
        // Web itself (valid credentials and src) sends the worst it can: seq 2^64-1 stamped in 2099, then 2^64-1 now.
        let raw = try await b.raw(as: "web")
        defer { raw.close() }
        try raw.send(frames: [Array("sys.control.trading".utf8), envelope(src: "web@test", seq: .max, ts: "2099-01-01T00:00:00.000000Z")])
        try raw.send(frames: [Array("sys.control.trading".utf8), envelope(src: "web@test", seq: .max, ts: SystemClock().now.description)])
        try raw.send(frames: [Array("sys.control.trading".utf8), envelope(src: nil, seq: 1, ts: SystemClock().now.description)])
        #expect(await eventually { watcher.counters.future == 1 && seen.on(.tradingCommand).count == 1 })
        // The genuine publisher's next message (seq 1, a newer ts) is a restart, not a duplicate.
        #expect(await web.waitUntilConnected(timeoutSeconds: 60))
        try web.publish(.tradingCommand, type: "sys.control", data: Array(#"{"action":"resume"}"#.utf8))
        #expect(await eventually { seen.on(.tradingCommand).count == 2 })
        #expect(seen.on(.tradingCommand).map(\.seq) == [.max, 1])
        #expect(watcher.counters.future == 1)
        #expect(await eventually { seen.stats?.refused?.contains { $0.identity == "web" && $0.reason == "no src" && $0.messages == 1 } ?? false })
    }
}
