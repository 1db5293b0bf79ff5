import BusKit
import BusWire
@testable import Executor
import Foundation
import Money
import Testing
import TradingWire

@Suite("executor: journal and settings")
struct OrderJournalTests {
    let t0 = BusTime(seconds: 1_788_998_100)

    @Test("the journal keeps intents through received → sent → answered, in WAL mode, across reopening")
    func lifecycle() async throws {
        let folder = try ExecFixture.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/sub/executor.sqlite"
        do {
            let j = try OrderJournal(path: path)
            #expect(try await j.journalMode() == "wal")
            let a = ExecFixture.intent("a"), b = ExecFixture.intent("b"), c = ExecFixture.intent("c")
            for i in [a, b, c] { try await j.insert(i, clientOrderID: i.key, at: t0) }
            await #expect(throws: (any Error).self) { try await j.insert(a, clientOrderID: "a", at: t0) }
            try await j.markSent(a, at: t0)
            try await j.markSent(b, at: t0)
            let answer = VenueOrders.event(a, clientOrderID: "a", outcome: .filled, orderID: "o1", filled: a.count, mode: "sim", now: t0)
            try await j.answer(answer, at: t0.adding(seconds: 1))
            let unknown = VenueOrders.event(b, clientOrderID: "b", outcome: .error, orderID: nil, mode: "sim", now: t0)
            try await j.answer(unknown, at: t0.adding(seconds: 1))
            let stored = try await j.entry("a")
            #expect(stored?.state == .answered && stored?.answer == answer)
            #expect(try await j.entry("b")?.state == .unknown)
            #expect(try await j.unresolved().map(\.key) == ["b"])
            #expect(try await j.answered(since: t0).map(\.key) == ["a"])
            try await j.saveHolds([TradingStatus.Hold(holder: "user", mode: .halted, hard: true, reason: "r", since: "s")])
            let first = try await j.next("paper"), second = try await j.next("paper")
            #expect(first == 1 && second == 2)
        }
        let j = try OrderJournal(path: path)
        #expect(try await j.dropReceived() == 1)
        #expect(try await j.entry("c") == nil)
        #expect(try await j.entry("a")?.intent == ExecFixture.intent("a"))
        #expect(try await j.holds().map(\.holder) == ["user"])
        #expect(try await j.next("paper") == 3)
    }

    @Test("settings: defaults per mode, every key validated with file, line and key")
    func settings() throws {
        let paper = try ExecutorSettings(configuration: ExecFixture.configuration(mode: "paper", credentials: "/c", journal: "/j", extra: ""),
                                         home: "/home/x")
        #expect(!paper.requireReconciliation && paper.journal == "/j" && paper.limits == RiskLimits())
        let sim = try ExecutorSettings(configuration: ExecFixture.configuration(credentials: "/c", journal: "/j", extra: ""))
        #expect(sim.requireReconciliation && sim.limits.ordersPerMinute == 30)
        let tuned = try ExecutorSettings(configuration: ExecFixture.configuration(credentials: "/c", journal: "/j", extra: """
            max_order_contracts = 7
            max_order_cost = 12.50
            max_event_cost = 99
            orders_per_minute = 4
            """))
        #expect(tuned.limits.maxOrderContracts == .init(whole: 7) && tuned.limits.maxOrderCost == .init(cents: 1_250))
        #expect(tuned.limits.maxEventCost == .init(cents: 9_900) && tuned.limits.ordersPerMinute == 4)
        let bad = try ExecFixture.configuration(credentials: "/c", journal: "/j", extra: """
            max_order_cost = lots
            orders_per_minute = 0
            """)
        do {
            _ = try ExecutorSettings(configuration: bad)
            Issue.record("expected errors")
        } catch {
            let text = error.description
            #expect(text.contains("test.conf") && text.contains("plugin.executor.max_order_cost") && text.contains("plugin.executor.orders_per_minute"))
            #expect(error.configuration.count == 2 && error.configuration.allSatisfy { $0.line != nil })
        }
    }

    @Test("prod without credentials refuses to start, saying why")
    func prodNeedsCredentials() throws {
        let configuration = try ExecFixture.configuration(mode: "prod", credentials: "/nonexistent/credentials/prod", journal: "/tmp/x.sqlite", extra: "")
        let context = PluginContext(name: Executor.name, host: "test", configuration: configuration, bus: InMemoryBus(source: "executor@test"),
                                    clock: TestClock(), health: Health(), logger: ExecFixture.logger)
        do {
            _ = try Executor(context: context)
            Issue.record("expected a refusal")
        } catch let error as ExecutorError {
            #expect(error.description.contains("prod mode needs Kalshi credentials"))
        }
    }
}
