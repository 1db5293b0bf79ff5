import BusWire
public import Money
public import TradingWire

/// One trade as the book keeps it: the published ``TradeRecord`` plus the exact totals behind its averages.
///
/// Averages (`entry_price`, `close_price`) are rounded to the micro for display; PnL is computed from the exact
/// totals, never from a rounded average.
public struct BookTrade: Sendable, Hashable {
    /// The public record.
    public var record: TradeRecord
    /// Σ price × count over the entry fills of the contracts this record holds.
    public var entryCost: Dollars
    /// Σ price × count over the close fills (the opposite side bought).
    public var closeCost: Dollars
    /// The close intent this record is waiting for (while `closing`) or was closed by.
    public var closeKey: String?
    /// For the closed part split off by a partial close: the trade it came from.
    public var parentID: String?
    /// True once the venue's fills, not the executor's order event, set the entry numbers.
    public var entryFromFills: Bool
    /// True once the venue's fills set the close numbers.
    public var closeFromFills: Bool

    /// A trade.
    public init(record: TradeRecord, entryCost: Dollars = .zero, closeCost: Dollars = .zero, closeKey: String? = nil,
                parentID: String? = nil, entryFromFills: Bool = false, closeFromFills: Bool = false) {
        self.record = record; self.entryCost = entryCost; self.closeCost = closeCost; self.closeKey = closeKey
        self.parentID = parentID; self.entryFromFills = entryFromFills; self.closeFromFills = closeFromFills
    }

    /// The trade's id.
    public var id: String { record.id }
    /// Entry and close fees together.
    public var fees: Dollars { record.entryFees + record.closeFees }
}

/// A venue fill as stored: the fill and the trade it was matched to (nil while its order is unknown).
public struct StoredFill: Sendable, Hashable {
    /// The fill.
    public var fill: VenueFill
    /// The trade whose entry or close order it belongs to.
    public var tradeID: String?
    /// A stored fill.
    public init(fill: VenueFill, tradeID: String?) { self.fill = fill; self.tradeID = tradeID }
}

/// One trade after a change, with its status before.
public struct TradeTransition: Sendable, Hashable {
    /// The status before; nil for a new trade.
    public var previous: TradeStatus?
    /// The trade after.
    public var trade: BookTrade
    /// A transition.
    public init(previous: TradeStatus?, trade: BookTrade) { self.previous = previous; self.trade = trade }
}

/// What one input changed: trades to write and publish, fills to write.
public struct BookChanges: Sendable {
    /// Changed trades, each once, in the order they first changed.
    public private(set) var transitions: [TradeTransition] = []
    /// New fills, or fills newly matched to a trade.
    public var fills: [StoredFill] = []
    /// Inputs the book could not place and left alone, for the log (nothing to write).
    public var warnings: [String] = []

    /// No change.
    public init() {}

    /// Changes that write `trades` as they are (a restore from another database, a test's seed).
    public init(writing trades: [BookTrade]) {
        for t in trades { record(t, previous: nil) }
    }

    /// True when nothing changed.
    public var isEmpty: Bool { transitions.isEmpty && fills.isEmpty }
    /// True when some trade reached a final status.
    public var hasFinal: Bool { transitions.contains { $0.trade.record.status.isFinal && $0.previous?.isFinal != true } }

    /// Records `trade` after a change, keeping the earliest `previous` of a trade changed twice.
    mutating func record(_ trade: BookTrade, previous: TradeStatus?) {
        if let i = transitions.firstIndex(where: { $0.trade.id == trade.id }) {
            transitions[i].trade = trade
        } else {
            transitions.append(TradeTransition(previous: previous, trade: trade))
        }
    }

    /// Adds another input's changes.
    public mutating func merge(_ other: BookChanges) {
        for t in other.transitions { record(t.trade, previous: t.previous) }
        fills += other.fills
        warnings += other.warnings
    }
}
