import AccountSync
import AutoEntry
import BusKit
import BusTestSupport
import BusTools
import BusWire
import Executor
import Fleet
import Foundation
import Kalshi
import MarketFeed
import Model
import Money
import PriceFeed
import Testing
import TradeManager
import TradeSupervisor
import TradingWire
import Web

/// 2026-09-10T00:00:00Z: the close of the first hourly event of the scenario.
let firstClose: Int64 = 1_788_998_400

/// The fleet's plugins with their configuration keys, as `recio` registers them.
let fleetKeys: [String: Set<String>] = [
    PriceFeed.name: PriceFeed.configKeys, MarketFeed.name: MarketFeed.configKeys, ModelPlugin.name: ModelPlugin.configKeys,
    AutoEntry.name: AutoEntry.configKeys, TradeSupervisor.name: TradeSupervisor.configKeys, Executor.name: Executor.configKeys,
    TradeManager.name: TradeManager.configKeys, AccountSync.name: AccountSync.configKeys,
]

/// Starts every trading plugin of `fleet`, state owners first.
func startTradingFleet(_ fleet: Fleet, keys fleetKeys: [String: Set<String>] = fleetKeys) throws {
    try fleet.start(TradeManager.self, pluginKeys: fleetKeys)
    try fleet.start(AccountSync.self, pluginKeys: fleetKeys)
    try fleet.start(Executor.self, pluginKeys: fleetKeys)
    try fleet.start(MarketFeed.self, pluginKeys: fleetKeys)
    try fleet.start(PriceFeed.self, pluginKeys: fleetKeys)
    try fleet.start(ModelPlugin.self, pluginKeys: fleetKeys)
    try fleet.start(TradeSupervisor.self, pluginKeys: fleetKeys)
    try fleet.start(AutoEntry.self, pluginKeys: fleetKeys)
}

@Suite("The whole fleet on the simulator", .serialized)
struct TradingCycleTests {
    /// Scripted prices force an entry, an auto-stop (the price jumps through the strike), then entries held to expiry
    /// and settled in two hours. At the end the trades, the venue's fills and positions, and the balance agree to
    /// the cent, and no client order id was used twice.
    @Test func entryAutoStopExpiryAndSettlementAgreeWithTheVenue() async throws {
        var options = FleetOptions()
        options.speed = 20
        options.startMs = (firstClose - 20 * 60) * 1000
        options.exchange.initialBalance = Dollars(cents: 100_000)
        options.sections = scenarioSettings
        // The dashboard too, so the history it serves can be checked against the trades (its wait for the trade
        // manager's answer is in simulated time: 120 s is 6 s at 20×).
        let webPort = Int(freeLoopbackEndpoint().split(separator: ":").last ?? "") ?? 3000
        options.sections["plugin.web"] = ["address": "127.0.0.1", "port": "\(webPort)", "query_timeout": "120s"]
        let initialPrice = options.initialPrice
        let startingBalance = options.exchange.initialBalance
        try await Fleet.run(options) { fleet in
            let tap = try fleet.connect(as: "test@fleet")
            defer { tap.close(flushSeconds: 0) }
            let log = Collector(tap.subscribe([TopicFilter(Topic.tradeUpdate), .orderIntents, .orderEvents, .venue,
                                               TopicFilter(Topic.openTrades), TopicFilter(Topic.reconciliation),
                                               TopicFilter(Topic.settings(plugin: AutoEntry.name)), .watchlists]))
            defer { log.stop() }
            var withWeb = fleetKeys
            withWeb[Web.name] = Web.configKeys
            try startTradingFleet(fleet, keys: withWeb)
            try fleet.start(Web.self, pluginKeys: withWeb)

            // 1. An entry, then the price walks $1,000 through its strike over ten minutes: the supervisor stops it out.
            // (A sudden jump would not do: the volatility model would read the jump itself as volatility.)
            let first = try #require(await wait(log, "an entry fills") { $0.trades.values.first { $0.status == .open } })
            let strike = try #require(first.strike)
            let now = fleet.clock.now.microseconds / 1_000_000
            let step = Dollars(cents: first.side == .yes ? -5_000 : 5_000)
            var price = fleet.index.value(atSecond: now) ?? initialPrice
            for n in 1...20 {
                price = price + step
                fleet.index.set(price, from: now + Int64(30 * n))
            }
            progress("entered \(first.side.rawValue) at strike \(strike); the index walks to \(price)")
            let stopped = try #require(await wait(log, "the auto-stop closes the first trade") {
                $0.trades[first.id].flatMap { $0.status.isFinal ? $0 : nil }
            })
            try #require(stopped.status == .closed && stopped.closeMethod == "auto-stop", "the first trade ended \(stopped.status.rawValue)")

            // 2. The price stays put: entries in this hour and the next are held to expiry and settled.
            let settledEvents = try #require(await wait(log, "trades of two events settle") { log -> Set<String>? in
                let events = Set(log.trades.values.filter { $0.status == .settled }.map(\.eventTicker))
                return events.count >= 2 ? events : nil
            })
            #expect(settledEvents.count >= 2)
            try fleet.connect(as: "test-settings@fleet").publish(
                .settingsChange(plugin: AutoEntry.name),
                SettingsChange(plugin: AutoEntry.name, values: ["auto_entry": "false"], requester: "test", time: fleet.clock.now.description))
            let allFinal = await wait(log, "every trade is final") { log -> Bool? in
                let trades = log.trades.values
                let final = !trades.isEmpty && trades.allSatisfy { $0.status.isFinal || $0.status == .error }
                return final && (log.openTrades?.trades.isEmpty ?? false) ? true : nil
            }
            #expect(allFinal == true)

            // 3. The trades agree with the venue.
            let venue = KalshiRESTClient(configuration: .simulator(port: fleet.port),
                                         credentials: try Credentials(keyID: "fleet", privateKeyPEM: fleet.keyPEM))
            let trades = Array(log.trades.values)
            let fills = try await venue.fills()
            let orders = Set(trades.flatMap { [$0.entryOrderID, $0.closeOrderID].compactMap { $0 } })
            for fill in fills { #expect(orders.contains(fill.orderId), "fill of order \(fill.orderId) has no trade") }
            let filledContracts = fills.reduce(Contracts.zero) { $0 + ($1.countFp ?? .zero) }
            let tradedContracts = trades.reduce(Contracts.zero) { $0 + $1.count + ($1.closeOrderID != nil ? $1.count : .zero) }
            #expect(filledContracts == tradedContracts)
            // The trade manager settles from the market's result; the venue pays out a little later.
            let paidOut = await eventually(attempts: 600, every: .milliseconds(100)) {
                guard let positions = try? await venue.positions() else { return false }
                return positions.market.allSatisfy { ($0.positionFp ?? .zero) == .zero }
            }
            #expect(paidOut, "the venue still holds positions after every trade settled")
            let balance = try await venue.balance().available
            let pnl = trades.reduce(Dollars.zero) { $0 + ($1.pnl ?? .zero) }
            #expect(balance == startingBalance + pnl, "balance \(balance) vs start + PnL \(startingBalance + pnl)")

            let keys = log.decoded(OrderEvent.self, prefix: "order.event.").filter { !$0.replayed }.map(\.clientOrderID)
            #expect(Set(keys).count == keys.count, "a client order id was sent twice")
            #expect(trades.contains { $0.closeMethod == "auto-stop" })
            #expect(trades.filter { $0.status == .settled }.count >= 2)

            // 4. The dashboard's history is the trade manager's: every trade of this test with its PnL, and the total.
            let history = try #require(await FleetHTTP.json("http://127.0.0.1:\(webPort)/api/trades?limit=1000"))
            #expect(history.status == 200, "GET /api/trades: \(history.status)")
            let listed = (history.body["trades"] as? [[String: Any]] ?? []).reduce(into: [String: Dollars?]()) { all, t in
                if let id = t["id"] as? String { all[id] = (t["pnl"] as? String).flatMap { Dollars($0) } }
            }
            for t in trades { #expect(listed[t.id] == .some(t.pnl), "trade \(t.id) with PnL \(t.pnl?.description ?? "none") in the history") }
            let summary = history.body["summary"] as? [String: Any]
            #expect((summary?["pnl"] as? String).flatMap { Dollars($0) } == pnl, "history total \(summary ?? [:]) vs \(pnl)")

            // 5. Every route of the dashboard's API against these real plugins.
            try await checkEveryDashboardRoute(base: "http://127.0.0.1:\(webPort)")
        }
    }
}

/// The settings of the scenario: auto-entry on for near-the-money strikes, one position at a time, no re-entry.
let scenarioSettings: [String: [String: String]] = [
    "plugin.auto-entry": [
        "auto_entry": "true", "min_time": "60", "max_time": "1500", "min_probability": "80", "min_edge": "-10",
        "max_open_positions": "1", "allow_re_entry": "false", "position_size": "2",
    ],
    "plugin.trade-supervisor": ["auto_stop": "true", "min_seconds_since_entry": "60", "confirmation_seconds": "10"],
    "plugin.model": ["watchlist_min_volume": "0", "min_probability": "50", "min_edge": "-0.50"],
    // At 20× a second of real lag is 20 simulated seconds: in-flight tolerances are set in simulated time.
    "plugin.account-sync": ["recheck_delay": "60s", "in_flight_grace": "60s", "reconcile_interval": "120s"],
]

/// Polls `log` until `probe` answers, for at most ten real minutes; records a failure naming `what` otherwise.
func wait<T: Sendable>(_ log: Collector, _ what: String, _ probe: @escaping @Sendable (Collector) -> T?) async -> T? {
    var found: T?
    var polls = 0
    _ = await eventually(attempts: 6_000, every: .milliseconds(100)) {
        found = probe(log)
        polls += 1
        if polls % 100 == 0 { progress("waiting until \(what): \(log.summary)") }
        return found != nil
    }
    if found == nil { Issue.record("timed out waiting until \(what)") }
    return found
}

/// A progress line on stderr, so that a slow run shows where it is.
func progress(_ line: String) {
    FileHandle.standardError.write(Data("[fleet] \(line)\n".utf8))
}
