public import BusWire
public import Money
public import TradingWire

/// The trade manager's decisions: a pure state machine over every trade, fed intents, order events, venue fills,
/// expiry checks and settlements, with the clock passed in. It never reads the time or touches the database; the
/// plugin writes what each call returns, then publishes it.
///
/// Lifecycle: `pending → open → closing → closed`; `open → expired → settled`; `pending → rejected` (or `error`
/// when the market settled before the entry's outcome was known), kept for the record. Trades match orders and
/// fills by **order id**, never by ticker. Venue orders whose intent and answer were both missed are adopted
/// (``apply(venueOrder:now:)``), so a trade at the venue always reaches the book, and never twice.
///
/// A partial close (a close order that fills `f` of the trade's `n` contracts) splits the closed part off as its
/// own `closed` trade `<id>#<close key>` holding `f` contracts, `f/n` of the entry cost and fees (rounded toward
/// zero; the remainder stays with the trade) and the whole close; the trade stays `open` with `n − f`.
public struct TradeBook: Sendable {
    /// Every trade, final ones too (statistics need them), by id.
    public internal(set) var trades: [String: BookTrade] = [:]
    /// The ids of trades not final yet: what expiry, settlement and the open list look at, so their cost follows
    /// the trades in flight, not every trade ever made.
    public internal(set) var live: Set<String> = []
    /// Entry trade id → the ids of the closed parts split off it.
    var parts: [String: Set<String>] = [:]
    /// Every fill seen, by fill id.
    public internal(set) var fills: [String: StoredFill] = [:]
    /// Fill ids by order id.
    var fillsByOrder: [String: [String]] = [:]
    /// Order id → the trade whose entry order it is.
    var entryOrders: [String: String] = [:]
    /// Order id → the record whose close order it is.
    var closeOrders: [String: String] = [:]
    /// Close intent key → the record it is closing or closed.
    var closeKeys: [String: String] = [:]
    /// Close keys whose final answer was applied: a replay changes nothing.
    var resolvedCloseKeys: Set<String> = []
    /// Event ticker → close, Unix seconds, from the market feed.
    var eventCloses: [String: Int64] = [:]
    /// Market ticker → (result, settled at), once known.
    var marketResults: [String: (result: String, ts: Int64)] = [:]
    /// The latest BTC price (`price.btc.tick`).
    public var lastBTC: Dollars?
    /// Only orders on this series' markets (`<series>-…`) are adopted from the venue; nil adopts any market.
    public var adoptedSeries: String?
    /// Whether venue orders without a `client_order_id` (not placed by rec.io) are adopted as trades (default no).
    public var adoptForeignOrders = false
    /// Foreign orders already reported.
    var reportedForeign: Set<String> = []
    /// Venue orders no trade knows that have filled nothing yet, by order id: their first fill adopts them. Not
    /// stored; after a restart account-sync's republish brings them again.
    var waitingOrders: [String: VenueOrderUpdate] = [:]
    /// When each stuck trade was last probed (``probes(now:after:)``); not stored.
    var probedAt: [String: BusTime] = [:]

    /// An empty book.
    public init() {}

    /// A book rebuilt from stored trades and fills (after a restart).
    public init(trades stored: [BookTrade], fills storedFills: [StoredFill]) {
        for t in stored {
            trades[t.id] = t
            track(t)
            if t.parentID == nil, let o = t.record.entryOrderID { entryOrders[o] = t.id }
            if let o = t.record.closeOrderID { closeOrders[o] = t.id }
            if let k = t.closeKey {
                closeKeys[k] = t.id
                if t.record.status == .closed || t.parentID != nil { resolvedCloseKeys.insert(k) }
            }
        }
        for f in storedFills { index(f) }
    }

    /// Every trade that is not final, oldest first.
    public var openTrades: [TradeRecord] {
        live.compactMap { trades[$0]?.record }
            .sorted { ($0.enteredTs, $0.id) < ($1.enteredTs, $1.id) }
    }

    /// The trade with `id`.
    public subscript(id: String) -> TradeRecord? { trades[id]?.record }

    mutating func index(_ f: StoredFill) {
        if fills[f.fill.fillID] == nil { fillsByOrder[f.fill.orderID, default: []].append(f.fill.fillID) }
        fills[f.fill.fillID] = f
    }

    /// Stores `t` and records the change.
    mutating func commit(_ t: BookTrade, previous: TradeStatus?, now: BusTime, into changes: inout BookChanges) {
        var t = t
        t.record.updatedTime = now.description
        trades[t.id] = t
        track(t)
        changes.record(t, previous: previous)
    }

    /// Stores `t` without recording a change (the caller commits later).
    mutating func store(_ t: BookTrade) {
        trades[t.id] = t
        track(t)
    }

    /// Keeps ``live`` and ``parts`` in step with `t`.
    private mutating func track(_ t: BookTrade) {
        if t.record.status.isFinal { live.remove(t.id) } else { live.insert(t.id) }
        if let parent = t.parentID { parts[parent, default: []].insert(t.id) }
    }

    /// The live trades matching `include`, copied out one at a time.
    public func liveTrades(where include: (BookTrade) -> Bool) -> [BookTrade] {
        live.compactMap { id in trades[id].flatMap { include($0) ? $0 : nil } }
    }

    /// The latest BTC price.
    public mutating func observe(btc tick: Dollars) { lastBTC = tick }

    /// The market feed's close time of an event: fills in (or corrects) `close_ts` of its trades.
    public mutating func observe(eventTicker: String, closeTs: Int64, now: BusTime) -> BookChanges {
        eventCloses[eventTicker] = closeTs
        var changes = BookChanges()
        for var t in liveTrades(where: { $0.record.eventTicker == eventTicker && $0.record.closeTs != closeTs }) {
            t.record.closeTs = closeTs
            commit(t, previous: t.record.status, now: now, into: &changes)
        }
        return changes
    }
}
