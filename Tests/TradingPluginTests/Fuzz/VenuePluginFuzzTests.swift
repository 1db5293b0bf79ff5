import AccountSync
import BusKit
import BusTestSupport
import BusWire
import Executor
import Foundation
import MarketWire
import SimExchange
import Money
import Testing
import TradeManager
import TradingWire

/// Bad input for the plugins that keep money state: trade-manager, executor, account-sync.
@Suite("fuzz: money plugins over the real bus", .serialized)
struct VenuePluginFuzzTests {
    @Test("trade-manager: bad input is counted and stores nothing; intents still become trades")
    func tradeManager() async throws {
        let h = TradeManagerHarness()
        defer { h.cleanUp() }
        let broker = try TestBroker()
        defer { broker.stop() }
        let clock = TestClock(start: TM.t0)
        let buses = try await FuzzBuses.connect(broker, plugin: TradeManager.name, clock: clock)
        defer { buses.close() }
        let inbox = TradeInbox()
        let collecting = inbox.collect(buses.tap.subscribe([try TopicFilter(validating: "trade.")]))
        defer { collecting.cancel() }
        let health = Health()
        let plugin = try TradeManager(context: PluginContext(name: TradeManager.name, host: "test", configuration: try h.configuration(),
                                                             bus: buses.plugin, clock: clock, health: health, logger: FuzzCampaign.logger))
        let running = Task { try await plugin.run() }
        defer { running.cancel() }
        let topics: [FuzzTopic] = [
            .on(.orderIntent(source: "auto-entry"), TM.entry("F1")),
            .on(.orderEvent(source: "auto-entry"), TM.answer("F1", .filled, order: "O1", filled: 10, price: "0.56", fees: "0.18")),
            .on(.venueFill, TM.fill("FF", order: "O1", count: 1, price: "0.50", fee: nil)), .on(.venueSettlement, TM.settlement("yes")),
            .on(.marketLifecycle(TM.ticker), MarketLifecycleEvent(marketTicker: TM.ticker, eventType: "settled", time: "")),
            .on(.marketEvent(TM.event), ModelFixtures.event(TM.event, close: TM.closeTs)),
            .on(.expireTradesNow, ExpireTradesNow(requester: "fuzz", time: "")), .on(.btcTick, ModelFixtures.tick("91250")),
            .on(.tradeQuery, TradeQuery(requester: "fuzz", requestID: "q", fromDay: "2026-12-01", results: [.win], limit: 5)),
        ]
        try await FuzzCampaign.run(TradeManager.name, topics: topics, buses: buses, health: health, seed: 0x7472_6164) { round in
            await publishUntil(buses.feed, .orderIntent(source: "auto-entry"), TM.entry("L\(round)")) { inbox.status("L\(round)") == .pending }
        }
        // The database holds exactly the two valid trades and no fills.
        let stored = await eventually {
            let s = try? await TradeStore(path: h.database, readOnly: true).load()
            return s.map { $0.trades.map(\.record.id).sorted() == ["L1", "L2"] && $0.fills.isEmpty } ?? false
        }
        #expect(stored)
        #expect(Set(inbox.updates.map(\.trade.id)) == ["L1", "L2"])
    }

    @Test("executor: bad intents, commands and reports are counted and never reach the venue; intents still become orders")
    func executor() async throws {
        try await withExecSim { sim in
            let buses = try await FuzzBuses.connect(sim.broker, plugin: Executor.name, clock: sim.clock)
            defer { buses.close() }
            let inbox = ExecInbox()
            let collecting = inbox.collect(buses.tap.subscribe([.orderEvents, TopicFilter(.tradingState)]))
            defer { collecting.cancel() }
            let health = Health()
            let config = try ExecFixture.configuration(port: sim.port, credentials: sim.keys.folder, journal: sim.journal)
            let plugin = try Executor(context: PluginContext(name: Executor.name, host: "test", configuration: config, bus: buses.plugin,
                                                             clock: sim.clock, health: health, logger: FuzzCampaign.logger),
                                      rest: try sim.rest(attempts: 12))
            let topics: [FuzzTopic] = [
                .on(.orderIntent(source: "auto-entry"), ExecFixture.intent("fuzz-1")),
                .on(.tradingCommand, TradingCommand(action: .halt, holder: "fuzz", reason: "fuzz", time: "")),
                .on(.reconciliation, ReconciliationReport(status: .passed, startup: true, mismatches: [], checkedTime: "")),
            ]
            try await ExecFixture.running(plugin) {
                #expect(await eventually { !inbox.states.isEmpty })
                try await FuzzCampaign.run(Executor.name, topics: topics, buses: buses, health: health, seed: 0x6578_6563) { round in
                    try await ExecSim.ask(ExecFixture.intent("live-\(round)"), on: buses.feed, inbox: inbox) != nil
                }
            }
            // Only the two valid intents reached the venue, once each.
            #expect(try sim.orders().map(\.clientOrderID).sorted() == ["live-1", "live-2"])
            #expect(inbox.states.last?.mode == .active)
        }
    }

    @Test("account-sync: garbage open trades are counted and reconcile nothing; valid ones still reconcile")
    func accountSync() async throws {
        try await withAcctVenue { venue in
            let buses = try await FuzzBuses.connect(TestBroker(), plugin: AccountSync.name)
            defer { buses.close(); buses.broker.stop() }
            let inbox = AcctInbox()
            let collecting = inbox.collect(buses.tap.subscribe([.account, .venue, .alerts]))
            defer { collecting.cancel() }
            let health = Health()
            let c = try venue.context(bus: buses.plugin, logger: FuzzCampaign.logger)
            let plugin = try AccountSync(context: PluginContext(name: c.name, host: c.host, configuration: c.configuration, bus: c.bus,
                                                                clock: c.clock, health: health, logger: c.logger))
            try await runningAcct(plugin) {
                let topics: [FuzzTopic] = [.on(.openTrades, AE.open([AE.trade("t1")]))]
                try await FuzzCampaign.run(AccountSync.name, topics: topics, buses: buses, health: health, seed: 0x6163_6374) { _ in
                    let before = inbox.reports.count
                    return await eventually {
                        try? buses.feed.publish(.openTrades, AE.open([]))
                        return inbox.reports.count > before && inbox.reports.last?.status == .passed
                    }
                }
                // No garbage ever counted as open trades: every verdict passed (the venue holds nothing).
                #expect(inbox.reports.allSatisfy { $0.status != .failed })
                #expect(inbox.alerts.isEmpty)
            }
        }
    }
}
