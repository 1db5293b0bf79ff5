public import BusWire

/// Tells, from the trade manager's `trade.state.open` envelopes, when it may have missed what account-sync
/// published: a pure state machine with the clock passed in.
///
/// Pub/sub is at-most-once, and account-sync publishes each venue fill and order once. The trade manager may have
/// missed some when it (re)started, when the link between it and this plugin was cut (its `trade.state.open`, sent
/// every few seconds, then stops arriving), or when this plugin started (a message stored but not yet published
/// when it stopped). ``saw(src:seq:now:)`` answers true — republish the recent venue messages — for the first
/// envelope seen, for one from another publisher or with a smaller sequence number (a restart), and for one that
/// ends a silence of at least `silence` seconds; at most once every `minInterval` seconds (a reason found sooner is
/// kept and answered at the first envelope after the interval).
public struct TradeManagerWatch: Sendable {
    /// Seconds without a `trade.state.open` after which the trade manager counts as having been away.
    public let silence: Double
    /// The fewest seconds between two republishes.
    public let minInterval: Double
    private var last: (src: String, seq: UInt64, at: BusTime)?
    private var lastRepublish: BusTime?
    private var owed = false

    /// A watch.
    public init(silence: Double = 15, minInterval: Double = 30) { self.silence = silence; self.minInterval = minInterval }

    /// A `trade.state.open` envelope from `src` with sequence number `seq` arrived at `now`: true when the recent
    /// venue messages should be published again.
    public mutating func saw(src: String, seq: UInt64, now: BusTime) -> Bool {
        if let last {
            if last.src != src || seq < last.seq || last.at.seconds(until: now) >= silence { owed = true }
        } else {
            owed = true
        }
        last = (src, seq, now)
        guard owed else { return false }
        if let lastRepublish, lastRepublish.seconds(until: now) < minInterval { return false }
        owed = false
        lastRepublish = now
        return true
    }
}
