import BusWire
import Money
import TradingWire

/// Why nothing at all is scanned right now (checked in this order).
public enum EntryGate: String, Sendable, Hashable {
    /// `auto_entry` is off.
    case disabled = "auto_entry off"
    /// `kill_switch` is on.
    case killSwitch = "kill switch on"
    /// No trading state from the executor yet, or it is not ACTIVE.
    case tradingNotActive = "trading state not ACTIVE"
    /// `trade.state.open` not seen yet: the duplicate guard fails closed.
    case openTradesUnknown = "open trades not seen yet"
    /// The momentum spike pause is on.
    case spike = "momentum spike pause"
    /// The event's TTC is outside `min_time`…`max_time`.
    case outsideWindow = "TTC outside the window"
}

/// Why one watchlist row was not entered (checked in this order).
public enum EntrySkip: String, Error, Sendable, Hashable {
    /// The ticker+side was evaluated less than `cooldown` ago.
    case cooldown
    /// A trade (or an intent of ours) on this ticker+side is not final yet.
    case duplicate
    /// The other side of this market is held: Kalshi would net the entry against it.
    case oppositeSide = "opposite side held"
    /// The ticker+side already had a trade this event and `allow_re_entry` is off.
    case reEntry = "re-entry"
    /// Win probability below `min_probability`.
    case probability
    /// Edge missing or below `min_edge`.
    case edge
    /// The gain at the limit price after the taker fee is below `min_edge_after_fee` per contract.
    case edgeAfterFee = "edge after fee"
    /// `sizing = kelly` buys less than one contract (no edge at the all-in price, or no room under the caps).
    case size
    /// No ask, or the limit would be $1 or more.
    case noAsk = "no ask"
    /// `max_open_positions` reached.
    case maxOpenPositions = "max open positions"
    /// `max_risk_per_event` would be exceeded.
    case eventRisk = "max risk per event"
    /// `max_risk_per_hour` would be exceeded.
    case hourRisk = "max risk per hour"
    /// No balance seen, or cost + fee exceeds balance − reserve − what pending intents may spend.
    case balance
}

/// What one watchlist produced.
public struct EntryPass: Sendable, Hashable {
    /// Set when the whole watchlist was ignored.
    public var blocked: EntryGate?
    /// New entry intents, to publish.
    public var intents: [OrderIntent] = []
    /// Rows not entered, by ticker.
    public var skipped: [String: EntrySkip] = [:]
}

/// Auto-entry's state for people: published in the runtime settings as `status.*` keys.
public struct EntryStatus: Sendable, Hashable {
    /// `auto_entry` on and the kill switch off.
    public var enabled: Bool
    /// Every gate passes for at least one followed event.
    public var scanning: Bool
    /// The momentum spike pause is on.
    public var pausedBySpike: Bool
    /// The first gate that stops scanning, or `scanning`.
    public var reason: String
    /// Intents waiting for the executor's answer.
    public var pending: Int

    /// The status as `status.*` text values.
    public var values: [String: String] {
        ["status.enabled": "\(enabled)", "status.scanning": "\(scanning)", "status.paused_by_spike": "\(pausedBySpike)",
         "status.reason": reason, "status.pending": "\(pending)"]
    }
}

/// One entry made by this process, kept for the caps, the duplicate guard and the re-entry policy.
struct MadeEntry: Sendable, Hashable {
    enum State: Sendable, Hashable {
        /// Waiting for the executor; repeated at `nextRepeat`.
        case pending(nextRepeat: BusTime)
        /// Answered with contracts bought (or accepted): it holds, or will hold, a position.
        case bought
        /// Answered with nothing bought: it no longer counts.
        case nothing
        /// Never answered before `expires_ts`: given up, but counted (it may have reached the venue).
        case gaveUp
    }
    var intent: OrderIntent
    var at: BusTime
    var cost: Dollars
    var state: State
    /// The trade manager listed the trade (its id is the key).
    var seenOpen = false

    var isPending: Bool { if case .pending = state { true } else { false } }
}

enum EntryKey {
    /// `ae-<event>-<strike>-<side>-<unix ms>`, reduced to `[A-Za-z0-9_-]` and at most 64 characters (the tail,
    /// which makes it unique, is kept whole).
    static func make(event: String, strike: Dollars, side: TradeSide, now: BusTime) -> String {
        let tail = "-\(side.rawValue)-\(now.microseconds / 1000)"
        let head = sanitise("ae-\(event)-\(strike.formatted(decimals: 2))")
        return String(head.prefix(64 - tail.count)) + tail
    }

    /// Every character outside `[A-Za-z0-9_-]` becomes `_`.
    static func sanitise(_ text: String) -> String {
        String(text.map { c -> Character in
            c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_") ? c : "_"
        })
    }
}
