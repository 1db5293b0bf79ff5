public import BusWire
import Money
public import TradingWire

/// What the venue's fills of one order add up to.
struct FillTotals: Equatable {
    var count = Contracts.zero
    var cost = Dollars.zero
    var fees = Dollars.zero
}

extension TradeBook {
    /// A venue fill, matched by **order id** to the trade whose entry or close order it is. A fill id seen before
    /// changes nothing; a fill for an order not known yet is kept aside until the order event names that order.
    /// A sell fill (the system only buys) is kept as the buy of the opposite side at $1 minus its price.
    public mutating func apply(fill venueFill: VenueFill, now: BusTime) -> BookChanges {
        var fill = venueFill
        if fill.action == "sell" {
            fill.action = "buy"
            fill.side = venueFill.side.opposite
            fill.price = TradeMath.dollar - venueFill.price
        }
        var changes = BookChanges()
        guard fills[fill.fillID] == nil else { return changes }
        let stored = StoredFill(fill: fill, tradeID: entryOrders[fill.orderID] ?? closeOrders[fill.orderID])
        index(stored)
        changes.fills.append(stored)
        if stored.tradeID == nil, let order = waitingOrders[fill.orderID] {
            // The first fill of an order adopted from the venue once it bought something.
            let adopted = apply(venueOrder: order, now: now)
            if adopted.fills.contains(where: { $0.fill.fillID == fill.fillID }) { changes.fills.removeLast() }
            changes.merge(adopted)
            return changes
        }
        if let id = entryOrders[fill.orderID], var t = trades[id] {
            let before = t
            reconcileEntry(&t, now: now)
            if t != before { commit(t, previous: before.record.status, now: now, into: &changes) }
        }
        if let id = closeOrders[fill.orderID], var t = trades[id] {
            let before = t
            reconcileClose(&t, now: now)
            if t != before { commit(t, previous: before.record.status, now: now, into: &changes) }
            // A final close order seen before its fills: answered once they cover it.
            if let order = waitingOrders[fill.orderID] { changes.merge(apply(venueOrder: order, now: now)) }
        }
        return changes
    }

    /// The totals of the fills of `orderID`.
    func totals(of orderID: String?) -> FillTotals? {
        guard let orderID, let ids = fillsByOrder[orderID], !ids.isEmpty else { return nil }
        var t = FillTotals()
        for id in ids {
            guard let f = fills[id]?.fill else { continue }
            t.count = t.count + f.count
            t.cost = t.cost + f.price * f.count
            t.fees = t.fees + (f.fee ?? (f.isTaker == false ? .zero : TakerFee.of(count: f.count, price: f.price)))
        }
        return t
    }

    /// Lets the venue's entry fills correct the entry: they decide once they cover what the order event said
    /// (fewer fills are taken as not all arrived yet), and they open a trade still `pending` or wrongly
    /// `rejected`. A trade that has split off closed parts, or is final, keeps its numbers.
    mutating func reconcileEntry(_ t: inout BookTrade, now: BusTime) {
        guard let f = totals(of: t.record.entryOrderID), f.count > .zero, t.parentID == nil,
            parts[t.id, default: []].isEmpty else { return }
        switch t.record.status {
        case .pending, .error, .rejected:
            if t.record.status == .rejected {
                t.record.note = "the venue's fills contradict the rejection"
            } else if t.record.note != Self.adoptedNote {
                t.record.note = nil
            }
            t.record.status = .open
            t.record.finishedTs = nil
        case .open, .closing, .expired:
            guard t.entryFromFills || f.count >= t.record.count else { return }
        case .closed, .settled:
            return
        }
        t.entryFromFills = true
        t.record.count = f.count
        t.entryCost = f.cost
        t.record.entryFees = f.fees
        t.record.entryPrice = TradeMath.average(f.cost, over: f.count)
        if let o = t.record.closeOrderID, closeOrders[o] == t.id, t.record.status == .closing { reconcileClose(&t, now: now) }
        if t.record.status == .open, let r = marketResults[t.record.ticker] { settle(&t, result: r.result, ts: r.ts, now: now) }
    }

    /// Lets the venue's close fills correct a close: a `closing` trade closes once its fills cover every contract;
    /// a closed record takes the fills' price and fees once they cover its count.
    mutating func reconcileClose(_ t: inout BookTrade, now: BusTime) {
        guard let f = totals(of: t.record.closeOrderID), f.count > .zero else { return }
        switch t.record.status {
        case .closing:
            guard f.count >= t.record.count else { return }
            t.closeFromFills = true
            finishClose(&t, cost: TradeMath.share(of: f.cost, part: t.record.count, whole: f.count),
                        fees: f.fees, now: now)
        case .closed:
            guard t.closeFromFills || f.count >= t.record.count else { return }
            let cost = f.count > t.record.count ? TradeMath.share(of: f.cost, part: t.record.count, whole: f.count) : f.cost
            guard cost != t.closeCost || f.fees != t.record.closeFees else { return }
            t.closeFromFills = true
            finishClose(&t, cost: cost, fees: f.fees, now: now)
        default:
            return
        }
    }
}
