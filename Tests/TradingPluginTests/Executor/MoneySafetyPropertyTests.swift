import BusTestSupport
import Foundation
import BusWire
@testable import Executor
import Money
import Testing
import TradeManager
import TradingWire

/// Thousands of seeded, reproducible runs of the executor's gate and the trade manager's book against a venue that
/// does not enforce `reduce_only` (so the executor's own rules are what is tested): duplicate and racing closes from
/// the dashboard and the supervisor, closes sized from stale snapshots, answers delivered late, restarts between an
/// order and its answer, and forged intents (huge counts, another event's ticker, unknown trades, the other side).
@Suite("money safety: seeded random runs of the executor and the trade book against a simulated venue")
struct MoneySafetyPropertyTests {
    @Test("no close ever flips a position, no market exceeds its cap, and every contract is in exactly one trade")
    func randomRuns() async throws {
        let failures = try await offPool {
            (1...2_000).compactMap { seed -> String? in
                var run = SafetyRun(seed: UInt64(seed))
                run.play(steps: 80)
                return run.violations.first.map { "seed \(seed): \($0)" }
            }
        }
        #expect(failures.count == 0, "\(failures.count) runs failed; the first: \(failures.prefix(3).joined(separator: "; "))")
    }

    @Test("debug one seed", .disabled(if: ProcessInfo.processInfo.environment["SAFETY_SEED"] == nil))
    func debugSeed() {
        var run = SafetyRun(seed: UInt64(ProcessInfo.processInfo.environment["SAFETY_SEED"]!)!)
        run.play(steps: 80)
        print(run.log.joined(separator: "\n"))
        for t in run.book.openTrades { print(t.id, t.status, t.ticker, t.side, t.count, t.note ?? "") }
        print(run.venue.positions, run.violations)
    }

    @Test("a seed replays the same run")
    func reproducible() {
        var a = SafetyRun(seed: 42), b = SafetyRun(seed: 42)
        a.play(steps: 80)
        b.play(steps: 80)
        #expect(a.venue.positions == b.venue.positions && a.log == b.log && !a.log.isEmpty)
    }
}

/// A venue that fills IOC orders from random liquidity and nets positions per market, without reduce-only.
struct ToyVenue {
    var positions: [String: Contracts] = [:]
    var violations: [String] = []

    mutating func execute(_ order: OrderIntent, liquidity: Contracts) -> Contracts {
        let filled = min(order.count, liquidity)
        let before = positions[order.ticker] ?? .zero
        let after = before + (order.side == .yes ? filled : -filled)
        if order.purpose == .close, before != .zero, after != .zero, (before > .zero) != (after > .zero) {
            violations.append("close \(order.key) of \(filled) flipped \(order.ticker) from \(before) to \(after)")
        }
        if order.purpose == .close, before == .zero, filled > .zero {
            violations.append("close \(order.key) bought \(filled) in \(order.ticker) where nothing was held")
        }
        positions[order.ticker] = after
        return filled
    }
}

/// One run: the gate, the trade book, the venue and the answers not yet delivered.
struct SafetyRun {
    static let t0 = BusTime(seconds: 1_788_998_100)  // five minutes before KXBTCD-26SEP0920 closes
    static let event = "KXBTCD-26SEP0920"
    static let markets = ["KXBTCD-26SEP0920-T99749.99", "KXBTCD-26SEP0920-T99999.99", "KXBTCD-26SEP0920-T100249.99"]

    var rng: FuzzRandom
    var limits: RiskLimits
    var gate: RiskGate
    var book = TradeBook()
    var venue = ToyVenue()
    /// Answered orders (the journal) and orders sent whose answers have not arrived.
    var journal: [(OrderIntent, OrderEvent)] = []
    var inFlight: [(order: OrderIntent, answer: OrderEvent)] = []
    /// The trades as a dashboard or supervisor last saw them.
    var snapshot: [TradeRecord] = []
    var keys = 0
    var now = SafetyRun.t0
    var log: [String] = []
    var violations: [String] = []

    init(seed: UInt64) {
        rng = FuzzRandom(seed: seed)
        var l = RiskLimits()
        l.maxMarketContracts = Contracts(whole: 8)
        l.maxOrderContracts = Contracts(whole: 6)
        l.ordersPerMinute = 1_000
        limits = l
        gate = RiskGate(limits: l)
    }

    mutating func play(steps: Int) {
        for _ in 0..<steps {
            now = now.adding(seconds: 0.5)
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<30: entry()
            case 30..<55: close(twice: Bool.random(using: &rng))
            case 55..<80: deliver()
            case 80..<88:
                snapshot = book.openTrades
                gate.apply(OpenTrades(trades: snapshot, time: ""))
            case 88..<93: restart()
            default: forged()
            }
            check()
        }
        while !inFlight.isEmpty { deliver() }
        check()
        balance()
        violations += venue.violations
    }

    mutating func key(_ prefix: String) -> String {
        keys += 1
        return "\(prefix)-\(keys)"
    }

    mutating func entry(ticker: String? = nil, count: Int64? = nil, side: TradeSide? = nil) {
        let ticker = ticker ?? Self.markets.randomElement(using: &rng)!
        let side = side ?? (Bool.random(using: &rng) ? .yes : .no)
        let n = count ?? Int64.random(in: 1...4, using: &rng)
        handle(OrderIntent(key: key("e"), source: "auto-entry", purpose: .entry, ticker: ticker, eventTicker: Self.event, side: side,
                           count: Contracts(whole: n), limitPrice: Dollars(cents: 50), method: "auto", createdTime: now.description))
    }

    /// A close of an open trade as a (possibly stale) snapshot shows it, from the dashboard or the supervisor, once or
    /// twice with different keys (a double click, or the supervisor racing the user).
    mutating func close(twice: Bool) {
        let open = snapshot.filter { $0.status == .open }
        guard let trade = open.randomElement(using: &rng) else { return entry() }
        for source in twice ? ["web", "trade-supervisor"] : [Bool.random(using: &rng) ? "web" : "trade-supervisor"] {
            handle(OrderIntent(key: key("c"), source: source, purpose: .close, tradeID: trade.id, ticker: trade.ticker,
                               eventTicker: trade.eventTicker, side: trade.side.opposite, count: trade.count,
                               limitPrice: Dollars(cents: 60), method: source == "web" ? "manual" : "auto-stop", createdTime: now.description))
        }
    }

    mutating func forged() {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: entry(count: 1_000_000)
        case 1: entry(ticker: "KXBTCD-26SEP0921-T99999.99")  // another event's market, claiming this event
        case 2:
            let ticker = Self.markets.randomElement(using: &rng)!
            handle(OrderIntent(key: key("f"), source: "web", purpose: .close, tradeID: "nobody", ticker: ticker, eventTicker: Self.event,
                               side: .no, count: Contracts(whole: 50), limitPrice: Dollars(cents: 60), method: "manual",
                               createdTime: now.description))
        default:
            guard let t = book.openTrades.randomElement(using: &rng) else { return }
            entry(ticker: t.ticker, side: t.side.opposite)  // the other side of a held market
        }
    }

    /// What the executor does with one intent; the trade manager sees the intent and every answer.
    mutating func handle(_ intent: OrderIntent) {
        _ = book.apply(intent: intent, now: now)
        switch gate.check(intent, trading: TradingHolds(requireReconciliation: false, now: now), now: now) {
        case .failure(let r):
            let answer = VenueOrders.event(intent, clientOrderID: intent.key, outcome: .rejected, orderID: nil, reason: r.reason,
                                           mode: "sim", now: now)
            log.append("\(intent.key) refused: \(r.rule.rawValue)")
            answered(intent, answer, reserved: false)
        case .success(let count):
            let order = VenueOrders.order(intent, count: count)
            let filled = venue.execute(order, liquidity: Contracts(whole: Int64.random(in: 0...5, using: &rng)))
            let price = order.limitPrice
            let answer = VenueOrders.event(order, clientOrderID: order.key, outcome: VenueOrders.outcome(filled: filled, requested: order.count),
                                           orderID: "o-" + order.key, filled: filled, averagePrice: filled > .zero ? price : nil,
                                           fees: filled > .zero ? TakerFee.of(count: filled, price: price) : nil, mode: "sim", now: now)
            log.append("\(intent.key) sent \(order.count) filled \(filled)")
            if Bool.random(using: &rng) { answered(order, answer, reserved: true) } else { inFlight.append((order, answer)) }
        }
    }

    mutating func answered(_ intent: OrderIntent, _ answer: OrderEvent, reserved: Bool) {
        gate.record(intent, answer: answer, reserved: reserved, now: now)
        journal.append((intent, answer))
        _ = book.apply(event: answer, now: now)
    }

    mutating func deliver() {
        guard !inFlight.isEmpty else { return }
        let (order, answer) = inFlight.remove(at: Int.random(in: 0..<inFlight.count, using: &rng))
        answered(order, answer, reserved: true)
    }

    /// The executor restarts: its book is rebuilt from the journal, orders sent without an answer stay reserved.
    mutating func restart() {
        gate = RiskGate(limits: limits)
        for (intent, answer) in journal { gate.record(intent, answer: answer, reserved: false, now: now) }
        for (order, _) in inFlight { gate.reserveInFlight(order, now: now) }
        log.append("restart")
    }

    mutating func check() {
        for (ticker, p) in venue.positions where abs(p) > limits.maxMarketContracts {
            violations.append("\(ticker) holds \(p), over max_market_contracts \(limits.maxMarketContracts)")
        }
    }

    /// Every contract at the venue is in exactly one trade: per market, the trades holding a position add up to it.
    mutating func balance() {
        var trades: [String: Contracts] = [:]
        for t in book.openTrades where t.status.holdsPosition {
            trades[t.ticker, default: .zero] = trades[t.ticker, default: .zero] + (t.side == .yes ? t.count : -t.count)
        }
        for ticker in Set(trades.keys).union(venue.positions.keys) where (trades[ticker] ?? .zero) != (venue.positions[ticker] ?? .zero) {
            violations.append("\(ticker): trades hold \(trades[ticker] ?? .zero), the venue \(venue.positions[ticker] ?? .zero)")
        }
    }
}
