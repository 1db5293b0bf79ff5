import AutoEntry
import BusWire
import MarketWire
import Model
import Money
import ProbabilityModel
import TradeManager
import TradeSupervisor
import TradingWire

/// The backtest: the live plugins' own state machines — ``ModelState``, ``EntryDecider``, ``Supervisor`` and
/// ``TradeBook`` — driven minute by minute over recorded data in the order their plugins drive them, with the
/// recorded candles as the venue (``CandleFiller``).
///
/// Each minute t (the clock jumps to t): the timers first, as the plugins' timers wake when their clock moves —
/// model flush, auto-entry and supervisor ticks, the trade manager's expiration check and `trade.state.open` —
/// then the feeds' messages of the minute (``FeedReplay``) one by one. A model output goes to the supervisor
/// (strike table) and auto-entry (watchlist); every intent goes to the trade book, then to the venue, whose answer
/// goes to the book and back to its sender; each change of the book republishes the open trades to both.
public struct BacktestEngine: Sendable {
    /// The model plugin's machine.
    public private(set) var model: ModelState
    /// Auto-entry's machine.
    public private(set) var decider: EntryDecider
    /// The trade supervisor's machine.
    public private(set) var supervisor: Supervisor
    /// The trade manager's machine.
    public private(set) var book = TradeBook()
    /// The venue.
    public private(set) var filler: CandleFiller
    var feed: FeedReplay
    /// Entry cost of the positions held at the end of each minute.
    public private(set) var exposure: [(ts: Int64, cost: Dollars)] = []
    let balance: Dollars
    /// The held cost of the last minute, recomputed only after the book changed.
    var held = Dollars.zero, bookChanged = false

    /// An engine for `strategy` over rows ending in (`from`, `to`].
    public init(tape: MarketTape, prices: MinuteSeries, strategy: Strategy, from: Int64, to: Int64, balance: Dollars) {
        model = ModelState(model: strategy.model, strikes: strategy.strikes, filter: strategy.filter, series: strategy.series,
                           bookInterval: strategy.bookInterval)
        decider = EntryDecider(settings: strategy.entry, source: "auto-entry")
        supervisor = Supervisor(settings: strategy.supervisor, source: "trade-supervisor")
        filler = CandleFiller(tape: tape)
        feed = FeedReplay(tape: tape, prices: prices, from: from, to: to, series: strategy.series)
        self.balance = balance
    }

    /// Market-minutes replayed so far.
    public var marketMinutes: Int { feed.marketMinutes }

    /// What the executor and account sync would have said at start, and the trade manager's first open trades.
    public mutating func start(now: BusTime) {
        decider.tradingStatus(Self.activeStatus(now: now))
        decider.balance(AccountBalance(balance: balance, portfolioValue: nil, mode: "backtest", time: now.description))
        var intents: [OrderIntent] = []
        publishOpen(now: now, into: &intents)
        route(intents, now: now)
    }

    /// Trading ACTIVE, no holds.
    public static func activeStatus(now: BusTime) -> TradingStatus {
        TradingStatus(mode: .active, hard: false, holds: [], venueMode: "backtest", time: now.description)
    }

    /// One minute ending at `t`.
    public mutating func step(minute t: Int64) {
        let now = BusTime(seconds: t)
        var intents: [OrderIntent] = []
        for o in model.flush(now: now) { handle(o, now: now, into: &intents) }
        intents += decider.tick(now: now)
        intents += supervisor.tick(now: now)
        if !book.expire(now: now).transitions.isEmpty { bookChanged = true }
        publishOpen(now: now, into: &intents)
        route(intents, now: now)
        for input in feed.inputs(at: t) {
            intents = []
            switch input {
            case .series(let s): outputs(model.handle(.series(s), now: now), now: now, into: &intents)
            case .event(let e):
                outputs(model.handle(.event(e), now: now), now: now, into: &intents)
                if !book.observe(eventTicker: e.eventTicker, closeTs: e.closeTs, now: now).transitions.isEmpty { publishOpen(now: now, into: &intents) }
            case .book(let b): outputs(model.handle(.book(b), now: now), now: now, into: &intents)
            case .lifecycle(let l):
                if !book.apply(lifecycle: l, now: now).transitions.isEmpty { bookChanged = true; publishOpen(now: now, into: &intents) }
            case .momentum(let m):
                outputs(model.handle(.momentum(m), now: now), now: now, into: &intents)
                decider.momentum(m.scoreX100, now: now)
                intents += supervisor.momentum(m.scoreX100, now: now)
            case .tick(let tick):
                book.observe(btc: tick.price)
                outputs(model.handle(.tick(tick), now: now), now: now, into: &intents)
            }
            route(intents, now: now)
        }
        if bookChanged { held = heldCost; bookChanged = false }
        exposure.append((t, held))
    }

    /// Entry cost of every trade holding a position.
    var heldCost: Dollars {
        book.liveTrades(where: { [.open, .closing, .expired].contains($0.record.status) }).reduce(.zero) { $0 + $1.entryCost }
    }

    mutating func outputs(_ list: [ModelState.Output], now: BusTime, into intents: inout [OrderIntent]) {
        for o in list { handle(o, now: now, into: &intents) }
    }

    /// A table and watchlist, as the supervisor and auto-entry receive them.
    mutating func handle(_ o: ModelState.Output, now: BusTime, into intents: inout [OrderIntent]) {
        intents += supervisor.strikeTable(o.table, now: now)
        intents += decider.watchlist(o.watchlist, now: now).intents
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
