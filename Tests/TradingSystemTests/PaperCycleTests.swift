import AutoEntry
import BusKit
import BusTestSupport
import BusWire
import Fleet
import Kalshi
import Money
import Testing
import TradingWire

extension TradingCycleTests {
    /// Paper mode, the whole fleet against `recio sim` as the source of market data, with no API key anywhere near
    /// the market data: auto-entry trades on the simulated balance account sync publishes, the supervisor stops a
    /// trade out, trades are held to expiry and settled from the market's public result; the paper balance ends at
    /// `paper_balance` plus the trades' PnL to the cent, and no order ever reached the venue.
    @Test func paperModeEntryStopExpiryAndSettlementMoveTheSimulatedBalance() async throws {
        var options = FleetOptions()
        options.speed = 20
        options.startMs = (firstClose - 20 * 60) * 1000
        options.sections = scenarioSettings
        options.sections["bus", default: [:]]["mode"] = "paper"
        options.sections["plugin.account-sync", default: [:]]["paper_balance"] = "500"
        // Paper reads public market data: the feed gets no key (so it has no signed WebSocket and no lifecycle stream).
        options.sections["plugin.market-feed", default: [:]]["credentials"] = "/nonexistent/recio-paper-has-no-key"
        let startingBalance = Dollars(cents: 50_000)
        let initialPrice = options.initialPrice
        try await Fleet.run(options) { fleet in
            let tap = try fleet.connect(as: "test@fleet")
            defer { tap.close(flushSeconds: 0) }
            let log = Collector(tap.subscribe([TopicFilter(Topic.tradeUpdate), .orderIntents, .orderEvents, .venue,
                                               TopicFilter(Topic.openTrades), TopicFilter(Topic.accountBalance),
                                               TopicFilter(Topic.settings(plugin: AutoEntry.name)), .watchlists]))
            defer { log.stop() }
            try startTradingFleet(fleet)

            let first = try #require(await wait(log, "a paper entry fills") { $0.trades.values.first { $0.status == .open } })
            let now = fleet.clock.now.microseconds / 1_000_000
            let step = Dollars(cents: first.side == .yes ? -5_000 : 5_000)
            var price = fleet.index.value(atSecond: now) ?? initialPrice
            for n in 1...20 {
                price = price + step
                fleet.index.set(price, from: now + Int64(30 * n))
            }
            let stopped = try #require(await wait(log, "the auto-stop closes the first paper trade") {
                $0.trades[first.id].flatMap { $0.status.isFinal ? $0 : nil }
            })
            #expect(stopped.status == .closed && stopped.closeMethod == "auto-stop", "the first trade ended \(stopped.status.rawValue)")

            _ = try #require(await wait(log, "a paper trade is held to expiry and settled") {
                $0.trades.values.first { $0.status == .settled }
            })
            try fleet.connect(as: "test-settings@fleet").publish(
                .settingsChange(plugin: AutoEntry.name),
                SettingsChange(plugin: AutoEntry.name, values: ["auto_entry": "false"], requester: "test", time: fleet.clock.now.description))
            let allFinal = await wait(log, "every paper trade is final and settled") { log -> Bool? in
                let trades = log.trades.values
                let final = !trades.isEmpty && trades.allSatisfy { $0.status.isFinal || $0.status == .error }
                return final && (log.openTrades?.trades.isEmpty ?? false) ? true : nil
            }
            #expect(allFinal == true)

            // The simulated balance is the start plus every trade's PnL, to the cent.
            let trades = Array(log.trades.values)
            let pnl = trades.reduce(Dollars.zero) { $0 + ($1.pnl ?? .zero) }
            let balanced = await wait(log, "the paper balance reaches the start plus the PnL") { log -> Bool? in
                log.decoded(AccountBalance.self, prefix: Topic.accountBalance.rawValue).last?.balance == startingBalance + pnl ? true : nil
            }
            let last = log.decoded(AccountBalance.self, prefix: Topic.accountBalance.rawValue).last
            #expect(balanced == true, "paper balance \(last?.balance.description ?? "-") vs start + PnL \(startingBalance + pnl)")
            #expect(last?.mode == "paper")
            let settlements = log.decoded(VenueSettlement.self, prefix: Topic.venueSettlement.rawValue)
            for trade in trades where trade.status == .settled {
                #expect(settlements.contains { $0.ticker == trade.ticker }, "\(trade.ticker) settled without a paper settlement")
            }

            // Paper never sends an order: the simulator saw none.
            let venue = KalshiRESTClient(configuration: .simulator(port: fleet.port),
                                         credentials: try Credentials(keyID: "fleet", privateKeyPEM: fleet.keyPEM))
            #expect(try await venue.orders().isEmpty)
            #expect(try await venue.fills().isEmpty)
            let events = log.decoded(OrderEvent.self, prefix: "order.event.")
            #expect(!events.isEmpty && events.allSatisfy { $0.mode == "paper" })
        }
    }
}
