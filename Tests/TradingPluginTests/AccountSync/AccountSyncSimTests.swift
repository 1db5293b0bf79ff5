import AccountSync
import BusKit
import BusTestSupport
import BusWire
import Foundation
import Kalshi
import KalshiSim
import Money
import Testing
import TradingWire

/// The plugin on a real broker (its own ZMQ connection) plus a tap connection that plays the trade manager and
/// watches everything, while `body` runs.
func withAcctPlugin(_ venue: AcctVenue, catchup: String = "1s",
                    _ body: @Sendable (_ tap: ZMQBus, _ inbox: AcctInbox, _ log: AcctLog) async throws -> Void) async throws {
    let broker = try TestBroker()
    defer { broker.stop() }
    let pluginBus = try broker.connect(as: "account-sync@test")
    defer { pluginBus.close() }
    let tap = try broker.connect(as: "tap@test")
    defer { tap.close() }
    #expect(await pluginBus.waitUntilConnected(timeoutSeconds: 20))
    #expect(await tap.waitUntilConnected(timeoutSeconds: 20))
    let inbox = AcctInbox()
    let collecting = inbox.collect(tap.subscribe([.account, .venue, .alerts]))
    defer { collecting.cancel() }
    let log = AcctLog()
    let plugin = try AccountSync(context: venue.context(bus: pluginBus, catchup: catchup, logger: log.logger))
    try await runningAcct(plugin) { try await body(tap, inbox, log) }
}

@Suite("account-sync plugin over the real bus against the real Kalshi simulator", .serialized)
struct AccountSyncSimTests {
    typealias F = AcctFixtures

    @Test("an order filled at the venue: venue.fill, venue.order, account.positions and account.balance; start-up gating")
    func fillPositionsBalance() async throws {
        try await withAcctVenue { venue in
            try await withAcctPlugin(venue) { tap, inbox, _ in
                #expect(await eventually { !inbox.balances.isEmpty && !inbox.positions.isEmpty })
                #expect(await eventually { inbox.reports.last?.status == .pending })
                #expect(inbox.reports.allSatisfy { $0.status == .pending })  // no trade.state.open yet: no verdict
                try tap.publish(.openTrades, F.open([]))
                #expect(await eventually { inbox.reports.last?.status == .passed })
                #expect(inbox.reports.first { $0.status == .passed }?.startup == true)

                let before = try #require(inbox.balances.last?.balance)
                let created = try await venue.buy(count: 3, id: "acct-fill-1")
                #expect(created.fillCount == Contracts(whole: 3))
                // The trade manager's view follows at once (in production it knows the trade before the order): a
                // slow run must not outlast the in-flight grace with the trade unreported.
                let passes = inbox.reports.count
                try tap.publish(.openTrades, F.open([F.trade("t1", AcctSim.atm, count: 3)]))
                // Republished fills (the tap, playing the trade manager, has just appeared) are the same fills again.
                #expect(await eventually { inbox.uniqueFills.filter { $0.orderID == created.orderId }.reduce(.zero) { $0 + $1.count } == Contracts(whole: 3) })
                let fills = inbox.uniqueFills.filter { $0.orderID == created.orderId }
                #expect(fills.allSatisfy { $0.ticker == AcctSim.atm && $0.side == .yes && $0.action == "buy" && $0.isTaker == true })
                #expect(await eventually { inbox.positions.last?.positions.first { $0.ticker == AcctSim.atm }?.position == Contracts(whole: 3) })
                let cash = try await venue.trader.balance().available
                #expect(cash < before)
                #expect(await eventually { inbox.balances.last?.balance == cash })
                #expect(await eventually { inbox.orders.contains { $0.orderID == created.orderId && $0.status == "executed" } })
                #expect(inbox.orders.first { $0.orderID == created.orderId }?.clientOrderID == "acct-fill-1")

                // The venue's own fills are each published once, and match what is stored.
                let venueFills = try await venue.trader.fills(orderID: created.orderId)
                #expect(Set(fills.map(\.fillID)) == Set(venueFills.compactMap { $0.tradeId ?? $0.fillId }))
                #expect(fills.count == venueFills.count)
                let store = try AccountStore(path: venue.database)
                #expect(try await store.count("fills") == venueFills.count)
                #expect(try await store.positions().map(\.ticker) == [AcctSim.atm])

                // The trade manager's view agrees: the reconciliation keeps passing.
                #expect(await eventually { inbox.reports.count > passes + 1 && inbox.reports.last?.status == .passed })
                #expect(inbox.alerts.isEmpty)
            }
        }
    }

    @Test("a market settles: venue.settlement is published once however many catch-ups see it")
    func settlementOnce() async throws {
        try await withAcctVenue { venue in
            try await withAcctPlugin(venue) { _, inbox, _ in
                #expect(await eventually { !inbox.balances.isEmpty })
                let created = try await venue.buy(count: 2, id: "acct-settle-1")
                #expect(await eventually { inbox.fills.contains { $0.orderID == created.orderId } })
                venue.time.advance(seconds: 400)  // past the 8 pm close: the next tick determines the result
                #expect(await eventually { (try? await venue.trader.market(AcctSim.atm).status) == .determined })
                venue.time.advance(seconds: 100)  // past the settlement timer: the next tick settles
                #expect(await eventually { inbox.settlements.contains { $0.ticker == AcctSim.atm } })
                let settlement = try #require(inbox.settlements.first)
                #expect(settlement.result == "yes" && settlement.yesCount == Contracts(whole: 2) && settlement.revenue == Dollars(cents: 200))
                #expect(await eventually { inbox.positions.last?.positions.isEmpty == true })
                // Several more catch-ups (each one publishes the balance) read the same settlement again.
                let seen = inbox.balances.count
                #expect(await eventually { inbox.balances.count >= seen + 4 })
                #expect(inbox.settlements.count == 1)
                #expect(try await AccountStore(path: venue.database).count("settlements") == 1)
                #expect(try await venue.trader.settlements().count == 1)
            }
        }
    }

    @Test("a WebSocket drop: what filled while disconnected is read back after the reconnect, once")
    func dropAndCatchUp() async throws {
        var faults = FaultSettings()
        faults.wsDropEverySeconds = 30
        try await withAcctVenue(faults: faults) { venue in
            // No periodic catch-up within the test: only pushes and the reconnect's catch-up can deliver.
            try await withAcctPlugin(venue, catchup: "1h") { _, inbox, log in
                #expect(await eventually { log.count("Kalshi WebSocket connected") == 1 && !inbox.balances.isEmpty })
                let first = try await venue.buy(count: 1, id: "acct-drop-0")
                #expect(await eventually { inbox.fills.contains { $0.orderID == first.orderId } })
                venue.time.advance(seconds: 31)  // the simulator drops every session on its next tick
                #expect(await eventually { log.count("Kalshi WebSocket disconnected") >= 1 })
                // The orders fill while the simulator holds no session (the client waits ≥ 250 ms before reconnecting),
                // so their pushes are lost: only the reconnect's catch-up can deliver them.
                let a = try await venue.buy(count: 1, id: "acct-drop-1")
                let b = try await venue.buy(count: 2, id: "acct-drop-2")
                #expect(await eventually { log.count("Kalshi WebSocket connected") >= 2 })
                #expect(await eventually {
                    Set(inbox.fills.map(\.orderID)).isSuperset(of: [a.orderId, b.orderId])
                        && inbox.positions.last?.positions.first { $0.ticker == AcctSim.atm }?.position == Contracts(whole: 4)
                })
                let venueFills = try await venue.trader.fills()
                #expect(inbox.fills.count == venueFills.count)  // nothing lost, nothing twice
                #expect(Set(inbox.fills.map(\.fillID)).count == inbox.fills.count)
                #expect(await eventually { Set(inbox.orders.filter { $0.status == "executed" }.map(\.orderID)) == [first.orderId, a.orderId, b.orderId] })
            }
        }
    }

    @Test("a restart on the same database publishes no fill, order or settlement a second time")
    func restart() async throws {
        try await withAcctVenue { venue in
            try await withAcctPlugin(venue) { _, inbox, _ in
                let created = try await venue.buy(count: 2, id: "acct-restart-1")
                #expect(await eventually { inbox.fills.contains { $0.orderID == created.orderId } && !inbox.orders.isEmpty })
            }
            try await withAcctPlugin(venue) { _, inbox, _ in
                let seen = inbox.balances.count
                #expect(await eventually { inbox.balances.count >= seen + 3 })  // several full catch-ups later
                #expect(await eventually { inbox.positions.last?.positions.first?.position == Contracts(whole: 2) })
                #expect(inbox.fills.isEmpty && inbox.orders.isEmpty && inbox.settlements.isEmpty)
            }
            #expect(try await AccountStore(path: venue.database).count("fills") == venue.trader.fills().count)
        }
    }

    @Test("a trade manager that missed a fill: the venue messages are published again when it appears and on the mismatch")
    func republishes() async throws {
        try await withAcctVenue { venue in
            try await withAcctPlugin(venue) { tap, inbox, log in
                let created = try await venue.buy(count: 2, id: "acct-republish-1")
                #expect(await eventually { inbox.fills.contains { $0.orderID == created.orderId } && !inbox.positions.isEmpty })
                #expect(await eventually { inbox.orders.contains { $0.orderID == created.orderId && $0.status == "executed" } })
                let once = inbox.fills.filter { $0.orderID == created.orderId }.count
                // The trade manager appears, knowing no trade: the window is republished (2 s later), and the
                // market's disagreement republishes it too, before the check that fails it.
                try tap.publish(.openTrades, F.open([]))
                #expect(await eventually { inbox.fills.filter { $0.orderID == created.orderId }.count >= 2 * once })
                #expect(await eventually { inbox.orders.filter { $0.orderID == created.orderId && $0.status == "executed" }.count >= 2 })
                #expect(await eventually { log.count("venue messages published again") >= 2 })
                #expect(inbox.uniqueFills.count == (try await venue.trader.fills()).count)
            }
        }
    }

    @Test("trades claiming a position the venue does not have: failed (after a recheck) with a critical alert")
    func mismatch() async throws {
        try await withAcctVenue { venue in
            try await withAcctPlugin(venue) { tap, inbox, _ in
                #expect(await eventually { !inbox.positions.isEmpty })
                try tap.publish(.openTrades, F.open([F.trade("ghost", AcctSim.other, count: 5)]))
                #expect(await eventually { inbox.reports.last?.status == .failed })
                let report = try #require(inbox.reports.last)
                #expect(report.mismatches == [.init(ticker: AcctSim.other, trades: Contracts(whole: 5), venue: .zero)])
                #expect(report.startup)
                #expect(!inbox.reports.contains { $0.status == .passed })
                #expect(await eventually { inbox.alerts.count == 1 })
                #expect(inbox.alerts.first?.severity == .critical && inbox.alerts.first?.source == "account-sync")
                #expect(inbox.alerts.first?.message.contains(AcctSim.other) == true)
                // The trades are fixed: the next check passes.
                try tap.publish(.openTrades, F.open([]))
                #expect(await eventually { inbox.reports.last?.status == .passed })
                #expect(inbox.alerts.count == 1)
            }
        }
    }
}
