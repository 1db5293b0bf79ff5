import BusKit
import BusTestSupport
import BusWire
import Executor
import Foundation
import Testing
import TradingWire
import ZeroMQ

/// The real executor behind a broker with identities on: what a plugin may not say, cannot move it.
@Suite("executor behind a broker with identities: refused messages move nothing")
struct ExecutorIdentityTests {
    @Test("a forbidden reconciliation, a forged resume, an intent on another's topic and a halt from 2099 leave the holds as they were")
    func refusedMessagesMoveNothing() async throws {
        let store = IdentityStore(folder: try ExecFixture.folder() + "/keys")
        defer { try? FileManager.default.removeItem(atPath: store.folder) }
        try await withExecSim(identities: store) { sim in
            func connect(_ source: String, as name: String) throws -> ZMQBus {
                try ZMQBus(source: source, options: sim.broker.options(as: name, store: store), clock: sim.clock)
            }
            let pluginBus = try connect("executor@test", as: "executor")
            let web = try connect("web@test", as: "web"), accounts = try connect("account-sync@test", as: "account-sync")
            let strategy = try connect("strategy@test", as: "strategy"), forger = try connect("web@test", as: "strategy")
            let watcher = try connect("watcher@test", as: "watcher")
            let all = [pluginBus, web, accounts, strategy, forger, watcher]
            defer { all.forEach { $0.close(flushSeconds: 0) } }
            for bus in all { #expect(await bus.waitUntilConnected(timeoutSeconds: 60)) }
            let inbox = ExecInbox()
            let collecting = inbox.collect(watcher.subscribe([.orderEvents, TopicFilter(.tradingState), .alerts, TopicFilter(.brokerStats)]))
            defer { collecting.cancel() }
            func refusedFromStrategy() -> UInt64 {
                let stats = inbox.all.last { $0.topic == Topic.brokerStats.rawValue }.flatMap { try? $0.decode(BrokerStats.self) }
                return stats?.refused?.filter { $0.identity == "strategy" }.reduce(0) { $0 + $1.messages } ?? 0
            }
            let plugin = try sim.executor(extra: "", bus: pluginBus)
            try await ExecFixture.running(plugin) {
                // Until account-sync's start-up check passes, the executor only reduces.
                #expect(await eventually { inbox.states.last?.mode == .reducing })
                let passed = ReconciliationReport(status: .passed, startup: true, mismatches: [], checkedTime: "")
                try strategy.publish(.reconciliation, passed)
                try forger.publish(.tradingCommand, TradingCommand(action: .resume, holder: "*", reason: "forged", time: ""))
                try strategy.publish(.orderIntent(source: "web"), ExecFixture.intent("forged-entry"))
                // Web's own credentials, a halt stamped in 2099 with the largest seq: the broker lets it through (web may
                // halt), every kit refuses it as from the future.
                let raw = try Socket(Context(), .xpub)
                defer { raw.close() }
                try raw.makePlainClient(username: "web", password: try store.password(for: "web"))
                try raw.connect(sim.broker.options.frontend)
                #expect(await eventually { (try? raw.receiveFrames(dontWait: true))?.first?.first == 1 })
                let future = #"{"v":1,"type":"sys.control.trading","src":"web@test","seq":18446744073709551615,"ts":"2099-01-01T00:00:00.000000Z","data":{"action":"halt","holder":"user","reason":"from the future","time":""}}"#
                try raw.send(frames: [Array(Topic.tradingCommand.rawValue.utf8), Array(future.utf8)])
                #expect(await eventually { refusedFromStrategy() == 3 && pluginBus.counters.future == 1 })
                #expect(inbox.states.last?.mode == .reducing && inbox.states.last?.holds.map(\.holder) == ["reconciliation"])
                #expect(inbox.answers("forged-entry").isEmpty)
                #expect(try sim.orders().isEmpty)
                // The genuine senders still move it: the start-up check from account-sync, then a halt from web.
                #expect(try await publishUntil(.reconciliation, passed, on: accounts) { inbox.states.last?.mode == .active })
                let halt = TradingCommand(action: .halt, holder: "user", reason: "stepping out", time: "")
                #expect(try await ExecSim.command(halt, on: web, inbox: inbox) { $0.mode == .halted })
                #expect(refusedFromStrategy() == 3 && pluginBus.counters.future == 1)
            }
        }
    }
}
