import CivilTime
import BusWire
import Money
import TradingWire

/// What the executor knows is held, from its own answers and the venue's positions: the net position of every
/// market (Kalshi nets YES against NO per market, so YES counts positive and NO negative), the entry cost behind
/// it, what every trade it entered still holds, and the closes in flight. Pure: times are passed in.
///
/// Entries reserve their worst case (count and cost at the cap) until answered; closes reserve the contracts they
/// may take, so two closes never promise the same contracts twice.
public struct PositionBook: Sendable, Hashable {
    /// One market's holdings.
    public struct Market: Sendable, Hashable {
        /// The event, derived from the ticker.
        public var event: String
        /// When the event closes (Unix seconds), derived from the ticker; nil when the ticker does not name it.
        public var closeTs: Int64?
        /// Net filled position: YES positive, NO negative.
        public var position = Contracts.zero
        /// Entry cost and fees of the position held.
        public var cost = Dollars.zero
        /// Entries sent and not answered yet: their signed count and reserved cost.
        public var pendingEntry = Contracts.zero
        /// The reserved cost of those entries.
        public var pendingCost = Dollars.zero
        /// Contracts promised to closes in flight.
        public var pendingClose = Contracts.zero
        /// When the book last changed this market: a venue snapshot older than this is not applied.
        public var changed: BusTime

        /// Contracts held on `side` (zero when the position is on the other side).
        public func held(_ side: TradeSide) -> Contracts {
            side == .yes ? max(position, .zero) : max(-position, .zero)
        }
    }

    /// What one trade entered by the executor still holds.
    public struct Holding: Sendable, Hashable {
        /// The trade's market.
        public var ticker: String
        /// The side the trade bought.
        public var side: TradeSide
        /// Contracts it still holds.
        public var held: Contracts
    }

    /// A close on its way to the venue or waiting for its answer.
    public struct Closing: Sendable, Hashable {
        /// The close intent's key.
        public var key: String
        /// The contracts it may take.
        public var count: Contracts
    }

    /// Markets by ticker.
    public private(set) var markets: [String: Market] = [:]
    /// Trades entered through the executor, by trade id (the entry's key).
    public private(set) var trades: [String: Holding] = [:]
    /// Closes in flight, by trade id.
    public private(set) var closing: [String: Closing] = [:]
    /// The trades the trade manager lists as holding a position (`trade.state.open`), by id: how a close of a trade
    /// the executor did not enter (one adopted from the venue) is checked.
    public private(set) var listed: [String: Holding] = [:]

    /// An empty book.
    public init() {}

    /// The trade manager's open trades replace the listed ones.
    mutating func list(_ trades: [TradeRecord]) {
        listed = [:]
        for t in trades where t.status == .open || t.status == .closing || t.status == .expired {
            listed[t.id] = Holding(ticker: t.ticker, side: t.side, held: t.count)
        }
    }

    /// What trade `id` holds, as the executor's own answers say (for a trade it entered) and as the trade manager
    /// lists it, the smaller of the two when both know it; nil when neither does.
    public func holding(trade id: String) -> Holding? {
        switch (trades[id], listed[id]) {
        case (let own?, let list?) where own.ticker == list.ticker && own.side == list.side:
            Holding(ticker: own.ticker, side: own.side, held: min(own.held, list.held))
        case (let own?, _): own
        case (nil, let list): list
        }
    }

    /// The signed count of buying `count` of `side`.
    static func signed(_ count: Contracts, _ side: TradeSide) -> Contracts { side == .yes ? count : -count }

    /// Contracts held or reserved by entries in `ticker`, whichever side.
    public func contracts(market ticker: String) -> Contracts {
        guard let m = markets[ticker] else { return .zero }
        return abs(m.position + m.pendingEntry)
    }

    /// Entry cost held or reserved in `event`.
    public func cost(event: String) -> Dollars {
        markets.values.filter { $0.event == event }.reduce(.zero) { $0 + $1.cost + $1.pendingCost }
    }

    /// Entry cost held or reserved in every market whose event has not closed at `now`.
    public func costAtRisk(now: BusTime) -> Dollars {
        let second = now.unixSeconds
        return markets.values.filter { ($0.closeTs ?? Int64.max) > second }.reduce(.zero) { $0 + $1.cost + $1.pendingCost }
    }

    /// Contracts on `side` of `ticker` that a new close may still take (held, less what closes in flight promised).
    public func closable(market ticker: String, side: TradeSide) -> Contracts {
        guard let m = markets[ticker] else { return .zero }
        return max(m.held(side) - m.pendingClose, .zero)
    }

    /// The side held in `ticker`, if any.
    public func heldSide(market ticker: String) -> TradeSide? {
        guard let m = markets[ticker] else { return nil }
        let net = m.position + m.pendingEntry
        return net > .zero ? .yes : net < .zero ? .no : nil
    }

    /// Reserves an entry's worst case: `count` of `side` at `cost`.
    mutating func reserveEntry(_ intent: OrderIntent, event: String, closeTs: Int64?, cost: Dollars, now: BusTime) {
        update(intent.ticker, event: event, closeTs: closeTs, now: now) {
            $0.pendingEntry = $0.pendingEntry + Self.signed(intent.count, intent.side)
            $0.pendingCost = $0.pendingCost + cost
        }
    }

    /// Promises `count` contracts of the close's market to it until it is answered.
    mutating func reserveClose(_ intent: OrderIntent, tradeID: String, count: Contracts, event: String, closeTs: Int64?, now: BusTime) {
        closing[tradeID] = Closing(key: intent.key, count: count)
        update(intent.ticker, event: event, closeTs: closeTs, now: now) { $0.pendingClose = $0.pendingClose + count }
    }

    /// Applies a final answer: the reservation (when `reserved`) is released and what filled moves the position,
    /// its cost and the trade's holding. `sent` is the count the order asked for (a close may be capped below the
    /// intent's).
    mutating func record(_ intent: OrderIntent, sent: Contracts, answer: OrderEvent, reserved: Bool, event: String, closeTs: Int64?,
                         now: BusTime) {
        let filled = max(answer.filledCount, .zero)
        let fillCost = (answer.averagePrice ?? intent.limitPrice) * filled + (answer.fees ?? .zero)
        update(intent.ticker, event: event, closeTs: closeTs, now: now) { m in
            if reserved {
                switch intent.purpose {
                case .entry:
                    m.pendingEntry = m.pendingEntry - Self.signed(sent, intent.side)
                    m.pendingCost = max(m.pendingCost - RiskGate.cost(count: sent, price: intent.limitPrice), .zero)
                case .close: m.pendingClose = max(m.pendingClose - sent, .zero)
                }
            }
            Self.move(&m, by: Self.signed(filled, intent.side), cost: fillCost)
        }
        switch intent.purpose {
        case .entry:
            var h = trades[intent.key] ?? Holding(ticker: intent.ticker, side: intent.side, held: .zero)
            h.held = h.held + filled
            trades[intent.key] = h
        case .close:
            guard let id = intent.tradeID else { return }
            if reserved, closing[id]?.key == intent.key { closing[id] = nil }
            if var h = trades[id] {
                h.held = max(h.held - filled, .zero)
                trades[id] = h
            }
        }
    }

    /// Moves a position by `delta` bought at `cost`: growing adds the cost, shrinking releases the same share of the
    /// cost held, and crossing zero keeps the cost of the part beyond it.
    static func move(_ m: inout Market, by delta: Contracts, cost: Dollars) {
        guard delta != .zero else { return }
        let before = m.position, after = before + delta
        if before == .zero || (before > .zero) == (delta > .zero) {
            m.cost = m.cost + cost
        } else if abs(delta) <= abs(before) {
            m.cost = m.cost - share(m.cost, part: abs(delta), whole: abs(before))
        } else {
            m.cost = share(cost, part: abs(after), whole: abs(delta))
        }
        m.position = after
        if after == .zero { m.cost = .zero }
        m.cost = max(m.cost, .zero)
    }

    /// The venue's positions (account-sync's `account.positions`, taken at `time`): each market the book has not
    /// changed since shortly before `time` takes the venue's position; a market the venue no longer lists is flat.
    /// The cost follows the position down in proportion; a position the book did not know takes the venue's exposure.
    mutating func apply(venue positions: [VenuePosition], at time: BusTime, margin: Double) {
        var seen: Set<String> = []
        for p in positions {
            seen.insert(p.ticker)
            guard let parts = MarketNames.parse(p.ticker) else { continue }
            var m = markets[p.ticker] ?? Market(event: parts.event, closeTs: parts.closeTs, changed: BusTime(microseconds: 0))
            guard m.changed.adding(seconds: margin) <= time else { continue }
            take(&m, position: p.position, exposure: p.marketExposure)
            markets[p.ticker] = m
        }
        for (ticker, var m) in markets where !seen.contains(ticker) && m.position != .zero && m.changed.adding(seconds: margin) <= time {
            take(&m, position: .zero, exposure: nil)
            markets[ticker] = m
        }
    }

    private func take(_ m: inout Market, position: Contracts, exposure: Dollars?) {
        if position == .zero {
            m.cost = .zero
        } else if m.position == .zero || (m.position > .zero) != (position > .zero) {
            m.cost = exposure ?? .zero
        } else if abs(position) < abs(m.position) {
            m.cost = Self.share(m.cost, part: abs(position), whole: abs(m.position))
        }
        m.position = position
    }

    private mutating func update(_ ticker: String, event: String, closeTs: Int64?, now: BusTime, _ body: (inout Market) -> Void) {
        var m = markets[ticker] ?? Market(event: event, closeTs: closeTs, changed: now)
        body(&m)
        m.changed = now
        markets[ticker] = m
    }

    /// `whole`'s share `part / of`, rounded toward zero.
    static func share(_ amount: Dollars, part: Contracts, whole: Contracts) -> Dollars {
        guard whole > .zero else { return .zero }
        return Dollars(micros: Int64(Int128(amount.micros) * Int128(part.centis) / Int128(whole.centis)))
    }
}

/// The absolute value of a signed count.
func abs(_ c: Contracts) -> Contracts { c < .zero ? -c : c }
