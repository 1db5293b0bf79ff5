import BusKit
import BusTestSupport
import BusWire
import Executor
import Fleet
import Foundation
import Kalshi
import Money
import SimExchange
import Synchronization
import Testing
import TradeManager
import TradingWire

/// A few dozen of the seeded runs over the real broker: the real executor against the real simulator (which enforces
/// reduce-only as Kalshi does) and the real trade manager, driven by intents as the dashboard, the supervisor and
/// forgers send them. After each run every client order id is at the venue at most once and every contract the
/// venue holds is in exactly one trade, and `recio verify`'s checks pass on the trades database.
@Suite("money safety: seeded runs over the real bus against the simulator")
struct MoneySafetyBusTests {
    static let markets = ["KXBTCD-26SEP0920-T99749.99", ExecFixture.atm, "KXBTCD-26SEP0920-T100249.99"]

    @Test("double and racing closes, stale snapshots and forged intents leave venue and trades agreeing", arguments: 1...24)
    func seededRun(seed: Int) async throws {
        try await withExecSim { sim in
            let harness = TradeManagerHarness()
            defer { harness.cleanUp() }
            let managerBus = try sim.broker.connect(as: "trade-manager@test", clock: sim.clock)
            defer { managerBus.close() }
            #expect(await managerBus.waitUntilConnected(timeoutSeconds: 20))
            let manager = try harness.start(bus: managerBus, clock: sim.clock, interval: "200ms")
            defer { manager.cancel() }
            try await withExecutor(sim) { tap, inbox in
                let open = LatestTrades()
                let watching = open.follow(tap.subscribe([TopicFilter(.openTrades)]))
                defer { watching.cancel() }
                var rng = FuzzRandom(seed: UInt64(seed))
                var n = 0
                func key(_ p: String) -> String { n += 1; return "s\(seed)-\(p)-\(n)" }
                for _ in 0..<10 {
                    var intents: [OrderIntent] = []
                    switch Int.random(in: 0..<10, using: &rng) {
                    case 0..<5:
                        intents = [ExecFixture.intent(key("e"), side: Bool.random(using: &rng) ? .yes : .no, count: Int64.random(in: 1...3, using: &rng),
                                                      ticker: Self.markets.randomElement(using: &rng)!)]
                    case 5..<8:
                        // A close of a trade as the last snapshot shows it (maybe stale), two or three times at once.
                        guard let t = open.trades.filter({ $0.status == .open }).randomElement(using: &rng) else { continue }
                        for source in ["web", "web", "trade-supervisor"].prefix(Int.random(in: 2...3, using: &rng)) {
                            var c = ExecFixture.intent(key("c"), purpose: .close, side: t.side.opposite, count: t.count.whole, ticker: t.ticker, source: source)
                            c.tradeID = t.id
                            intents.append(c)
                        }
                    case 8: intents = [ExecFixture.intent(key("f"), count: 1_000_000)]
                    default:
                        var c = ExecFixture.intent(key("f"), purpose: .close, side: .no, count: 40, ticker: Self.markets.randomElement(using: &rng)!, source: "web")
                        c.tradeID = "nobody"
                        intents = [c]
                    }
                    for i in intents { try tap.publish(.orderIntent(source: i.source), i) }
                    var answers: [OrderEvent] = []
                    for i in intents {
                        let answer = try await ExecSim.ask(i, on: tap, inbox: inbox)
                        #expect(answer != nil, "no answer to \(i.key)")
                        answers += answer.map { [$0] } ?? []
                    }
                    if intents.count > 1 {  // the closes of one trade at once: together they bought at most what it held
                        let bought = answers.reduce(Contracts.zero) { $0 + $1.filledCount }
                        #expect(bought <= intents[0].count, "\(answers.map { "\($0.key) \($0.outcome) \($0.filledCount)" })")
                    }
                }
                let orders = try sim.orders()
                #expect(!orders.isEmpty)
                #expect(Set(orders.map(\.clientOrderID)).count == orders.count, "a client order id twice at the venue")
                let rest = try sim.rest()
                let agreed = await eventually(attempts: 200, every: .milliseconds(100)) {
                    let venue = (try? await rest.positions().market) ?? []
                    return Self.net(open.trades) == Self.net(venue)
                }
                let venue = try await rest.positions().market
                #expect(agreed, "seed \(seed): trades \(Self.net(open.trades)), venue \(Self.net(venue))")
                // What `recio verify` checks: the trades database against the venue's orders, fills and positions.
                let store = try TradeStore(path: harness.database, readOnly: true)
                var report: Verification?
                let verified = await eventually(attempts: 100, every: .milliseconds(100)) {
                    guard let trades = try? await store.load().trades.map(\.record), let orders = try? await rest.orders(),
                        let fills = try? await rest.fills(), let positions = try? await rest.positions().market else { return false }
                    report = Verification(trades: trades, orders: orders, fills: fills, positions: positions)
                    return report?.ok == true
                }
                #expect(verified, "seed \(seed): \(report?.text ?? "no report")")
            }
        }
    }

    /// The latest `trade.state.open`, as a dashboard or supervisor sees it.
    final class LatestTrades: Sendable {
        private let latest = Mutex<[TradeRecord]>([])
        var trades: [TradeRecord] { latest.withLock { $0 } }
        func follow(_ subscription: Subscription) -> Task<Void, Never> {
            Task { for await e in subscription { if let m = try? e.decode(OpenTrades.self) { self.latest.withLock { $0 = m.trades } } } }
        }
    }

    /// Net contracts per market held by trades (YES positive).
    static func net(_ trades: [TradeRecord]) -> [String: Contracts] {
        var out: [String: Contracts] = [:]
        for t in trades where t.status.holdsPosition && t.count > .zero {
            out[t.ticker, default: .zero] = out[t.ticker, default: .zero] + (t.side == .yes ? t.count : -t.count)
        }
        return out.filter { $0.value != .zero }
    }

    /// Net contracts per market at the venue.
    static func net(_ positions: [MarketPosition]) -> [String: Contracts] {
        var out: [String: Contracts] = [:]
        for p in positions { if let c = p.positionFp, c != .zero { out[p.ticker] = c } }
        return out
    }
}
