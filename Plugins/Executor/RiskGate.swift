import BusWire
import CivilTime
import Money
import TradingWire

/// The executor's risk limits, from `[plugin.executor]`.
public struct RiskLimits: Sendable, Hashable {
    /// `max_order_contracts`: the most contracts one entry may buy (default 100).
    public var maxOrderContracts = Contracts(whole: 100)
    /// `max_order_cost`: the most one entry may cost, count × limit price + fees (default $50).
    public var maxOrderCost = Dollars(cents: 5_000)
    /// `max_market_contracts`: the most contracts held (net, whichever side) in one market (default 250).
    public var maxMarketContracts = Contracts(whole: 250)
    /// `max_event_cost`: the most entry cost held in one event, over all its markets (default $200).
    public var maxEventCost = Dollars(cents: 20_000)
    /// `max_total_cost`: the most entry cost held in every event not yet closed (default $1,000).
    public var maxTotalCost = Dollars(cents: 100_000)
    /// `max_hourly_cost`: the most entry cost sent in any 60 minutes (default $500).
    public var maxHourlyCost = Dollars(cents: 50_000)
    /// `max_daily_loss`: the most the US Eastern day may lose, counting every open position as lost (default $500).
    public var maxDailyLoss = Dollars(cents: 50_000)
    /// `orders_per_minute`: entries sent in any 60 s (default 30).
    public var ordersPerMinute = 30
    /// `series`: the series intents may trade (default `KXBTCD`).
    public var series: Set<String> = ["KXBTCD"]

    /// The defaults.
    public init() {}
}

/// The risk checks every intent passes before it may reach the venue. Pure: the clock is passed in.
///
/// The facts come from the ticker and the ``PositionBook``, never from what the intent claims: its event and series
/// are derived from its ticker. Entries are checked against every rule. A close must name its trade, may be the only
/// close in flight for that trade, and is capped at what that trade and its market still hold on the side it
/// reduces (the count to send is the check's answer); a close with nothing to reduce is refused. Closes pass
/// REDUCING and HALTED, never a hard halt.
public struct RiskGate: Sendable {
    /// Why an intent was refused.
    public enum Rule: String, Sendable, Hashable, CaseIterable {
        case stale, price, count, tradingState = "trading_state", rate, orderContracts = "order_contracts"
        case orderCost = "order_cost", marketContracts = "market_contracts", eventCost = "event_cost"
        case ticker, series, oppositeSide = "opposite_side", totalCost = "total_cost", hourlyCost = "hourly_cost"
        case dailyLoss = "daily_loss", closeTrade = "close_trade", alreadyClosing = "already_closing", nothingHeld = "nothing_held"
    }

    /// A refusal: the rule and a sentence for the answer's `reason`.
    public struct Rejection: Error, Sendable, Hashable {
        /// The rule broken.
        public var rule: Rule
        /// A clear reason.
        public var reason: String
    }

    /// The limits in force.
    public var limits: RiskLimits
    /// What is held.
    public private(set) var book = PositionBook()
    /// The US Eastern day's cash: fills and settlements.
    public private(set) var day = DayLedger()
    private var sends: [BusTime] = []
    private var sentCost: [(at: BusTime, cost: Dollars)] = []
    /// Rejections so far, by rule.
    public private(set) var rejections: [Rule: Int] = [:]

    /// A gate with `limits` and nothing held.
    public init(limits: RiskLimits) { self.limits = limits }

    /// What an entry of `count` at `price` costs at most: count × price plus the taker fee.
    public static func cost(count: Contracts, price: Dollars) -> Dollars { price * count + TakerFee.of(count: count, price: price) }

    /// Contracts held in `ticker` (net, whichever side), with entries in flight.
    public func contracts(market ticker: String) -> Contracts { book.contracts(market: ticker) }

    /// Entry cost held in `event`, with entries in flight.
    public func cost(event: String) -> Dollars { book.cost(event: event) }

    /// Checks `intent` at `now` under `trading`. Passed: the count to send (a close's may be lower than asked), with
    /// the entry's exposure or the close's contracts reserved until its answer. Refused: counted by rule.
    public mutating func check(_ intent: OrderIntent, trading: TradingHolds, now: BusTime) -> Result<Contracts, Rejection> {
        switch evaluate(intent, trading: trading, now: now) {
        case .failure(let rejection):
            rejections[rejection.rule, default: 0] += 1
            return .failure(rejection)
        case .success(let count):
            let names = Self.names(intent)
            switch intent.purpose {
            case .entry:
                let cost = Self.cost(count: count, price: intent.limitPrice)
                sends.append(now)
                sentCost.append((now, cost))
                book.reserveEntry(intent, event: names.event, closeTs: names.closeTs, cost: cost, now: now)
            case .close:
                book.reserveClose(intent, tradeID: intent.tradeID ?? "", count: count, event: names.event, closeTs: names.closeTs, now: now)
            }
            return .success(count)
        }
    }

    private mutating func evaluate(_ intent: OrderIntent, trading: TradingHolds, now: BusTime) -> Result<Contracts, Rejection> {
        func no(_ rule: Rule, _ reason: String) -> Result<Contracts, Rejection> { .failure(Rejection(rule: rule, reason: reason)) }
        if let expires = intent.expiresTs, expires <= now.unixSeconds {
            return no(.stale, "the intent expired at \(expires) (now \(now.unixSeconds))")
        }
        guard intent.limitPrice >= Dollars(cents: 1), intent.limitPrice <= Dollars(cents: 99) else {
            return no(.price, "limit price \(intent.limitPrice.formatted(decimals: 4)) is outside 0.01…0.99")
        }
        guard intent.count > .zero else { return no(.count, "count must be positive, got \(intent.count)") }
        guard let names = MarketNames.parse(intent.ticker) else {
            return no(.ticker, "\(intent.ticker) is not a market ticker of an hourly event")
        }
        guard names.event == intent.eventTicker else {
            return no(.ticker, "\(intent.ticker) belongs to \(names.event), not to \(intent.eventTicker)")
        }
        guard limits.series.contains(names.series) else {
            return no(.series, "series \(names.series) is not in the executor's series (\(limits.series.sorted().joined(separator: ", ")))")
        }
        guard trading.allows(intent.purpose) else {
            let what = trading.mode == .halted && trading.hard ? "HALTED hard: nothing trades"
                : trading.mode == .halted ? "HALTED: closes only" : "REDUCING: closes only"
            return no(.tradingState, "trading is \(what) (\(trading.holderSummary))")
        }
        return intent.purpose == .entry ? evaluateEntry(intent, names: names, now: now) : evaluateClose(intent)
    }

    private func evaluateClose(_ intent: OrderIntent) -> Result<Contracts, Rejection> {
        func no(_ rule: Rule, _ reason: String) -> Result<Contracts, Rejection> { .failure(Rejection(rule: rule, reason: reason)) }
        guard let id = intent.tradeID, !id.isEmpty else { return no(.closeTrade, "a close must name the trade it closes") }
        if let pending = book.closing[id] {
            return no(.alreadyClosing, "trade \(id) is already closing (intent \(pending.key)); one close at a time")
        }
        let reduced = intent.side.opposite  // a close buys the other side of what the trade holds
        guard let trade = book.holding(trade: id) else {
            return no(.closeTrade, "trade \(id) is neither one the executor entered nor one the trade manager lists as open")
        }
        guard trade.ticker == intent.ticker, trade.side == reduced else {
            return no(.closeTrade, "trade \(id) holds \(trade.side.rawValue) on \(trade.ticker): its close buys \(trade.side.opposite.rawValue) on \(trade.ticker)")
        }
        let available = min(book.closable(market: intent.ticker, side: reduced), trade.held)
        guard available > .zero else {
            return no(.nothingHeld, "nothing held to close: no \(reduced.rawValue) position in \(intent.ticker) for trade \(id)")
        }
        return .success(min(intent.count, available))
    }

    private mutating func evaluateEntry(_ intent: OrderIntent, names: MarketNames.Parts, now: BusTime) -> Result<Contracts, Rejection> {
        func no(_ rule: Rule, _ reason: String) -> Result<Contracts, Rejection> { .failure(Rejection(rule: rule, reason: reason)) }
        if let held = book.heldSide(market: intent.ticker), held != intent.side {
            return no(.oppositeSide, "\(held.rawValue) is held in \(intent.ticker): an entry on \(intent.side.rawValue) would net against it (close instead)")
        }
        sends.removeAll { $0.adding(seconds: 60) <= now }
        if sends.count >= limits.ordersPerMinute {
            return no(.rate, "\(sends.count) entries in the last minute; the limit is \(limits.ordersPerMinute)")
        }
        if intent.count > limits.maxOrderContracts {
            return no(.orderContracts, "\(intent.count) contracts exceeds max_order_contracts \(limits.maxOrderContracts)")
        }
        let cost = Self.cost(count: intent.count, price: intent.limitPrice)
        if cost > limits.maxOrderCost {
            return no(.orderCost, "order cost \(Self.text(cost)) exceeds max_order_cost \(Self.text(limits.maxOrderCost))")
        }
        let held = book.contracts(market: intent.ticker)
        if held + intent.count > limits.maxMarketContracts {
            return no(.marketContracts, "\(held) held + \(intent.count) in \(intent.ticker) exceeds max_market_contracts \(limits.maxMarketContracts)")
        }
        let eventCost = book.cost(event: names.event)
        if eventCost + cost > limits.maxEventCost {
            return no(.eventCost, "\(Self.text(eventCost)) held + \(Self.text(cost)) in \(names.event) exceeds max_event_cost \(Self.text(limits.maxEventCost))")
        }
        let atRisk = book.costAtRisk(now: now)
        if atRisk + cost > limits.maxTotalCost {
            return no(.totalCost, "\(Self.text(atRisk)) at risk + \(Self.text(cost)) exceeds max_total_cost \(Self.text(limits.maxTotalCost))")
        }
        sentCost.removeAll { $0.at.adding(seconds: 3_600) <= now }
        let hour = sentCost.reduce(Dollars.zero) { $0 + $1.cost }
        if hour + cost > limits.maxHourlyCost {
            return no(.hourlyCost, "\(Self.text(hour)) entered in the last hour + \(Self.text(cost)) exceeds max_hourly_cost \(Self.text(limits.maxHourlyCost))")
        }
        let loss = worstLoss(now: now)
        if loss + cost > limits.maxDailyLoss {
            return no(.dailyLoss, "today's worst case \(Self.text(loss)) + \(Self.text(cost)) exceeds max_daily_loss \(Self.text(limits.maxDailyLoss))")
        }
        return .success(intent.count)
    }

    /// What the US Eastern day of `now` loses if every open position and entry in flight is lost: the day's cash out
    /// less its cash in, plus the cost reserved by entries in flight.
    public func worstLoss(now: BusTime) -> Dollars {
        let pending = book.markets.values.reduce(Dollars.zero) { $0 + $1.pendingCost }
        return max(-day.cash(on: now), .zero) + pending
    }

    /// True when the day's worst case has reached `max_daily_loss`: entries stop until the next US Eastern day.
    public func dailyLossReached(now: BusTime) -> Bool { worstLoss(now: now) >= limits.maxDailyLoss }

    /// Applies `intent`'s final answer at `now`: reservations (when `reserved`) are released, fills move the book
    /// and the day's cash.
    public mutating func record(_ intent: OrderIntent, answer: OrderEvent, reserved: Bool, now: BusTime) {
        let names = Self.names(intent)
        book.record(intent, sent: answer.requestedCount, answer: answer, reserved: reserved, event: names.event, closeTs: names.closeTs, now: now)
        let filled = max(answer.filledCount, .zero)
        guard filled > .zero else { return }
        let paid = (answer.averagePrice ?? intent.limitPrice) * filled + (answer.fees ?? .zero)
        if intent.purpose == .entry, !reserved { sentCost.append((now, paid)) }  // replayed at start: the hour's cap survives
        // A close buys the other side: the pair is worth $1 a contract and Kalshi releases it at once.
        day.add(intent.purpose == .entry ? -paid : Dollars(cents: 100) * filled - paid, at: now)
    }

    /// Reserves an entry or close left in flight by a previous run (its answer will come from the resolver).
    public mutating func reserveInFlight(_ intent: OrderIntent, now: BusTime) {
        let names = Self.names(intent)
        switch intent.purpose {
        case .entry:
            book.reserveEntry(intent, event: names.event, closeTs: names.closeTs, cost: Self.cost(count: intent.count, price: intent.limitPrice), now: now)
        case .close:
            guard let id = intent.tradeID else { return }
            book.reserveClose(intent, tradeID: id, count: intent.count, event: names.event, closeTs: names.closeTs, now: now)
        }
    }

    /// A settlement's payout, into the cash of the day it settled.
    public mutating func record(settlement s: VenueSettlement) {
        day.add(s.revenue - (s.fee ?? .zero), at: BusTime(seconds: s.settledTs))
    }

    /// The trade manager's open trades (`trade.state.open`).
    public mutating func apply(_ open: OpenTrades) { book.list(open.trades) }

    /// The venue's positions, taken at `time` (see ``PositionBook/apply(venue:at:margin:)``).
    public mutating func apply(_ positions: AccountPositions, at time: BusTime) {
        book.apply(venue: positions.positions, at: time, margin: 5)
    }

    static func names(_ intent: OrderIntent) -> (event: String, closeTs: Int64?) {
        let parts = MarketNames.parse(intent.ticker)
        return (parts?.event ?? intent.eventTicker, parts?.closeTs)
    }

    static func text(_ d: Dollars) -> String { "$" + d.formatted(decimals: 2) }
}

/// The cash of one US Eastern day: negative when more went out than came in.
public struct DayLedger: Sendable, Hashable {
    /// The day (`2026-12-07`) and its cash.
    public private(set) var date = ""
    private var cash = Dollars.zero

    /// An empty ledger.
    public init() {}

    /// Adds `amount` on the US Eastern day of `time`; a new day starts from zero, an earlier day's amount is dropped.
    mutating func add(_ amount: Dollars, at time: BusTime) {
        let d = EasternTime.local(time.unixSeconds).dateText
        if d > date { date = d; cash = .zero }
        if d == date { cash = cash + amount }
    }

    /// The cash of the US Eastern day of `now` (zero when nothing happened that day).
    public func cash(on now: BusTime) -> Dollars { EasternTime.local(now.unixSeconds).dateText == date ? cash : .zero }
}
