public import BusWire
public import MarketWire
import Money
public import TradingWire

extension TradeBook {
    /// The expiration check (top of the hour, or on demand): every `open` trade whose event closed at or before
    /// `now` becomes `expired`, with BTC at close from the latest tick; one whose market result is already known
    /// settles at once.
    public mutating func expire(now: BusTime) -> BookChanges {
        var changes = BookChanges()
        for var t in liveTrades(where: { $0.record.status == .open }) {
            guard let close = t.record.closeTs, close <= now.unixSeconds else { continue }
            t.record.status = .expired
            t.record.closeMethod = "expired"
            t.record.btcAtClose = lastBTC ?? t.record.btcAtClose
            if let r = marketResults[t.record.ticker] { settle(&t, result: r.result, ts: r.ts, now: now) }
            commit(t, previous: .open, now: now, into: &changes)
        }
        return changes
    }

    /// The venue's settlement of one market for this account: settles that market's `expired` and `open` trades.
    public mutating func apply(settlement s: VenueSettlement, now: BusTime) -> BookChanges {
        settleMarket(ticker: s.ticker, result: s.result, ts: s.settledTs, now: now)
    }

    /// A market lifecycle message: `determined` or `settled` with a result settles the market; a close time
    /// corrects the close of its trades.
    public mutating func apply(lifecycle e: MarketLifecycleEvent, now: BusTime) -> BookChanges {
        var changes = BookChanges()
        if let close = e.closeTs {
            for var t in liveTrades(where: { $0.record.ticker == e.marketTicker && $0.record.closeTs != close }) {
                t.record.closeTs = close
                commit(t, previous: t.record.status, now: now, into: &changes)
            }
        }
        if e.eventType == "determined" || e.eventType == "settled", let result = e.result {
            changes.merge(settleMarket(ticker: e.marketTicker, result: result, ts: e.closeTs ?? now.unixSeconds, now: now))
        }
        return changes
    }

    /// Settles every `expired` or `open` trade of `ticker`, each with its own side's value. A `pending` trade
    /// with no fill becomes `error` (its entry's outcome is still unknown and the market is over), kept for the
    /// record and for a person to check.
    public mutating func settleMarket(ticker: String, result: String, ts: Int64, now: BusTime) -> BookChanges {
        var changes = BookChanges()
        let result = result.lowercased()
        guard ["yes", "no", "void"].contains(result) else { return changes }
        marketResults[ticker] = (result, ts)
        for var t in liveTrades(where: { $0.record.ticker == ticker }) {
            let previous = t.record.status
            switch previous {
            case .open, .expired:
                settle(&t, result: result, ts: ts, now: now)
            case .pending:
                t.record.status = .error
                t.record.note = "the market settled while the entry's outcome was unknown; check the venue"
            default:
                continue
            }
            commit(t, previous: previous, now: now, into: &changes)
        }
        return changes
    }

    /// Settles one trade: exit value $1 when its side won, $0 when it lost, its entry price when the market was
    /// voided; PnL = exit × count − entry cost − all fees.
    mutating func settle(_ t: inout BookTrade, result: String, ts: Int64, now: BusTime) {
        let exit: Dollars
        switch result {
        case "void": exit = t.record.entryPrice ?? .zero
        default: exit = result == t.record.side.rawValue ? TradeMath.dollar : .zero
        }
        let exitTotal = result == "void" ? t.entryCost : exit * t.record.count
        t.record.status = .settled
        t.record.exitValue = exit
        t.record.closePrice = exit
        if t.record.closeMethod == nil { t.record.closeMethod = "expired" }
        if t.record.btcAtClose == nil { t.record.btcAtClose = lastBTC }
        let pnl = TradeMath.pnl(exitTotal: exitTotal, entryCost: t.entryCost, fees: t.fees)
        t.record.pnl = pnl
        t.record.result = TradeMath.result(of: pnl)
        t.record.finishedTs = ts
        t.record.note = result == "void" ? "market voided" : t.record.note
    }
}
