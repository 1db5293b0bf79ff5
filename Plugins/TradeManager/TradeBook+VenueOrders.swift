public import BusWire
import Money
public import TradingWire

extension TradeBook {
    /// A venue order update (`venue.order`, from account-sync): when its `client_order_id` is a trade's entry key
    /// or the key of the close in flight and that order id is not known yet (the executor's answer was missed),
    /// the trade learns its order id, so the venue's fills match it by order id. An entry order the venue
    /// cancelled with nothing filled rejects the pending trade.
    ///
    /// The executor sends a valid key unchanged as the `client_order_id` (the contract's keys are always valid).
    public mutating func apply(venueOrder o: VenueOrderUpdate, now: BusTime) -> BookChanges {
        var changes = BookChanges()
        guard let cid = o.clientOrderID, entryOrders[o.orderID] == nil, closeOrders[o.orderID] == nil else { return changes }
        if var t = trades[cid], t.parentID == nil, t.record.entryOrderID == nil,
            t.record.status == .pending || t.record.status == .error {
            let previous = t.record.status
            t.record.entryOrderID = o.orderID
            entryOrders[o.orderID] = t.id
            if o.status == "canceled" && o.filledCount == .zero && totals(of: o.orderID) == nil {
                reject(&t, note: "the venue cancelled the order with nothing filled", now: now)
            }
            reconcileEntry(&t, now: now)
            commit(t, previous: previous, now: now, into: &changes)
            changes.fills += adopt(orderID: o.orderID, tradeID: t.id)
        } else if let id = closeKeys[cid], var t = trades[id], t.record.status == .closing, t.closeKey == cid,
            t.record.closeOrderID == nil {
            t.record.closeOrderID = o.orderID
            closeOrders[o.orderID] = t.id
            reconcileClose(&t, now: now)
            commit(t, previous: .closing, now: now, into: &changes)
            changes.fills += adopt(orderID: o.orderID, tradeID: t.id)
        }
        return changes
    }
}
