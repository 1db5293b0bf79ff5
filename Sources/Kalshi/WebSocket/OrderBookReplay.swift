public import Money

/// One market's book replayed from a recording of one subscription: a snapshot (possibly partial, see
/// ``PartialOrderBook``) then deltas in `seq` order. A pure state machine.
///
/// Every snapshot resets the book, whether its `seq` continues the recording's sequence (a re-snapshot) or
/// restarts it (the recorder reconnected). A delta is applied only when its `seq` is the last one plus one; a
/// gap, or an exact level driven negative, invalidates the book until the next snapshot, as a live book would be.
public struct OrderBookReplay: Sendable, Hashable {
    /// What became of one delta.
    public enum Outcome: Sendable, Hashable {
        /// Applied; the book is valid.
        case applied
        /// No snapshot yet, or the book is invalid and waits for one.
        case noBook
        /// The `seq` was not newer than the last one: dropped.
        case duplicate
        /// The `seq` jumped: the book is now invalid.
        case gap
        /// The delta drove an exact level negative: the book is now invalid.
        case inconsistent
    }

    /// The valid book, nil before the first snapshot and while invalid.
    public private(set) var book: PartialOrderBook?
    /// The last `seq` seen, nil before the first snapshot.
    public private(set) var lastSeq: Int?

    /// Nothing replayed yet.
    public init() {}

    /// True when `seq` is the next one of this recording's sequence.
    public func continues(seq: Int) -> Bool { lastSeq.map { seq == $0 + 1 } ?? false }

    /// Applies a snapshot: replaces the book and takes `seq` as the sequence's new position.
    public mutating func applySnapshot(seq: Int, yes: [PriceLevel], no: [PriceLevel], complete: Bool = false) {
        book = PartialOrderBook(yes: yes, no: no, complete: complete)
        lastSeq = seq
    }

    /// Applies a delta of `delta` contracts at `price` on `side`.
    public mutating func applyDelta(seq: Int, side: OutcomeSide, price: Dollars, delta: Contracts) -> Outcome {
        guard let last = lastSeq else { return .noBook }
        if seq <= last { return .duplicate }
        lastSeq = seq
        guard seq == last + 1 else {
            book = nil
            return .gap
        }
        guard book != nil else { return .noBook }
        guard book!.apply(side: side, price: price, delta: delta) else {
            book = nil
            return .inconsistent
        }
        return .applied
    }
}
