import BusWire
import Money
import TradingWire

extension EntryDecider {
    /// The highest limit price ever sent: a contract pays $1, so paying more cannot win.
    static let maxLimit = Dollars(cents: 99)

    /// `model.watchlist.<event>`: applies every rule to every row, highest probability first, and returns the
    /// entries to make. Each entry counts against the caps of the rows after it.
    public mutating func watchlist(_ w: Watchlist, now: BusTime) -> EntryPass {
        lastTTC[w.eventTicker] = w.ttcSeconds
        spike.update(now: now, settings: settings)
        var pass = EntryPass()
        if let g = gate(ttc: w.ttcSeconds) { pass.blocked = g; return pass }
        for row in w.rows.sorted(by: { $0.winProbability > $1.winProbability }) {
            switch decide(row, in: w, now: now) {
            case .success(let intent):
                pass.intents.append(intent)
                made[intent.key] = MadeEntry(intent: intent, at: now, cost: intent.limitPrice * intent.count,
                                             state: .pending(nextRepeat: now.adding(seconds: settings.repeatInterval)))
            case .failure(let skip):
                pass.skipped[row.ticker] = skip
            }
        }
        return pass
    }

    /// The cooldown key of a row: `ticker|side`.
    func cooldownKey(_ row: StrikeRow) -> String { "\(row.ticker)|\(row.activeSide.rawValue)" }

    /// One row: the original's rules in its order (cooldown first, recorded as soon as it passes), then the guards.
    private mutating func decide(_ row: StrikeRow, in w: Watchlist, now: BusTime) -> Result<OrderIntent, EntrySkip> {
        let side = row.activeSide
        let key = cooldownKey(row)
        if let last = evaluated[key], last.seconds(until: now) < settings.cooldown { return .failure(.cooldown) }
        evaluated[key] = now
        if isHeld(ticker: row.ticker, side: side, now: now) { return .failure(.duplicate) }
        if isHeld(ticker: row.ticker, side: side.opposite, now: now) { return .failure(.oppositeSide) }
        if !settings.allowReEntry && hadTrade(event: w.eventTicker, ticker: row.ticker, side: side) { return .failure(.reEntry) }
        let p = row.probability(side)
        if !(p >= settings.minProbabilityPercent / 100) { return .failure(.probability) }
        guard let edge = row.edge(side), edge >= settings.minEdge else { return .failure(.edge) }
        guard let ask = row.ask(side), ask > .zero, ask <= Self.maxLimit else { return .failure(.noAsk) }
        let limit = min(ask + settings.maxSlippage, Self.maxLimit)
        var count = settings.contracts
        if settings.sizing == .kelly {
            guard let balance else { return .failure(.balance) }
            let kelly = EntrySizing.kellyContracts(probability: p, limit: limit, bankroll: balance - settings.balanceReserve - pendingSpend(),
                                                   fraction: settings.kellyFraction)
            count = min(kelly, EntrySizing.fitting(settings.maxRiskPerEvent - riskInEvent(w.eventTicker), at: limit),
                        EntrySizing.fitting(settings.maxRiskPerHour - riskInLastHour(now: now), at: limit))
            guard count > .zero else { return .failure(.size) }
        }
        if let margin = settings.minEdgeAfterFee, !EntrySizing.clears(fair: row.fair(side), limit: limit, count: count, margin: margin) {
            return .failure(.edgeAfterFee)
        }
        let cost = limit * count
        if openPositionCount(now: now) >= settings.maxOpenPositions { return .failure(.maxOpenPositions) }
        if riskInEvent(w.eventTicker) + cost > settings.maxRiskPerEvent { return .failure(.eventRisk) }
        if riskInLastHour(now: now) + cost > settings.maxRiskPerHour { return .failure(.hourRisk) }
        let fee = TakerFee.of(count: count, price: limit)
        guard let balance, cost + fee <= balance - settings.balanceReserve - pendingSpend() else { return .failure(.balance) }
        let unix = now.microseconds / 1_000_000
        let ttl = Int64(settings.intentTTL.rounded(.up))
        return .success(OrderIntent(
            key: EntryKey.make(event: w.eventTicker, strike: row.strike, side: side, now: now), source: source, purpose: .entry,
            ticker: row.ticker, eventTicker: w.eventTicker, side: side, count: count, limitPrice: limit,
            timeInForce: .immediateOrCancel, strike: row.strike, probability: p, edge: edge, btcPrice: w.btcPrice,
            momentum: w.momentum ?? momentum, strategy: settings.strategy, method: "auto",
            reason: "auto-entry: p=\(Int((p * 100).rounded()))% edge=\(edge) ask=\(ask) ttc=\(w.ttcSeconds)s",
            createdTime: now.description, expiresTs: unix + ttl))
    }

    /// A trade on `ticker`+`side` that is not final, or one of our entries on it still in flight: pending, or bought
    /// but not yet listed by the trade manager (for at most a minute).
    func isHeld(ticker: String, side: TradeSide, now: BusTime) -> Bool {
        if openTrades?.contains(where: { $0.ticker == ticker && $0.side == side && !$0.status.isFinal }) == true { return true }
        return made.values.contains { m in
            m.intent.ticker == ticker && m.intent.side == side && isInFlight(m, now: now)
        }
    }

    /// Ours and not (yet) in `trade.state.open`.
    func isInFlight(_ m: MadeEntry, now: BusTime) -> Bool {
        switch m.state {
        case .pending: true
        case .bought, .gaveUp: !m.seenOpen && m.at.seconds(until: now) < 60
        case .nothing: false
        }
    }

    /// The ticker+side had a trade in this event: listed by the trade manager, or entered by us with contracts bought
    /// (or an answer still unknown).
    func hadTrade(event: String, ticker: String, side: TradeSide) -> Bool {
        if tradedInEvent.contains("\(event)|\(ticker)|\(side.rawValue)") { return true }
        return made.values.contains { m in
            m.intent.eventTicker == event && m.intent.ticker == ticker && m.intent.side == side && m.state != .nothing
        }
    }

    /// Trades holding a position plus our entries not yet listed.
    func openPositionCount(now: BusTime) -> Int {
        let listed = openTrades?.filter { $0.status.holdsPosition }.count ?? 0
        return listed + made.values.filter { isInFlight($0, now: now) }.count
    }

    /// Dollars at risk in `event`: every trade the trade manager lists there or told of at start (manual ones too, and
    /// ours from before a restart), plus our entries it does not list (in flight, or already finished: what was bought, or the full cap
    /// while unknown).
    func riskInEvent(_ event: String) -> Dollars {
        let listed = known.filter { $0.eventTicker == event }
        let ids = Set(listed.map(\.id))
        return listed.reduce(.zero) { $0 + Self.risk(of: $1) }
            + made.values.filter { $0.intent.eventTicker == event && !ids.contains($0.intent.key) }.reduce(.zero) { $0 + $1.cost }
    }

    /// Dollars entered in the last 60 minutes: listed trades entered then (whoever entered them), plus ours not listed.
    func riskInLastHour(now: BusTime) -> Dollars {
        let since = now.unixSeconds - 3_600
        let listed = known.filter { $0.enteredTs > since }
        let ids = Set(listed.map(\.id))
        return listed.reduce(.zero) { $0 + Self.risk(of: $1) }
            + made.values.filter { $0.at.seconds(until: now) < 3_600 && !ids.contains($0.intent.key) }.reduce(.zero) { $0 + $1.cost }
    }

    /// The trades the trade manager told of: the open list, then those from the store not in it (finished since).
    var known: [TradeRecord] {
        let open = openTrades ?? []
        let ids = Set(open.map(\.id))
        return open + recentTrades.filter { !ids.contains($0.id) && $0.status != .rejected && $0.status != .error }
    }

    /// What a listed trade put at risk: its entry cost, or, while pending, its requested count at the highest price.
    static func risk(of t: TradeRecord) -> Dollars {
        if let price = t.entryPrice, t.count > .zero { return price * t.count }
        return t.status == .pending ? maxLimit * t.requestedCount : .zero
    }

    /// What unanswered intents may still spend, with their fees: not yet in the balance.
    func pendingSpend() -> Dollars {
        made.values.filter(\.isPending).reduce(.zero) { $0 + $1.cost + TakerFee.of(count: $1.intent.count, price: $1.intent.limitPrice) }
    }
}
