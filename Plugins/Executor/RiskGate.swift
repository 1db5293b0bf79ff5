import BusWire
import Money
import TradingWire

/// The executor's risk limits, from `[plugin.executor]`.
public struct RiskLimits: Sendable, Hashable {
    /// `max_order_contracts`: the most contracts one entry may buy (default 100).
    public var maxOrderContracts = Contracts(whole: 100)
    /// `max_order_cost`: the most one entry may cost, count × limit price + fees (default $50).
    public var maxOrderCost = Dollars(cents: 5_000)
    /// `max_market_contracts`: the most contracts held (entered and not closed) in one market (default 250).
    public var maxMarketContracts = Contracts(whole: 250)
    /// `max_event_cost`: the most entry cost held in one event, over all its markets (default $200).
    public var maxEventCost = Dollars(cents: 20_000)
    /// `orders_per_minute`: entries sent in any 60 s (default 30).
    public var ordersPerMinute = 30

    /// The defaults.
    public init() {}
}

/// The risk checks every intent passes before it may reach the venue. Pure: the clock is passed in.
///
/// Entries are checked against every rule; closes only against staleness, price sanity and a hard halt, so a
/// position can always be closed unless trading is halted hard. Exposure per market and per event is reserved at
/// the cap when an entry passes and trued up to what filled when its answer is known (``record(_:answer:reserved:)``).
public struct RiskGate: Sendable {
    /// Why an intent was refused.
    public enum Rule: String, Sendable, Hashable, CaseIterable {
        case stale, price, count, tradingState = "trading_state", rate, orderContracts = "order_contracts"
        case orderCost = "order_cost", marketContracts = "market_contracts", eventCost = "event_cost"
    }

    /// A refusal: the rule and a sentence for the answer's `reason`.
    public struct Rejection: Error, Sendable, Hashable {
        /// The rule broken.
        public var rule: Rule
        /// A clear reason.
        public var reason: String
    }

    /// Contracts and entry cost held in one market.
    struct Exposure: Sendable, Hashable {
        var event: String
        var contracts = Contracts.zero
        var cost = Dollars.zero
    }

    /// The limits in force.
    public var limits: RiskLimits
    private var sends: [BusTime] = []
    private var markets: [String: Exposure] = [:]
    /// Rejections so far, by rule.
    public private(set) var rejections: [Rule: Int] = [:]

    /// A gate with `limits` and nothing held.
    public init(limits: RiskLimits) { self.limits = limits }

    /// What an entry of `count` at `price` costs at most: count × price plus the taker fee.
    public static func cost(count: Contracts, price: Dollars) -> Dollars { price * count + TakerFee.of(count: count, price: price) }

    /// Contracts held in `ticker`.
    public func contracts(market ticker: String) -> Contracts { markets[ticker]?.contracts ?? .zero }

    /// Entry cost held in `event`.
    public func cost(event: String) -> Dollars {
        markets.values.filter { $0.event == event }.reduce(.zero) { $0 + $1.cost }
    }

    /// Checks `intent` at `now` under `trading`; when it passes, an entry's exposure is reserved and its send is
    /// counted towards the rate limit. A refusal is counted by rule.
    public mutating func check(_ intent: OrderIntent, trading: TradingHolds, now: BusTime) -> Rejection? {
        if let rejection = evaluate(intent, trading: trading, now: now) {
            rejections[rejection.rule, default: 0] += 1
            return rejection
        }
        guard intent.purpose == .entry else { return nil }
        sends.append(now)
        reserve(intent)
        return nil
    }

    private mutating func evaluate(_ intent: OrderIntent, trading: TradingHolds, now: BusTime) -> Rejection? {
        if let expires = intent.expiresTs, expires <= now.microseconds / 1_000_000 {
            return Rejection(rule: .stale, reason: "the intent expired at \(expires) (now \(now.microseconds / 1_000_000))")
        }
        guard intent.limitPrice >= Dollars(cents: 1), intent.limitPrice <= Dollars(cents: 99) else {
            return Rejection(rule: .price, reason: "limit price \(intent.limitPrice.formatted(decimals: 4)) is outside 0.01…0.99")
        }
        guard intent.count > .zero else { return Rejection(rule: .count, reason: "count must be positive, got \(intent.count)") }
        guard trading.allows(intent.purpose) else {
            let what = trading.mode == .halted && trading.hard ? "HALTED hard: nothing trades"
                : trading.mode == .halted ? "HALTED: closes only" : "REDUCING: closes only"
            return Rejection(rule: .tradingState, reason: "trading is \(what) (\(trading.holderSummary))")
        }
        guard intent.purpose == .entry else { return nil }
        sends.removeAll { $0.adding(seconds: 60) <= now }
        if sends.count >= limits.ordersPerMinute {
            return Rejection(rule: .rate, reason: "\(sends.count) entries in the last minute; the limit is \(limits.ordersPerMinute)")
        }
        if intent.count > limits.maxOrderContracts {
            return Rejection(rule: .orderContracts, reason: "\(intent.count) contracts exceeds max_order_contracts \(limits.maxOrderContracts)")
        }
        let cost = Self.cost(count: intent.count, price: intent.limitPrice)
        if cost > limits.maxOrderCost {
            return Rejection(rule: .orderCost, reason: "order cost $\(cost.formatted(decimals: 2)) exceeds max_order_cost $\(limits.maxOrderCost.formatted(decimals: 2))")
        }
        let held = contracts(market: intent.ticker)
        if held + intent.count > limits.maxMarketContracts {
            return Rejection(rule: .marketContracts, reason: "\(held) held + \(intent.count) in \(intent.ticker) exceeds max_market_contracts \(limits.maxMarketContracts)")
        }
        let eventCost = self.cost(event: intent.eventTicker)
        if eventCost + cost > limits.maxEventCost {
            return Rejection(rule: .eventCost, reason: "$\(eventCost.formatted(decimals: 2)) held + $\(cost.formatted(decimals: 2)) in \(intent.eventTicker) exceeds max_event_cost $\(limits.maxEventCost.formatted(decimals: 2))")
        }
        return nil
    }

    mutating func reserve(_ intent: OrderIntent) {
        var e = markets[intent.ticker] ?? Exposure(event: intent.eventTicker)
        e.contracts = e.contracts + intent.count
        e.cost = e.cost + Self.cost(count: intent.count, price: intent.limitPrice)
        markets[intent.ticker] = e
    }

    /// Trues up the exposure once `intent`'s final answer is known: an entry's reservation (when `reserved`) is
    /// replaced by what filled; a close's fills release held contracts and a matching share of the cost.
    public mutating func record(_ intent: OrderIntent, answer: OrderEvent, reserved: Bool) {
        var e = markets[intent.ticker] ?? Exposure(event: intent.eventTicker)
        switch intent.purpose {
        case .entry:
            if reserved {
                e.contracts = e.contracts - intent.count
                e.cost = e.cost - Self.cost(count: intent.count, price: intent.limitPrice)
            }
            e.contracts = e.contracts + answer.filledCount
            e.cost = e.cost + (answer.averagePrice ?? intent.limitPrice) * answer.filledCount + (answer.fees ?? .zero)
        case .close:
            let closed = min(answer.filledCount, e.contracts)
            if closed > .zero, e.contracts > .zero {
                e.cost = e.cost - Dollars(micros: Int64(Int128(e.cost.micros) * Int128(closed.centis) / Int128(e.contracts.centis)))
                e.contracts = e.contracts - closed
            }
        }
        e.contracts = max(e.contracts, .zero)
        e.cost = max(e.cost, .zero)
        markets[intent.ticker] = e
    }
}
