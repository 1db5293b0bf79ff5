import BusKit
import BusTestSupport
import BusWire
import Executor
import Foundation
import Kalshi
import KalshiSim
import Money
import SimExchange
import Testing
import TradingWire

/// Publishes `message` on `topic` until `done` holds (the bus may still be joining).
func publishUntil<M: BusMessage>(_ topic: Topic, _ message: M, on tap: any Bus, _ done: @escaping @Sendable () -> Bool) async throws -> Bool {
    for _ in 0..<100 {
        try tap.publish(topic, message)
        if await eventually(attempts: 4, every: .milliseconds(50), { done() }) { return true }
    }
    return false
}

/// The executor and a tap on a real broker, the executor running against the real simulator.
func withExecutor(_ sim: ExecSim, extra: String = "require_reconciliation = false", mode: String = "sim", rest: KalshiRESTClient? = nil,
                  _ body: (_ tap: any Bus, _ inbox: ExecInbox) async throws -> Void) async throws {
    let pluginBus = try sim.broker.connect(as: "executor@test", clock: sim.clock)
    defer { pluginBus.close() }
    let tap = try sim.broker.connect(as: "tap@test")
    defer { tap.close() }
    #expect(await pluginBus.waitUntilConnected(timeoutSeconds: 20))
    #expect(await tap.waitUntilConnected(timeoutSeconds: 20))
    let inbox = ExecInbox()
    let collecting = inbox.collect(tap.subscribe([.orderEvents, TopicFilter(.tradingState), .alerts, .venue]))
    defer { collecting.cancel() }
    let plugin = try sim.executor(mode: mode, extra: extra, rest: rest, bus: pluginBus)
    try await ExecFixture.running(plugin) {
        #expect(await eventually { !inbox.states.isEmpty })
        try await body(tap, inbox)
    }
}

@Suite("executor plugin over the real bus against the real Kalshi simulator")
struct ExecutorSimTests {
    let atm = ExecFixture.atm

    @Test("an intent becomes one capped IOC order; repeats are answered from the journal and never reach the venue")
    func filledAndIdempotent() async throws {
        try await withExecSim { sim in
            let book = try await sim.rest().orderbook(ExecFixture.atm)
            let yesAsk = try #require(book.bestYesAsk).price
            // NO is bought one strike up: YES is held at the money, and Kalshi would net a NO buy there against it.
            let up = "KXBTCD-26SEP0920-T100249.99"
            let noAsk = Dollars(cents: 100) - (try #require(try await sim.rest().orderbook(up).bestYesBid).price)
            try await withExecutor(sim) { tap, inbox in
                let intent = ExecFixture.intent("entry-1", count: 2, cap: yesAsk.cents)
                let answer = try #require(try await ExecSim.ask(intent, on: tap, inbox: inbox))
                #expect(answer.outcome == .filled && answer.filledCount == Contracts(whole: 2) && !answer.replayed)
                #expect(answer.averagePrice.map { $0 <= yesAsk } == true && (answer.fees ?? .zero) > .zero)
                #expect(answer.clientOrderID == "entry-1" && answer.orderID != nil && answer.mode == "sim")
                let order = try #require(try sim.orders().first { $0.clientOrderID == "entry-1" })
                #expect(order.price == yesAsk && order.side == .bid && order.timeInForce == .immediateOrCancel && order.orderID == answer.orderID)

                let seen = inbox.answers("entry-1").count
                let again = try #require(try await ExecSim.ask(intent, on: tap, inbox: inbox, after: seen))
                #expect(again.replayed && again.orderID == answer.orderID && again.outcome == .filled)
                #expect(try sim.orders().filter { $0.clientOrderID == "entry-1" }.count == 1)

                // A NO buy capped under the NO ask fills nothing: the order carried the cap, as an ask at 1 − cap.
                let low = ExecFixture.intent("entry-2", side: .no, count: 1, cap: noAsk.cents - 5, ticker: up)
                let cancelled = try #require(try await ExecSim.ask(low, on: tap, inbox: inbox))
                #expect(cancelled.outcome == .cancelled && cancelled.filledCount == .zero)
                let no = try #require(try sim.orders().first { $0.clientOrderID == "entry-2" })
                #expect(no.side == .ask && no.price == Dollars(cents: 100) - Dollars(cents: noAsk.cents - 5))

                // A NO buy at the NO ask fills at the NO price (the venue's YES-leg average turned over), as the venue charged.
                let buyNo = try #require(try await ExecSim.ask(ExecFixture.intent("entry-4", side: .no, count: 1, cap: noAsk.cents, ticker: up), on: tap, inbox: inbox))
                #expect(buyNo.outcome == .filled && buyNo.averagePrice == noAsk)
                let noOrder = try #require(try sim.orders().first { $0.clientOrderID == "entry-4" })
                #expect(noOrder.takerFillCost == noAsk && noOrder.takerFees == buyNo.fees)

                // Risk: an entry over max_order_contracts is rejected before the venue, with the reason.
                let big = try #require(try await ExecSim.ask(ExecFixture.intent("entry-3", count: 500), on: tap, inbox: inbox))
                #expect(big.outcome == .rejected && big.reason?.contains("max_order_contracts") == true)
                #expect(try sim.orders().contains { $0.clientOrderID == "entry-3" } == false)

                // The trade manager's probe for a key never received is refused as stale and journaled: the lost
                // intent arriving later is answered from the journal and never reaches the venue.
                var probe = ExecFixture.intent("lost-1", count: 1, cap: yesAsk.cents, expires: 1)
                let refused = try #require(try await ExecSim.ask(probe, on: tap, inbox: inbox))
                #expect(refused.outcome == .rejected && refused.reason?.contains("expired") == true)
                probe.expiresTs = nil
                let late = try #require(try await ExecSim.ask(probe, on: tap, inbox: inbox, after: inbox.answers("lost-1").count))
                #expect(late.replayed && late.outcome == .rejected)
                #expect(try sim.orders().contains { $0.clientOrderID == "lost-1" } == false)
            }
        }
    }

    @Test("reconciliation gates entries; a halt rejects entries but allows closes; halt_hard rejects closes; restarts keep it")
    func holds() async throws {
        try await withExecSim { sim in
            try await withExecutor(sim, extra: "") { tap, inbox in
                #expect(inbox.states.last?.mode == .reducing && inbox.states.last?.holds.map(\.holder) == ["reconciliation"])
                let early = try #require(try await ExecSim.ask(ExecFixture.intent("early"), on: tap, inbox: inbox))
                #expect(early.outcome == .rejected && early.reason?.contains("REDUCING") == true)
                let passed = ReconciliationReport(status: .passed, startup: true, mismatches: [], checkedTime: "")
                #expect(try await publishUntil(.reconciliation, passed, on: tap) { inbox.states.last?.mode == .active })
                let bought = try #require(try await ExecSim.ask(ExecFixture.intent("trade-1", count: 1), on: tap, inbox: inbox))
                #expect(bought.outcome == .filled)

                let halt = TradingCommand(action: .halt, holder: "user", reason: "stepping out", time: "")
                #expect(try await ExecSim.command(halt, on: tap, inbox: inbox) { $0.mode == .halted })
                #expect(await eventually { inbox.alerts.contains { $0.severity == .critical && $0.message.contains("HALTED") } })
                let entry = try #require(try await ExecSim.ask(ExecFixture.intent("halted-entry"), on: tap, inbox: inbox))
                #expect(entry.outcome == .rejected && entry.reason?.contains("HALTED") == true)
                let close = try #require(try await ExecSim.ask(ExecFixture.intent("close-1", purpose: .close, side: .no, count: 1, source: "trade-supervisor"),
                                                                on: tap, inbox: inbox))
                #expect(close.outcome == .filled && close.source == "trade-supervisor" && close.tradeID == "trade-1")

                let hard = TradingCommand(action: .haltHard, holder: "user", reason: "venue trouble", time: "")
                #expect(try await ExecSim.command(hard, on: tap, inbox: inbox) { $0.hard })
                let blocked = try #require(try await ExecSim.ask(ExecFixture.intent("close-2", purpose: .close, side: .no, count: 1), on: tap, inbox: inbox))
                #expect(blocked.outcome == .rejected && blocked.reason?.contains("hard") == true)
                #expect(try sim.orders().map(\.clientOrderID).sorted() == ["close-1", "trade-1"])
            }
            // A restart keeps the user's hard halt. (The broker replays the last reconciliation, which passed, so the
            // reconciliation hold is released again; and it may first replay the previous run's last state, so the
            // clock moves on to tell the new run's states apart.)
            sim.clock.advance(ms: 1_000)
            let restart = sim.clock.now.description
            try await withExecutor(sim, extra: "") { tap, inbox in
                #expect(await eventually { inbox.states.contains { $0.time == restart && $0.holds.contains { $0.holder == "user" } } })
                let restored = try #require(inbox.states.last { $0.time == restart })
                #expect(restored.mode == .halted && restored.hard && restored.holds.first { $0.holder == "user" }?.reason == "venue trouble")
                let resume = TradingCommand(action: .resume, holder: "user", reason: "back", time: "")
                #expect(try await ExecSim.command(resume, on: tap, inbox: inbox) { $0.mode == .active && $0.holds.isEmpty })
                let entry = try #require(try await ExecSim.ask(ExecFixture.intent("after-resume", count: 1), on: tap, inbox: inbox))
                #expect(entry.outcome == .filled)
            }
        }
    }

    @Test("Close pressed twice, and the supervisor racing it: one reduce-only IOC order of what is held; the rest refused")
    func doubleClose() async throws {
        try await withExecSim { sim in
            let book = try await sim.rest().orderbook(ExecFixture.atm)
            let yesAsk = try #require(book.bestYesAsk).price, noAsk = Dollars(cents: 100) - (try #require(book.bestYesBid).price)
            try await withExecutor(sim) { tap, inbox in
                let entry = try #require(try await ExecSim.ask(ExecFixture.intent("trade-1", count: 2, cap: yesAsk.cents), on: tap, inbox: inbox))
                #expect(entry.outcome == .filled && entry.filledCount == Contracts(whole: 2))
                // Three closes of trade-1 at once, each asking for more than is held, one as fill-or-kill.
                let closes = [
                    ExecFixture.intent("webc-1", purpose: .close, side: .no, count: 5, cap: noAsk.cents, source: "web"),
                    ExecFixture.intent("webc-2", purpose: .close, side: .no, count: 5, cap: noAsk.cents, source: "web"),
                    ExecFixture.intent("sv-stop-1", purpose: .close, side: .no, count: 5, cap: noAsk.cents, tif: .fillOrKill, source: "trade-supervisor"),
                ]
                for c in closes { try tap.publish(.orderIntent(source: c.source), c) }
                var answers: [OrderEvent] = []
                for c in closes { answers.append(try #require(try await ExecSim.ask(c, on: tap, inbox: inbox))) }
                let sent = answers.filter { $0.outcome != .rejected }
                #expect(sent.count == 1 && sent.first?.requestedCount == Contracts(whole: 2) && sent.first?.filledCount == Contracts(whole: 2))
                #expect(answers.filter { $0.reason?.contains("already closing") == true || $0.reason?.contains("nothing held") == true }.count == 2)
                let orders = try sim.orders().filter { $0.clientOrderID != "trade-1" }
                #expect(orders.count == 1 && orders.first?.timeInForce == .immediateOrCancel && orders.first?.reduceOnly == true)
                #expect(orders.first.map { $0.fillCount + $0.remainingCount } == Contracts(whole: 2))
                // Once it is flat, another close has nothing to reduce and is never sent.
                let after = try #require(try await ExecSim.ask(ExecFixture.intent("webc-3", purpose: .close, side: .no, count: 1, cap: noAsk.cents, source: "web"),
                                                               on: tap, inbox: inbox))
                #expect(after.outcome == .rejected && after.reason?.contains("nothing held") == true)
                #expect(try sim.orders().count == 2)
            }
        }
    }

    @Test("503s from the venue: every intent is exactly one order, answered once it is known")
    func serverErrors() async throws {
        var faults = FaultSettings()
        faults.errorRate = 0.5
        try await withExecSim(faults: faults) { sim in try await noDuplicates(sim, prefix: "e503") }
    }

    @Test("429 bursts from the venue: the client backs off and no intent becomes two orders")
    func bursts() async throws {
        var faults = FaultSettings()
        faults.burstEverySeconds = 10
        faults.burstLengthMs = 1_000
        try await withExecSim(faults: faults) { sim in try await noDuplicates(sim, prefix: "e429") }
    }

    @Test("garbled venue answers: each intent is still one order, answered with its prices once read back")
    func malformed() async throws {
        var faults = FaultSettings()
        faults.malformedRate = 0.3
        try await withExecSim(faults: faults) { sim in try await noDuplicates(sim, prefix: "garbled") }
    }

    func noDuplicates(_ sim: ExecSim, prefix: String) async throws {
        try await withExecutor(sim, rest: try sim.rest(attempts: 30)) { tap, inbox in
            let keys = (1...4).map { "\(prefix)-\($0)" }
            for key in keys {
                let answer = try #require(try await ExecSim.ask(ExecFixture.intent(key, count: 1), on: tap, inbox: inbox))
                if answer.outcome == .error {  // the venue never answered: resolved in the background
                    #expect(await eventually { inbox.answers(key).contains { $0.outcome != .error } })
                }
                let final = inbox.answers(key).last
                #expect(final?.outcome == .filled && final?.averagePrice != nil && final?.fees != nil)
            }
            for key in keys { #expect(try sim.orders().filter { $0.clientOrderID == key }.count == 1) }
        }
    }
}
