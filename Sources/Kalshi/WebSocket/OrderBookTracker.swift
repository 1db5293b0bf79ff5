public import Money

/// The order books of every market on `orderbook_delta` subscriptions: a pure state machine.
///
/// Feed it each snapshot and delta in arrival order. Sequence numbers are per subscription (`sid`); a gap, a
/// delta before its market's snapshot, or a delta that drives a level negative invalidates the affected books
/// and answers ``Action/resnapshot(sid:marketTickers:)``: ask Kalshi for fresh snapshots (`update_subscription`
/// with `get_snapshot`, or resubscribe). Invalid books are not served until their snapshot arrives.
public struct OrderBookTracker: Sendable {
    /// What the caller must do after a message.
    public enum Action: Sendable, Hashable {
        /// The book of this market changed and is valid.
        case updated(marketTicker: String)
        /// These books are invalid until new snapshots arrive.
        case resnapshot(sid: Int, marketTickers: [String])
    }

    private var books: [String: OrderBook] = [:]
    private var invalid: Set<String> = []
    private var lastSeq: [Int: Int] = [:]
    private var marketsBySid: [Int: Set<String>] = [:]

    /// An empty tracker.
    public init() {}

    /// The valid book of `marketTicker`, nil when none or while it waits for a snapshot.
    public func book(_ marketTicker: String) -> OrderBook? {
        invalid.contains(marketTicker) ? nil : books[marketTicker]
    }

    /// True when the market's book is waiting for a snapshot.
    public func isInvalid(_ marketTicker: String) -> Bool { invalid.contains(marketTicker) }

    /// Applies a snapshot: replaces the market's book and makes it valid.
    public mutating func applySnapshot(sid: Int, seq: Int?, marketTicker: String, yes: [PriceLevel], no: [PriceLevel]) -> [Action] {
        switch checkSequence(sid: sid, seq: seq, except: marketTicker) {
        case .duplicate: return []
        case .inOrder: return snapshotTail(sid, marketTicker, yes, no)
        case .gap(let actions): return actions + snapshotTail(sid, marketTicker, yes, no)
        }
    }

    private mutating func snapshotTail(_ sid: Int, _ ticker: String, _ yes: [PriceLevel], _ no: [PriceLevel]) -> [Action] {
        marketsBySid[sid, default: []].insert(ticker)
        books[ticker] = OrderBook(yes: yes, no: no)
        invalid.remove(ticker)
        return [.updated(marketTicker: ticker)]
    }

    /// Applies a delta: `delta` contracts added at `price` on `side`.
    public mutating func applyDelta(sid: Int, seq: Int?, marketTicker: String, side: OutcomeSide, price: Dollars,
                                    delta: Contracts) -> [Action] {
        marketsBySid[sid, default: []].insert(marketTicker)
        switch checkSequence(sid: sid, seq: seq, except: nil) {
        case .duplicate: return []
        case .gap(let actions): return actions
        case .inOrder: break
        }
        if invalid.contains(marketTicker) { return [] }  // already waiting for its snapshot
        guard var book = books[marketTicker], book.apply(side: side, price: price, delta: delta) else {
            invalid.insert(marketTicker)
            return [.resnapshot(sid: sid, marketTickers: [marketTicker])]
        }
        books[marketTicker] = book
        return [.updated(marketTicker: marketTicker)]
    }

    /// Forgets a subscription (after `unsubscribe` or a reconnect): its books become invalid and its sequence
    /// restarts.
    public mutating func reset(sid: Int) {
        lastSeq[sid] = nil
        for t in marketsBySid.removeValue(forKey: sid) ?? [] { invalid.insert(t) }
    }

    /// Forgets one market's book (its subscription no longer carries it).
    public mutating func forget(_ marketTicker: String) {
        books[marketTicker] = nil
        invalid.remove(marketTicker)
        for sid in Array(marketsBySid.keys) { marketsBySid[sid]?.remove(marketTicker) }
    }

    /// Forgets everything (a new connection starts every `seq` again).
    public mutating func resetAll() {
        for sid in Array(marketsBySid.keys) { reset(sid: sid) }
        lastSeq = [:]
    }

    private enum SequenceCheck { case inOrder, duplicate, gap([Action]) }

    /// Records `seq`. An old or repeated `seq` is a duplicate to drop; a jump invalidates the subscription's books
    /// (but `except`, which the snapshot being applied refreshes).
    private mutating func checkSequence(sid: Int, seq: Int?, except: String?) -> SequenceCheck {
        guard let seq else { return .inOrder }
        guard let last = lastSeq[sid] else {
            lastSeq[sid] = seq
            return .inOrder
        }
        if seq <= last { return .duplicate }
        lastSeq[sid] = seq
        if seq == last + 1 { return .inOrder }
        let affected = (marketsBySid[sid] ?? []).subtracting(except.map { [$0] } ?? []).sorted()
        for t in affected { invalid.insert(t) }
        return affected.isEmpty ? .inOrder : .gap([.resnapshot(sid: sid, marketTickers: affected)])
    }
}
