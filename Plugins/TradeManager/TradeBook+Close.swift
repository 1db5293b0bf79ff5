import BusWire
import Money
import TradingWire

extension TradeBook {
    /// A close answer: acts on the trade that is `closing` for this key (or `open`, when the intent was missed);
    /// an answer already applied changes nothing.
    mutating func applyClose(_ event: OrderEvent, now: BusTime) -> BookChanges {
        var changes = BookChanges()
        if trades[event.key] != nil {
            // A close key is never a trade's id: this key's order was adopted from the venue as a trade.
            changes.warnings.append("close answer \(event.key) arrived after its order was adopted as a trade; it is not applied")
            return changes
        }
        guard let id = event.tradeID ?? closeKeys[event.key], var t = trades[id], !resolvedCloseKeys.contains(event.key),
            t.record.status == .open || t.record.status == .closing else { return changes }
        let final = ![.accepted, .error].contains(event.outcome)
        if final { resolvedCloseKeys.insert(event.key) }
        if t.record.status == .closing && t.closeKey != event.key {
            // An answer to another close of this trade: it matters only if it bought something.
            guard event.filledCount > .zero else { return changes }
            t.closeKey = event.key
            closeKeys[event.key] = id
        }
        let previous = t.record.status
        if t.record.status == .open {
            t.record.status = .closing
            t.closeKey = event.key
            t.record.closeMethod = event.source == "trade-supervisor" ? "auto" : "manual"
            closeKeys[event.key] = id
        }
        if let o = event.orderID {
            t.record.closeOrderID = o
            closeOrders[o] = id
        }
        switch event.outcome {
        case .accepted:
            t.record.note = nil
        case .error:
            t.record.note = "close outcome unknown: " + (event.reason ?? "the venue did not answer")
        case .cancelled, .rejected, .filled, .partiallyFilled:
            let price = event.averagePrice ?? event.limitPrice
            var filled = min(event.filledCount, t.record.count)
            var cost = price * filled
            var fees = event.fees ?? (filled > .zero ? TakerFee.of(count: filled, price: price) : .zero)
            if let f = totals(of: t.record.closeOrderID), f.count >= filled, f.count > .zero {
                filled = min(f.count, t.record.count)
                cost = TradeMath.share(of: f.cost, part: filled, whole: f.count)
                fees = f.fees
                t.closeFromFills = true
            }
            if filled >= t.record.count {
                finishClose(&t, cost: cost, fees: fees, now: now)
            } else if filled > .zero {
                let part = splitPart(of: &t, count: filled, cost: cost, fees: fees, key: event.key, now: now)
                commit(part, previous: nil, now: now, into: &changes)
                reopen(&t, note: nil)
            } else {
                reopen(&t, note: "close \(event.outcome.rawValue): " + (event.reason ?? "nothing filled"))
            }
        }
        commit(t, previous: previous, now: now, into: &changes)
        changes.fills += adopt(orderID: event.orderID, tradeID: closeOrders[event.orderID ?? ""] ?? id, from: id)
        if t.record.status == .open, let r = marketResults[t.record.ticker] {
            settle(&t, result: r.result, ts: r.ts, now: now)
            commit(t, previous: previous, now: now, into: &changes)
        }
        return changes
    }

    /// Back to `open` after a close that filled nothing (or split off a part): the close is forgotten.
    private func reopen(_ t: inout BookTrade, note: String?) {
        t.record.status = .open
        t.closeKey = nil
        t.record.closeMethod = nil
        t.record.closeOrderID = nil
        t.closeFromFills = false
        t.record.note = note
    }

    /// Closes every contract: close price = cost / count, exit value = 1 − close price,
    /// PnL = count × $1 − close cost − entry cost − all fees.
    mutating func finishClose(_ t: inout BookTrade, cost: Dollars, fees: Dollars, now: BusTime) {
        t.record.status = .closed
        t.closeCost = cost
        t.record.closeFees = fees
        t.record.closePrice = TradeMath.average(cost, over: t.record.count)
        t.record.exitValue = t.record.closePrice.map { TradeMath.dollar - $0 }
        let pnl = TradeMath.pnl(exitTotal: TradeMath.dollar * t.record.count - cost, entryCost: t.entryCost, fees: t.fees)
        t.record.pnl = pnl
        t.record.result = TradeMath.result(of: pnl)
        if t.record.btcAtClose == nil { t.record.btcAtClose = lastBTC }
        if t.record.finishedTs == nil { t.record.finishedTs = now.unixSeconds }
    }

    /// Splits `count` contracts closed by a partial close off `t` as a closed part with their share of the entry
    /// cost and fees; `t` keeps the rest.
    private mutating func splitPart(of t: inout BookTrade, count: Contracts, cost: Dollars, fees: Dollars, key: String,
                                    now: BusTime) -> BookTrade {
        var part = t
        part.record.id = t.id + "#" + key
        part.parentID = t.id
        part.closeKey = key
        part.entryFromFills = t.entryFromFills
        part.record.count = count
        part.record.requestedCount = count
        part.entryCost = TradeMath.share(of: t.entryCost, part: count, whole: t.record.count)
        part.record.entryFees = TradeMath.share(of: t.record.entryFees, part: count, whole: t.record.count)
        part.record.entryPrice = TradeMath.average(part.entryCost, over: count)
        t.entryCost = t.entryCost - part.entryCost
        t.record.entryFees = t.record.entryFees - part.record.entryFees
        t.record.count = t.record.count - count
        t.record.entryPrice = TradeMath.average(t.entryCost, over: t.record.count)
        finishClose(&part, cost: cost, fees: fees, now: now)
        part.record.note = "closed part of \(t.id)"
        closeKeys[key] = part.id
        if let o = part.record.closeOrderID { closeOrders[o] = part.id }
        return part
    }
}
