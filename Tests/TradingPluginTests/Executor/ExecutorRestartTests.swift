import BusKit
import BusTestSupport
import BusWire
@testable import Executor
import Foundation
import Kalshi
import MarketWire
import Money
import SimExchange
import Testing
import TradingWire

@Suite("executor plugin: restarts and paper mode, over the real bus")
struct ExecutorRestartTests {
    @Test("a restart with orders journaled as sent resolves them by client_order_id and never sends them again")
    func sentAtCrash() async throws {
        try await withExecSim { sim in
            // The crashed run's order reached the venue; its answer never made it to the journal.
            let trader = try sim.rest()
            let reached = ExecFixture.intent("crash-1", count: 2)
            let created = try await trader.createOrder(VenueOrders.request(for: reached, clientOrderID: "crash-1"))
            let lost = ExecFixture.intent("crash-2", count: 1)
            // Answered `error` (the venue never answered), though the order did reach it.
            let unknown = ExecFixture.intent("unknown-1", side: .no, count: 1)
            let placed = try await trader.createOrder(VenueOrders.request(for: unknown, clientOrderID: "unknown-1"))
            do {
                let journal = try OrderJournal(path: sim.journal)
                try await journal.insert(reached, clientOrderID: "crash-1", at: sim.clock.now)
                try await journal.markSent(reached, at: sim.clock.now)
                // This one was sent 60 s before the crash and never reached the venue.
                try await journal.insert(lost, clientOrderID: "crash-2", at: sim.clock.now.adding(seconds: -60))
                try await journal.markSent(lost, at: sim.clock.now.adding(seconds: -60))
                try await journal.insert(ExecFixture.intent("never-sent"), clientOrderID: "never-sent", at: sim.clock.now)
                try await journal.insert(unknown, clientOrderID: "unknown-1", at: sim.clock.now)
                try await journal.markSent(unknown, at: sim.clock.now)
                try await journal.answer(VenueOrders.event(unknown, clientOrderID: "unknown-1", outcome: .error, orderID: nil,
                                                           mode: "sim", now: sim.clock.now), at: sim.clock.now)
            }
            try await withExecutor(sim) { tap, inbox in
                #expect(await eventually { !inbox.answers("crash-1").isEmpty && !inbox.answers("crash-2").isEmpty })
                let answer = try #require(inbox.answers("crash-1").first)
                #expect(answer.outcome == .filled && answer.orderID == created.orderId && answer.filledCount == Contracts(whole: 2))
                #expect(answer.averagePrice != nil && answer.fees != nil)
                let gone = try #require(inbox.answers("crash-2").first)
                #expect(gone.outcome == .cancelled && gone.reason?.contains("never reached the market") == true)

                // The unknown outcome is resolved in the background: the final answer, with the NO price paid.
                #expect(await eventually { inbox.answers("unknown-1").contains { $0.outcome == .filled } })
                let resolved = try #require(inbox.answers("unknown-1").first { $0.outcome == .filled })
                #expect(resolved.orderID == placed.orderId && resolved.averagePrice.map { $0 <= Dollars(cents: 99) } == true)
                #expect(!resolved.replayed && resolved.side == .no)

                let again = try #require(try await ExecSim.ask(reached, on: tap, inbox: inbox, after: inbox.answers("crash-1").count))
                #expect(again.replayed && again.orderID == created.orderId)
                // The intent never sent is judged afresh: one order.
                let fresh = try #require(try await ExecSim.ask(ExecFixture.intent("never-sent", count: 1), on: tap, inbox: inbox))
                #expect(fresh.outcome == .filled && !fresh.replayed)
                let orders = try sim.orders()
                #expect(orders.filter { $0.clientOrderID == "crash-1" }.count == 1)
                #expect(orders.filter { $0.clientOrderID == "crash-2" }.isEmpty)
                #expect(orders.filter { $0.clientOrderID == "never-sent" }.count == 1)
                #expect(orders.filter { $0.clientOrderID == "unknown-1" }.count == 1)
            }
        }
    }

    @Test("paper mode: fills against published books, IOC partial and FoK all-or-nothing, fills on venue.fill, no venue orders")
    func paper() async throws {
        try await withExecSim { sim in
            let book = MarketTopOfBook(marketTicker: ExecFixture.atm, eventTicker: ExecFixture.event, yesAsk: Dollars(cents: 55),
                                       yesAskSize: Contracts(whole: 5), noAsk: Dollars(cents: 47), noAskSize: Contracts(whole: 2), time: "")
            // NO is bought one strike up: YES is held at the money, and a NO buy there would net against it.
            let up = "KXBTCD-26SEP0920-T100249.99"
            var upBook = book
            upBook.marketTicker = up
            try await withExecutor(sim, extra: "", mode: "paper") { tap, inbox in
                #expect(inbox.states.last?.mode == .active && inbox.states.last?.venueMode == "paper")  // no reconciliation hold in paper
                try tap.publish(.marketBook(ExecFixture.atm), book)
                try tap.publish(.marketBook(up), upBook)
                let ioc = try #require(try await ExecSim.ask(ExecFixture.intent("p-1", count: 3, cap: 55), on: tap, inbox: inbox))
                #expect(ioc.outcome == .filled && ioc.averagePrice == Dollars(cents: 55) && ioc.mode == "paper")
                #expect(ioc.fees == TakerFee.of(count: Contracts(whole: 3), price: Dollars(cents: 55)))
                let orderID = try #require(ioc.orderID)
                #expect(orderID.hasPrefix("paper-"))
                #expect(await eventually { inbox.fills.contains { $0.orderID == orderID } })
                let fill = try #require(inbox.fills.first { $0.orderID == orderID })
                #expect(fill.count == Contracts(whole: 3) && fill.price == Dollars(cents: 55) && fill.side == .yes && fill.action == "buy")

                let partial = try #require(try await ExecSim.ask(ExecFixture.intent("p-2", count: 4, cap: 60), on: tap, inbox: inbox))
                #expect(partial.outcome == .partiallyFilled && partial.filledCount == Contracts(whole: 2))
                let capped = try #require(try await ExecSim.ask(ExecFixture.intent("p-3", side: .no, count: 1, cap: 46, ticker: up), on: tap, inbox: inbox))
                #expect(capped.outcome == .cancelled && capped.reason?.contains("above the cap") == true)
                let fok = try #require(try await ExecSim.ask(ExecFixture.intent("p-4", side: .no, count: 3, cap: 50, tif: .fillOrKill, ticker: up), on: tap, inbox: inbox))
                #expect(fok.outcome == .cancelled && fok.filledCount == .zero)
                let fokOK = try #require(try await ExecSim.ask(ExecFixture.intent("p-5", side: .no, count: 2, cap: 50, tif: .fillOrKill, ticker: up), on: tap, inbox: inbox))
                #expect(fokOK.outcome == .filled && fokOK.averagePrice == Dollars(cents: 47))
                #expect(Set([ioc, partial, capped, fok, fokOK].compactMap(\.orderID)).count == 5)
                #expect(try sim.orders().isEmpty)
            }
        }
    }
}
