public import Money

/// A market's book seeded from a snapshot that may list only the **top** levels of each side, as recordings do
/// that kept the best bid of each leg and not the full depth.
///
/// Each side is exact from the lowest price its snapshot listed upward (the snapshot's levels are the top of that
/// side, so nothing rested above them). Below that price the resting counts are **unknown**: a delta there is
/// accepted and counted, not applied, and never invalidates the book. A side whose snapshot listed nothing was
/// empty, so it is exact at every price. While a side's exact part holds a level, that level is the side's best
/// bid; once the exact part is empty, the best bid is ``Top/unknown`` (it sits somewhere below).
///
/// This is for replaying recordings. Live books come from full snapshots and use the strict ``OrderBook`` and
/// ``OrderBookTracker``; seeding this type with `complete: true` gives the same tops.
public struct PartialOrderBook: Sendable, Hashable {
    /// The best bid of one side as far as the book knows.
    public enum Top: Sendable, Hashable {
        /// The best bid, price and count exact.
        case level(PriceLevel)
        /// The side has no bids at all.
        case empty
        /// The side's exact part is empty; the best bid, if any, rests at a price the snapshot did not cover.
        case unknown
    }

    /// One side's bids (YES bids in YES price, or NO bids in NO-leg price).
    public struct Side: Sendable, Hashable {
        /// Exact levels: the count by price, only at prices at or above ``knownFrom``.
        public private(set) var levels: [Dollars: Contracts] = [:]
        /// The lowest price from which up the side is exact; nil when the whole side is exact.
        public let knownFrom: Dollars?
        /// How many deltas fell below ``knownFrom`` (accepted, not applied).
        public private(set) var unknownLevelDeltas = 0
        private var best: Dollars?

        /// A side seeded with `levels` (counts at or below zero are left out). Unless `complete`, a non-empty
        /// `levels` is taken as the top of the side and prices below its lowest price are unknown.
        public init(levels: [PriceLevel], complete: Bool) {
            let listed = levels.filter { $0.count > .zero }
            for l in listed { self.levels[l.price] = l.count }
            knownFrom = complete ? nil : listed.map(\.price).min()
            best = self.levels.keys.max()
        }

        /// The best bid as far as the side knows.
        public var top: Top {
            if let best, let count = levels[best] { return .level(PriceLevel(price: best, count: count)) }
            return knownFrom == nil ? .empty : .unknown
        }

        /// Adds `delta` at `price`. False when an exact level would go negative (the book no longer matches the
        /// exchange's); a delta at an unknown price is only counted.
        public mutating func apply(price: Dollars, delta: Contracts) -> Bool {
            if let knownFrom, price < knownFrom {
                unknownLevelDeltas += 1
                return true
            }
            let next = (levels[price] ?? .zero) + delta
            guard next >= .zero else { return false }
            if next == .zero {
                levels[price] = nil
                if price == best { best = levels.keys.max() }
            } else {
                levels[price] = next
                if best.map({ price > $0 }) ?? true { best = price }
            }
            return true
        }
    }

    /// YES bids, by YES price.
    public private(set) var yes: Side
    /// NO bids, by NO-leg price.
    public private(set) var no: Side

    /// A book seeded from a snapshot's levels; `complete` says the snapshot listed every level (as Kalshi's do).
    public init(yes: [PriceLevel], no: [PriceLevel], complete: Bool = false) {
        self.yes = Side(levels: yes, complete: complete)
        self.no = Side(levels: no, complete: complete)
    }

    /// Adds `delta` at `price` on `side`; false when an exact level would go negative.
    public mutating func apply(side: OutcomeSide, price: Dollars, delta: Contracts) -> Bool {
        side == .yes ? yes.apply(price: price, delta: delta) : no.apply(price: price, delta: delta)
    }

    /// The best YES bid.
    public var yesBid: Top { yes.top }
    /// The best YES ask: 1 − the best NO bid, with that level's count.
    public var yesAsk: Top {
        guard case .level(let l) = no.top else { return no.top }
        return .level(PriceLevel(price: Dollars(micros: Dollars.scale) - l.price, count: l.count))
    }
}
