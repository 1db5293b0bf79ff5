import AutoEntry
import BusWire
import MarketWire
import Model
import Money
import TradeManager
import TradeSupervisor
import TradingWire

/// One strategy's trading machines in a backtest — auto-entry's ``EntryDecider``, the ``Supervisor``, the trade
/// manager's ``TradeBook`` and its own venue (``CandleFiller``) — fed the model's outputs and the feeds' messages
/// by ``BacktestEngine``. Several lanes share one model: the model never reads what the lanes do, so each lane sees
/// exactly what it would see alone.
public struct BacktestLane: Sendable {
    /// Auto-entry's machine.
    public private(set) var decider: EntryDecider
    /// The trade supervisor's machine.
    public private(set) var supervisor: Supervisor
    /// The trade manager's machine.
    public private(set) var book = TradeBook()
    /// The venue.
    public private(set) var filler: CandleFiller
    /// Entry cost of the positions held at the end of each minute.
    public private(set) var exposure: [(ts: Int64, cost: Dollars)] = []
    let balance: Dollars
    /// The held cost of the last minute, recomputed only after the book changed.
    var held = Dollars.zero, bookChanged = false

    /// A lane trading `entry` and `supervisor` settings against `tape`.
    public init(tape: MarketTape, entry: AutoEntrySettings, supervisor: SupervisorSettings, balance: Dollars) {
        decider = EntryDecider(settings: entry, source: "auto-entry")
        self.supervisor = Supervisor(settings: supervisor, source: "trade-supervisor")
        filler = CandleFiller(tape: tape)
        self.balance = balance
    }

    /// What the executor and account sync would have said at start, and the trade manager's first open trades.
    mutating func start(now: BusTime) {
        decider.tradingStatus(BacktestEngine.activeStatus(now: now))
        decider.balance(AccountBalance(balance: balance, portfolioValue: nil, mode: "backtest", time: now.description))
        var intents: [OrderIntent] = []
        publishOpen(now: now, into: &intents)
        route(intents, now: now)
    }

    /// The timers of a minute, after the model's flush produced `flushed`.
    mutating func timers(_ flushed: [ModelState.Output], now: BusTime) {
        var intents: [OrderIntent] = []
        outputs(flushed, now: now, into: &intents)
        intents += decider.tick(now: now)
        intents += supervisor.tick(now: now)
        if !book.expire(now: now).transitions.isEmpty { bookChanged = true }
        publishOpen(now: now, into: &intents)
        route(intents, now: now)
    }

    /// One feed message and what the model made of it (`model`).
    mutating func apply(_ input: FeedInput, model: [ModelState.Output], now: BusTime) {
        var intents: [OrderIntent] = []
        switch input {
        case .series, .book: outputs(model, now: now, into: &intents)
        case .event(let e):
            outputs(model, now: now, into: &intents)
            if !book.observe(eventTicker: e.eventTicker, closeTs: e.closeTs, now: now).transitions.isEmpty { publishOpen(now: now, into: &intents) }
        case .lifecycle(let l):
            if !book.apply(lifecycle: l, now: now).transitions.isEmpty { bookChanged = true; publishOpen(now: now, into: &intents) }
        case .momentum(let m):
            outputs(model, now: now, into: &intents)
            decider.momentum(m.scoreX100, now: now)
            intents += supervisor.momentum(m.scoreX100, now: now)
        case .tick(let tick):
            book.observe(btc: tick.price)
            outputs(model, now: now, into: &intents)
        }
        route(intents, now: now)
    }

    /// Records the cost held at the end of minute `t`.
    mutating func endMinute(_ t: Int64) {
        if bookChanged { held = heldCost; bookChanged = false }
        exposure.append((t, held))
    }

    /// Entry cost of every trade holding a position.
    var heldCost: Dollars {
        book.liveTrades(where: { [.open, .closing, .expired].contains($0.record.status) }).reduce(.zero) { $0 + $1.entryCost }
    }

    mutating func outputs(_ list: [ModelState.Output], now: BusTime, into intents: inout [OrderIntent]) {
        for o in list {
            intents += supervisor.strikeTable(o.table, now: now)
            intents += decider.watchlist(o.watchlist, now: now).intents
        }
    }

    /// The trade manager's `trade.state.open`, read by auto-entry and the supervisor.
    mutating func publishOpen(now: BusTime, into intents: inout [OrderIntent]) {
        let open = OpenTrades(trades: book.openTrades, time: now.description)
        decider.openTrades(open)
        intents += supervisor.openTrades(open, now: now)
    }

    /// Every intent through the book and the venue, answers back to their senders; closes that follow too.
    mutating func route(_ first: [OrderIntent], now: BusTime) {
        var queue = first[...]
        while let intent = queue.popFirst() {
            bookChanged = true
            var more: [OrderIntent] = []
            if !book.apply(intent: intent, now: now).transitions.isEmpty { publishOpen(now: now, into: &more) }
            let answer = filler.answer(intent, now: now)
            if !book.apply(event: answer, now: now).transitions.isEmpty { publishOpen(now: now, into: &more) }
            if intent.source == decider.source { decider.answer(answer) } else { supervisor.answer(answer, now: now) }
            queue.append(contentsOf: more)
        }
    }

    /// Every trade, oldest entry first.
    public var trades: [TradeRecord] {
        book.trades.values.map(\.record).sorted { ($0.enteredTs, $0.id) < ($1.enteredTs, $1.id) }
    }
}
