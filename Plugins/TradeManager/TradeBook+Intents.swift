public import BusWire
import CivilTime
import Money
public import TradingWire

extension TradeBook {
    /// An order intent: an entry opens a `pending` trade with id = key (a repeat changes nothing); a close moves
    /// the open trade named by `trade_id` to `closing`.
    ///
    /// An intent that arrives after its trade (or close) was made without it — from the executor's answer or
    /// adopted from the venue — merges into it: the trade (same id = key) takes the intent's strategy, method,
    /// strike, model figures and entry time (a close its method); its status, counts and money stay as they are. It
    /// never makes a second trade: an entry key already adopted as a close (or a close key adopted as a trade) is
    /// left alone and reported in ``BookChanges/warnings``.
    public mutating func apply(intent: OrderIntent, now: BusTime) -> BookChanges {
        var changes = BookChanges()
        switch intent.purpose {
        case .entry:
            if var t = trades[intent.key] {
                guard t.parentID == nil, t.record.strategy == Self.unknown else { return changes }
                let before = t
                merge(intent, into: &t)
                if t != before { commit(t, previous: t.record.status, now: now, into: &changes) }
                return changes
            }
            if let id = closeKeys[intent.key] {
                changes.warnings.append("entry intent \(intent.key) arrived after its order was taken as the close of \(id); no second trade made")
                return changes
            }
            let entered = BusTime(rfc3339: Array(intent.createdTime.utf8)).map { $0.microseconds / 1_000_000 } ?? now.unixSeconds
            let record = TradeRecord(
                id: intent.key, status: .pending, ticker: intent.ticker, eventTicker: intent.eventTicker, strike: intent.strike,
                side: intent.side, requestedCount: intent.count, count: .zero, entryPrice: nil, entryFees: .zero, entryOrderID: nil,
                closeOrderID: nil, closePrice: nil, closeFees: .zero, exitValue: nil, pnl: nil, result: nil, strategy: intent.strategy,
                entryMethod: intent.method, closeMethod: nil, probability: intent.probability, edge: intent.edge,
                btcAtEntry: intent.btcPrice ?? lastBTC, btcAtClose: nil, momentum: intent.momentum,
                closeTs: closeTs(of: intent.eventTicker), enteredTs: entered, finishedTs: nil, note: nil, updatedTime: "")
            commit(BookTrade(record: record), previous: nil, now: now, into: &changes)
        case .close:
            if let id = closeKeys[intent.key] {
                // A close made without its intent takes the intent's method.
                guard var t = trades[id], t.record.closeMethod == Self.unknown else { return changes }
                t.record.closeMethod = intent.method
                commit(t, previous: t.record.status, now: now, into: &changes)
                return changes
            }
            if trades[intent.key] != nil {
                changes.warnings.append("close intent \(intent.key) arrived after its order was adopted as a trade; it is not applied")
                return changes
            }
            guard let id = intent.tradeID, var t = trades[id], t.record.status == .open else {
                return changes
            }
            t.record.status = .closing
            t.record.closeMethod = intent.method
            t.closeKey = intent.key
            closeKeys[intent.key] = id
            commit(t, previous: .open, now: now, into: &changes)
        }
        return changes
    }

    /// The executor's answer to an intent, matched by key (entries) or by trade id and key (closes). Repeats of an
    /// answer already applied change nothing.
    public mutating func apply(event: OrderEvent, now: BusTime) -> BookChanges {
        event.purpose == .entry ? applyEntry(event, now: now) : applyClose(event, now: now)
    }

    /// Fills in what only the intent knows into a trade made without it; status, counts and money are kept.
    private func merge(_ intent: OrderIntent, into t: inout BookTrade) {
        t.record.strategy = intent.strategy
        t.record.entryMethod = intent.method
        t.record.requestedCount = intent.count
        t.record.strike = intent.strike ?? t.record.strike
        t.record.probability = intent.probability ?? t.record.probability
        t.record.edge = intent.edge ?? t.record.edge
        t.record.momentum = intent.momentum ?? t.record.momentum
        t.record.btcAtEntry = intent.btcPrice ?? t.record.btcAtEntry
        if let entered = BusTime(rfc3339: Array(intent.createdTime.utf8)) { t.record.enteredTs = entered.unixSeconds }
        if t.record.note == Self.adoptedNote { t.record.note = "adopted from the venue: the executor's answer was missed" }
    }

    /// The close of an event: the market feed's, else the one its ticker names.
    func closeTs(of eventTicker: String) -> Int64? { eventCloses[eventTicker] ?? EasternTime.closeTs(eventTicker: eventTicker) }

    private mutating func applyEntry(_ event: OrderEvent, now: BusTime) -> BookChanges {
        var changes = BookChanges()
        let existing = trades[event.key]
        if existing == nil, let id = closeKeys[event.key] {
            changes.warnings.append("entry answer \(event.key) arrived after its order was taken as the close of \(id); no second trade made")
            return changes
        }
        var t = existing ?? BookTrade(record: record(from: event, now: now))
        let previous = existing?.record.status
        let before = t
        if let o = event.orderID, t.record.entryOrderID == nil || t.record.status == .pending || t.record.status == .error {
            t.record.entryOrderID = o
            entryOrders[o] = t.id
        }
        if t.record.status == .pending || t.record.status == .error {
            switch event.outcome {
            case .accepted: t.record.note = nil
            case .error: t.record.note = "entry outcome unknown: " + (event.reason ?? "the venue did not answer")
            case .filled, .partiallyFilled:
                if event.filledCount > .zero {
                    let price = event.averagePrice ?? event.limitPrice
                    t.record.status = .open
                    t.record.count = event.filledCount
                    t.entryCost = price * event.filledCount
                    t.record.entryFees = event.fees ?? TakerFee.of(count: event.filledCount, price: price)
                    t.record.entryPrice = TradeMath.average(t.entryCost, over: t.record.count)
                    t.record.note = event.averagePrice == nil ? "no average price in the order event; the limit is assumed" : nil
                } else {
                    reject(&t, note: "the order filled nothing", now: now)
                }
            case .cancelled, .rejected:
                reject(&t, note: event.reason ?? "entry \(event.outcome.rawValue)", now: now)
            }
        }
        reconcileEntry(&t, now: now)
        if existing == nil || t != before { commit(t, previous: previous, now: now, into: &changes) }
        changes.fills += adopt(orderID: t.record.entryOrderID, tradeID: t.id)
        return changes
    }

    mutating func reject(_ t: inout BookTrade, note: String, now: BusTime) {
        t.record.status = .rejected
        t.record.note = note
        t.record.finishedTs = now.unixSeconds
    }

    /// A trade for an entry answer whose intent this book never saw (it was down): what the answer says.
    private func record(from e: OrderEvent, now: BusTime) -> TradeRecord {
        TradeRecord(
            id: e.key, status: .pending, ticker: e.ticker, eventTicker: e.eventTicker, strike: nil, side: e.side,
            requestedCount: e.requestedCount, count: .zero, entryPrice: nil, entryFees: .zero, entryOrderID: nil,
            closeOrderID: nil, closePrice: nil, closeFees: .zero, exitValue: nil, pnl: nil, result: nil, strategy: "unknown",
            entryMethod: e.source == "auto-entry" ? "auto" : "manual", closeMethod: nil, probability: nil, edge: nil,
            btcAtEntry: lastBTC, btcAtClose: nil, momentum: nil, closeTs: closeTs(of: e.eventTicker), enteredTs: now.unixSeconds,
            finishedTs: nil, note: nil, updatedTime: "")
    }

    /// Fills kept aside for `orderID` (and those matched to `previous`, the trade a closed part was split from)
    /// now belong to `tradeID`: the changed fills to write.
    mutating func adopt(orderID: String?, tradeID: String, from previous: String? = nil) -> [StoredFill] {
        guard let orderID else { return [] }
        var out: [StoredFill] = []
        for id in fillsByOrder[orderID] ?? [] where fills[id]?.tradeID == nil || (previous != tradeID && fills[id]?.tradeID == previous) {
            fills[id]?.tradeID = tradeID
            if let f = fills[id] { out.append(f) }
        }
        return out
    }
}
