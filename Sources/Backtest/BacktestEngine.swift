import AutoEntry
import BusWire
import Model
import Money
import ProbabilityModel
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
///
/// One model and one feed serve any number of ``BacktestLane``s (entry and supervisor settings): a sweep computes
/// the model's tables once per model setting.
public struct BacktestEngine: Sendable {
    /// The model plugin's machine.
    public private(set) var model: ModelState
    /// The strategies trading on the model's outputs.
    public private(set) var lanes: [BacktestLane]
    var feed: FeedReplay

    /// An engine for `strategy` over rows ending in (`from`, `to`].
    public init(tape: MarketTape, prices: MinuteSeries, strategy: Strategy, from: Int64, to: Int64, balance: Dollars) {
        self.init(tape: tape, prices: prices, model: strategy, lanes: [(strategy.entry, strategy.supervisor)], from: from, to: to, balance: balance)
    }

    /// An engine whose model, filter and series are `model`'s, with one lane per entry and supervisor settings.
    public init(tape: MarketTape, prices: MinuteSeries, model m: Strategy, lanes: [(AutoEntrySettings, SupervisorSettings)],
                from: Int64, to: Int64, balance: Dollars) {
        model = ModelState(model: m.model, strikes: m.strikes, filter: m.filter, series: m.series, bookInterval: m.bookInterval)
        self.lanes = lanes.map { BacktestLane(tape: tape, entry: $0.0, supervisor: $0.1, balance: balance) }
        feed = FeedReplay(tape: tape, prices: prices, from: from, to: to, series: m.series)
    }

    /// Market-minutes replayed so far.
    public var marketMinutes: Int { feed.marketMinutes }

    /// Every lane's start.
    public mutating func start(now: BusTime) {
        for i in lanes.indices { lanes[i].start(now: now) }
    }

    /// Trading ACTIVE, no holds.
    public static func activeStatus(now: BusTime) -> TradingStatus {
        TradingStatus(mode: .active, hard: false, holds: [], venueMode: "backtest", time: now.description)
    }

    /// One minute ending at `t`.
    public mutating func step(minute t: Int64) {
        let now = BusTime(seconds: t)
        let flushed = model.flush(now: now)
        for i in lanes.indices { lanes[i].timers(flushed, now: now) }
        for input in feed.inputs(at: t) {
            let out: [ModelState.Output]
            switch input {
            case .series(let s): out = model.handle(.series(s), now: now)
            case .event(let e): out = model.handle(.event(e), now: now)
            case .book(let b): out = model.handle(.book(b), now: now)
            case .lifecycle: out = []
            case .momentum(let m): out = model.handle(.momentum(m), now: now)
            case .tick(let tick): out = model.handle(.tick(tick), now: now)
            }
            for i in lanes.indices { lanes[i].apply(input, model: out, now: now) }
        }
        for i in lanes.indices { lanes[i].endMinute(t) }
    }
}
