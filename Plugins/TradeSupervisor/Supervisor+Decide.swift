import BusWire
import Money
import TradingWire

extension Supervisor {
    /// The highest limit a close may carry.
    static let maxLimit = Dollars(cents: 99)

    /// Applies the ripcord and auto-stop to every `open` trade (never pending, closing or expired ones): at most one
    /// close in flight per trade.
    mutating func evaluate(now: BusTime) -> [OrderIntent] {
        var out: [OrderIntent] = []
        for trade in trades {
            guard trade.status == .open else { below[trade.id] = nil; continue }
            let fresh = row(for: trade, now: now)
            trackProbability(trade, fresh?.row, now: now)
            if let attempt = attempts[trade.id] {
                switch attempt.state {
                case .pending, .done: continue
                case .failed(let retryAt): if now < retryAt { continue }
                }
            }
            guard let method = closeReason(trade, now: now), let fresh, let row = fresh.row,
                  let ask = row.ask(trade.side.opposite), ask > .zero else { continue }
            let number = (attempts[trade.id]?.number ?? 0) + 1
            let held = attempts[trade.id]?.held
            let count = min(trade.count, held ?? trade.count)
            guard count > .zero else { continue }
            let intent = closeIntent(trade, count: count, method: method, ask: ask, table: fresh.table, row: row, number: number, now: now)
            attempts[trade.id] = CloseAttempt(intent: intent, state: .pending(nextRepeat: now.adding(seconds: settings.repeatInterval)),
                                              number: number, held: held)
            out.append(intent)
        }
        return out
    }

    /// Starts or stops the confirmation timer from a fresh probability; stale or missing data changes nothing.
    mutating func trackProbability(_ trade: TradeRecord, _ row: StrikeRow?, now: BusTime) {
        guard settings.autoStop else { below[trade.id] = nil; return }
        guard let row else { return }
        if row.probability(trade.side) < settings.stopProbabilityPercent / 100 {
            if below[trade.id] == nil { below[trade.id] = now }
        } else {
            below[trade.id] = nil
        }
    }

    /// `ripcord` when momentum is fresh and beyond the threshold against the trade's side; `auto-stop` when the
    /// probability stayed below the threshold for the confirmation period and the trade is old enough; else nil.
    func closeReason(_ trade: TradeRecord, now: BusTime) -> String? {
        if settings.ripcordEnabled, let m = momentum, m.at.seconds(until: now) <= settings.maxDataAge {
            if (trade.side == .no && m.value >= settings.ripcordThreshold) || (trade.side == .yes && m.value <= -settings.ripcordThreshold) {
                return "ripcord"
            }
        }
        if settings.autoStop, let since = below[trade.id], since.seconds(until: now) >= settings.confirmationSeconds,
           Double(now.microseconds / 1_000_000 - trade.enteredTs) >= settings.minSecondsSinceEntry {
            return "auto-stop"
        }
        return nil
    }

    /// Buy the opposite side, `count` (what the trade still holds), at the opposite ask + slippage (at most 99¢), IOC.
    func closeIntent(_ trade: TradeRecord, count: Contracts, method: String, ask: Dollars, table: StrikeTable, row: StrikeRow, number: Int,
                     now: BusTime) -> OrderIntent {
        let p = row.probability(trade.side)
        let tag = method == "ripcord" ? "rip" : "stop"
        let key = "sv-\(tag)-\(Self.hash(trade.id))-\(number)-\(now.microseconds / 1000)"
        let why = method == "ripcord"
            ? "ripcord: momentum \(momentum?.value ?? 0) against \(trade.side.rawValue)"
            : "auto-stop: p(win) \(Int((p * 100).rounded()))% below \(settings.stopProbabilityPercent)% for \(Int(settings.confirmationSeconds))s"
        return OrderIntent(
            key: key, source: source, purpose: .close, tradeID: trade.id, ticker: trade.ticker, eventTicker: trade.eventTicker,
            side: trade.side.opposite, count: count, limitPrice: min(ask + settings.maxSlippage, Self.maxLimit),
            timeInForce: .immediateOrCancel, strike: trade.strike ?? row.strike, probability: 1 - p, edge: row.edge(trade.side.opposite),
            btcPrice: table.btcPrice, momentum: momentum?.value, strategy: trade.strategy, method: method, reason: why,
            createdTime: now.description, expiresTs: now.microseconds / 1_000_000 + Int64(settings.intentTTL.rounded(.up)))
    }

    /// The live view of every listed trade.
    public func snapshot(now: BusTime) -> SupervisedTrades {
        SupervisedTrades(trades: trades.map { view($0, now: now) }, autoStop: settings.autoStop, ripcord: settings.ripcordEnabled,
                         momentum: momentum?.value, time: now.description)
    }

    /// One trade's live figures.
    public func view(_ trade: TradeRecord, now: BusTime) -> SupervisedTrade {
        let entry = tables[trade.eventTicker]
        let row = entry?.table.rows.first { $0.ticker == trade.ticker }
        let close = row?.ask(trade.side.opposite)
        var distance: Dollars?
        if let d = row?.distance {
            distance = d
        } else if let table = entry?.table, let strike = trade.strike {
            distance = table.btcPrice - strike
        }
        if trade.side == .no, let d = distance { distance = -d }
        let attempt = attempts[trade.id]
        return SupervisedTrade(
            tradeID: trade.id, status: trade.status, ticker: trade.ticker, eventTicker: trade.eventTicker, side: trade.side,
            count: trade.count, entryPrice: trade.entryPrice, winProbability: row.map { $0.probability(trade.side) }, closePrice: close,
            pnl: Self.livePnL(trade, closePrice: close), secondsSinceEntry: now.microseconds / 1_000_000 - trade.enteredTs,
            distance: distance, ttcSeconds: entry.map { max(0, $0.table.closeTs - now.microseconds / 1_000_000) },
            belowThresholdSince: below[trade.id]?.description, closeMethod: attempt?.intent.method, closeKey: attempt?.intent.key)
    }

    /// `(1 − close − entry) × count − entry fees − the taker fee of closing now`; nil without both prices.
    public static func livePnL(_ trade: TradeRecord, closePrice: Dollars?) -> Dollars? {
        guard let close = closePrice, let entry = trade.entryPrice else { return nil }
        let perContract = Dollars(micros: Dollars.scale) - close - entry
        return perContract * trade.count - trade.entryFees - TakerFee.of(count: trade.count, price: close)
    }

    /// FNV-1a of `text` as 16 hex digits: keeps close keys short whatever the trade id's length.
    static func hash(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
