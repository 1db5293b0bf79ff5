public import BusWire
import Money
public import TradingWire

extension TradeBook {
    /// The note of a trade adopted from the venue.
    public static let adoptedNote = "adopted from the venue: the intent and the executor's answer were missed"
    /// The note of a close adopted from the venue.
    public static let adoptedCloseNote = "close adopted from the venue: the close intent and the executor's answer were missed"
    /// The strategy and method of a trade (or close) whose intent this book has not seen.
    public static let unknown = "unknown"

    /// A venue order update (`venue.order`, from account-sync): the venue's word on an order, which catches the book
    /// up when the intent, the executor's answer, or both were missed. Replays change nothing.
    ///
    /// - A `client_order_id` that is a trade's entry key (or the key of the close in flight) teaches the trade its
    ///   order id, so the venue's fills match it by order id. The executor sends a valid key unchanged as the
    ///   `client_order_id` (the contract's keys are always valid).
    /// - A final order (`executed`, `canceled`) stands in for the executor's answer a trade still waits for: an
    ///   entry cancelled with nothing filled is rejected (one that filled opens from its fills); a close is
    ///   answered as the executor would have (closed, a closed part split off, or back to `open`) once the venue's
    ///   fills cover what the order filled.
    /// - An order whose `client_order_id` the book does not know (the intent and the answer were both missed) is
    ///   **adopted** once it has filled something: an order that reduces the one `open` trade on its market (a buy
    ///   of the opposite side, or a sell of the same side, for no more contracts than the trade holds) becomes that
    ///   trade's close (the trade goes `closing` and is answered as above once the fills cover the order); any other
    ///   buy becomes a new trade with id = the client order id (the intent's key, so a late intent or answer merges
    ///   into it) holding the order's filled count at the order's price until its fills correct them, strategy
    ///   `unknown`, and a note. An order that could close more than one
    ///   trade, or that sells what no trade holds, is left alone, noted on the trades it could close and reported in
    ///   ``BookChanges/warnings``. An order that filled nothing creates nothing (one still resting is remembered, and
    ///   its first fill adopts it). Only markets of ``adoptedSeries`` are adopted, and only orders with a
    ///   `client_order_id` (rec.io sets one on every order): an order without one was placed by someone else (the
    ///   user on Kalshi's site, another program) and is reported once in ``BookChanges/warnings``, not adopted,
    ///   unless ``adoptForeignOrders`` is set.
    ///
    /// The system only buys (a close buys the opposite side). A sell of a side at a price is taken as the buy of the
    /// opposite side at $1 minus that price it amounts to; it only ever closes (a sell that reduces no trade is left
    /// alone).
    public mutating func apply(venueOrder order: VenueOrderUpdate, now: BusTime) -> BookChanges {
        let sell = order.action == "sell"
        let o = sell ? Self.asBuy(order) : order
        if let id = entryOrders[o.orderID] { return entryOrderUpdate(o, tradeID: id, now: now) }
        if let id = closeOrders[o.orderID] { return closeOrderUpdate(o, recordID: id, now: now) }
        let cid = o.clientOrderID ?? o.orderID
        if var t = trades[cid] {
            // The trade's own entry order, whose answer was missed.
            guard t.parentID == nil, t.record.entryOrderID == nil, t.record.status == .pending || t.record.status == .error
            else { return BookChanges() }
            t.record.entryOrderID = o.orderID
            entryOrders[o.orderID] = t.id
            store(t)
            var changes = entryOrderUpdate(o, tradeID: t.id, now: now, force: true)
            changes.fills += adopt(orderID: o.orderID, tradeID: t.id)
            return changes
        }
        if let id = closeKeys[cid] {
            // The close in flight, whose answer was missed.
            guard var t = trades[id], t.record.status == .closing, t.closeKey == cid, t.record.closeOrderID == nil else {
                return BookChanges()
            }
            t.record.closeOrderID = o.orderID
            closeOrders[o.orderID] = t.id
            store(t)
            var changes = closeOrderUpdate(o, recordID: t.id, now: now, force: true)
            changes.fills += adopt(orderID: o.orderID, tradeID: closeOrders[o.orderID] ?? t.id)
            return changes
        }
        return adoptUnknown(o, key: cid, sell: sell, now: now)
    }

    /// A sell of a side at a price as the buy of the opposite side at $1 minus that price.
    static func asBuy(_ o: VenueOrderUpdate) -> VenueOrderUpdate {
        var b = o
        b.action = "buy"
        b.side = o.side.opposite
        b.price = o.price.map { TradeMath.dollar - $0 }
        return b
    }

    /// True for an order the venue is done with.
    static func isFinal(_ o: VenueOrderUpdate) -> Bool { o.status == "executed" || o.status == "canceled" }

    /// A later word on a known entry order: a trade still `pending` (or `error`) is rejected by the order cancelled
    /// with nothing filled; one that filled opens from its fills (the executor's answer, when it comes, or the
    /// venue's fills decide the numbers, never the order's limit price).
    private mutating func entryOrderUpdate(_ o: VenueOrderUpdate, tradeID: String, now: BusTime,
                                           force: Bool = false) -> BookChanges {
        var changes = BookChanges()
        guard var t = trades[tradeID], t.parentID == nil else { return changes }
        let before = t
        let previous = t.record.status
        if t.record.status == .pending || t.record.status == .error, totals(of: o.orderID) == nil,
            o.status == "canceled" && o.filledCount == .zero {
            reject(&t, note: "the venue cancelled the order with nothing filled", now: now)
        }
        reconcileEntry(&t, now: now)
        if force || t != before { commit(t, previous: previous, now: now, into: &changes) }
        return changes
    }

    /// A later word on a known close order: a final order answers a close still `closing` on it, as the executor's
    /// answer would have, once the venue's fills cover what it filled (a partial close then splits off as usual);
    /// until they do it waits for them. A close cancelled with nothing filled goes back to `open`.
    private mutating func closeOrderUpdate(_ o: VenueOrderUpdate, recordID: String, now: BusTime,
                                           force: Bool = false) -> BookChanges {
        guard var t = trades[recordID] else { return BookChanges() }
        if t.record.status == .closing, t.record.closeOrderID == o.orderID, let key = t.closeKey,
            !resolvedCloseKeys.contains(key), Self.isFinal(o) {
            let f = totals(of: o.orderID)
            let covered = f.map { $0.count >= o.filledCount && $0.count > .zero } ?? false
            let nothing = f == nil && o.filledCount == .zero && o.status == "canceled"
            if covered || nothing {
                waitingOrders[o.orderID] = nil
                var changes = applyClose(answer(o, key: key, tradeID: t.id, count: t.record.count), now: now)
                if force && changes.transitions.isEmpty { commit(t, previous: .closing, now: now, into: &changes) }
                return changes
            }
            waitingOrders[o.orderID] = o
        }
        var changes = BookChanges()
        let before = t
        reconcileClose(&t, now: now)
        if force || t != before { commit(t, previous: before.record.status, now: now, into: &changes) }
        return changes
    }

    /// The executor's answer a final close order stands for: filled (or partly, or cancelled with nothing) at the
    /// order's price; the venue's fills, when they cover it, set the numbers instead.
    private func answer(_ o: VenueOrderUpdate, key: String, tradeID: String, count: Contracts) -> OrderEvent {
        let filled = max(o.filledCount, totals(of: o.orderID)?.count ?? .zero)
        let outcome: OrderOutcome = filled >= count ? .filled : filled > .zero ? .partiallyFilled : .cancelled
        return OrderEvent(
            key: key, source: "venue", purpose: .close, tradeID: tradeID, outcome: outcome, orderID: o.orderID,
            clientOrderID: o.clientOrderID ?? key, ticker: o.ticker, eventTicker: Self.eventTicker(ofMarket: o.ticker),
            side: o.side, requestedCount: o.filledCount + o.remainingCount, filledCount: filled, averagePrice: o.price,
            fees: nil, limitPrice: o.price ?? .zero, reason: "the venue \(o.status == "canceled" ? "cancelled" : "executed") the order",
            mode: "", replayed: false, time: "")
    }

    /// Opens `t` with `count` contracts at `price` (the venue's fills correct it once they cover the count).
    private mutating func open(_ t: inout BookTrade, count: Contracts, price: Dollars, note: String, now: BusTime) {
        t.record.status = .open
        t.record.finishedTs = nil
        t.record.count = count
        t.entryCost = price * count
        t.record.entryFees = TakerFee.of(count: count, price: price)
        t.record.entryPrice = TradeMath.average(t.entryCost, over: count)
        t.record.note = note
        if let r = marketResults[t.record.ticker] { settle(&t, result: r.result, ts: r.ts, now: now) }
    }

    /// An order whose client order id the book does not know: a close of the one open trade it reduces, else (a
    /// buy) a new trade, once it has filled something.
    private mutating func adoptUnknown(_ o: VenueOrderUpdate, key: String, sell: Bool, now: BusTime) -> BookChanges {
        var changes = BookChanges()
        if resolvedCloseKeys.contains(key) { return changes }
        if let series = adoptedSeries, !o.ticker.hasPrefix(series + "-") { return changes }  // not this book's markets
        if o.clientOrderID == nil && !adoptForeignOrders {
            if reportedForeign.insert(o.orderID).inserted {
                changes.warnings.append("venue order \(o.orderID) (\(o.side.rawValue) on \(o.ticker), \(o.status)) has no client_order_id: rec.io did not place it, so it is not taken as a trade (adopt_foreign_orders = true would)")
            }
            return changes
        }
        let filled = max(o.filledCount, totals(of: o.orderID)?.count ?? .zero)
        guard filled > .zero else {
            // Nothing bought (yet): a cancelled order creates nothing; a resting one waits for its first fill.
            if Self.isFinal(o) { waitingOrders[o.orderID] = nil } else { waitingOrders[o.orderID] = o }
            return changes
        }
        waitingOrders[o.orderID] = nil
        let reduces = liveTrades { t in
            t.record.ticker == o.ticker && t.parentID == nil && t.record.side == o.side.opposite
                && (t.record.status == .open || (t.record.status == .closing && t.record.closeOrderID == nil))
        }
        if reduces.isEmpty && !sell { return adoptEntry(o, key: key, now: now) }
        let size = max(o.filledCount + o.remainingCount, filled)
        guard reduces.count == 1, var t = reduces.first, size <= t.record.count else {
            let what = sell ? "venue order \(o.orderID) (client order id \(key)): sell \(size) \(o.side.opposite.rawValue) on \(o.ticker)"
                : "venue order \(o.orderID) (client order id \(key)): buy \(size) \(o.side.rawValue) on \(o.ticker)"
            let why = reduces.isEmpty ? "no trade holds what it sells" : "it could close \(reduces.map(\.id).sorted().joined(separator: ", "))"
            changes.warnings.append("\(what) left alone: \(why); check the venue")
            for var r in reduces.sorted(by: { $0.id < $1.id }) {
                let note = "an unplaced \(what) may close this trade; check the venue"
                guard r.record.note != note else { continue }
                r.record.note = note
                commit(r, previous: r.record.status, now: now, into: &changes)
            }
            return changes
        }
        let previous = t.record.status
        t.record.status = .closing
        t.closeKey = key
        t.record.closeMethod = Self.unknown
        t.record.closeOrderID = o.orderID
        t.closeFromFills = false
        t.record.note = Self.adoptedCloseNote
        closeKeys[key] = t.id
        closeOrders[o.orderID] = t.id
        commit(t, previous: previous, now: now, into: &changes)
        // From here on it is a close in flight whose answer was missed: answered once its fills cover the order.
        changes.merge(closeOrderUpdate(o, recordID: t.id, now: now))
        changes.fills += adopt(orderID: o.orderID, tradeID: closeOrders[o.orderID] ?? t.id)
        return changes
    }

    /// A buy no intent of this book named: a new trade, id = its client order id.
    private mutating func adoptEntry(_ o: VenueOrderUpdate, key: String, now: BusTime) -> BookChanges {
        var changes = BookChanges()
        let eventTicker = Self.eventTicker(ofMarket: o.ticker)
        let record = TradeRecord(
            id: key, status: .pending, ticker: o.ticker, eventTicker: eventTicker, strike: Self.strike(ofMarket: o.ticker),
            side: o.side, requestedCount: max(o.filledCount + o.remainingCount, o.filledCount), count: .zero, entryPrice: nil,
            entryFees: .zero, entryOrderID: o.orderID, closeOrderID: nil, closePrice: nil, closeFees: .zero, exitValue: nil,
            pnl: nil, result: nil, strategy: Self.unknown, entryMethod: Self.unknown, closeMethod: nil, probability: nil, edge: nil,
            btcAtEntry: nil, btcAtClose: nil, momentum: nil, closeTs: closeTs(of: eventTicker),
            enteredTs: o.ts > 0 ? o.ts : now.unixSeconds, finishedTs: nil, note: Self.adoptedNote, updatedTime: "")
        var t = BookTrade(record: record)
        entryOrders[o.orderID] = key
        store(t)
        let fills = adopt(orderID: o.orderID, tradeID: key)
        if totals(of: o.orderID) == nil, o.filledCount > .zero, let price = o.price {
            open(&t, count: o.filledCount, price: price, note: Self.adoptedNote, now: now)
        }
        reconcileEntry(&t, now: now)
        t.record.note = t.record.note == "market voided" ? t.record.note : Self.adoptedNote
        commit(t, previous: nil, now: now, into: &changes)
        changes.fills += fills
        return changes
    }

    /// The event of a market: `KXBTCD-25MAY1522-T106249.99` → `KXBTCD-25MAY1522` (everything before the last `-`).
    public static func eventTicker(ofMarket ticker: String) -> String {
        guard let dash = ticker.lastIndex(of: "-") else { return ticker }
        return String(ticker[..<dash])
    }

    /// The strike a market ticker names (`…-T106249.99` → 106249.99), nil when it names none.
    public static func strike(ofMarket ticker: String) -> Dollars? {
        guard let dash = ticker.lastIndex(of: "-") else { return nil }
        let tail = ticker[ticker.index(after: dash)...]
        guard tail.first == "T" else { return nil }
        return Dollars(tail.dropFirst())
    }
}
