/// Orders a product's feed and finds what is missing. A pure state machine: feed it messages, read verdicts.
///
/// Coinbase's `sequence` counts every message of the product (order-book changes included), so the ticker stream
/// skips sequence numbers by design; only a repeated or backwards `sequence` is wrong (stale: dropped). Missed
/// matches show in `trade_id`, which grows by one per match: a ticker more than one past the last, or a heartbeat
/// whose `last_trade_id` is past the last ticker seen, is a gap.
public struct FeedSequencer: Sendable, Hashable {
    /// What to do with a ticker.
    public enum Verdict: Sendable, Hashable {
        /// New; `missing` trades were skipped before it (0 when none).
        case fresh(missing: Int64)
        /// A repeat or out of order: drop it.
        case stale
    }

    /// The last ticker's trade id.
    public private(set) var lastTradeID: Int64?
    /// The last sequence number seen.
    public private(set) var lastSequence: Int64?
    /// Gaps found.
    public private(set) var gaps = 0
    /// Trades missed across all gaps.
    public private(set) var missedTrades: Int64 = 0
    /// Messages dropped as repeats or out of order.
    public private(set) var stale = 0

    public init() {}

    /// Judges a ticker.
    public mutating func accept(_ tick: CoinbaseTick) -> Verdict {
        if let s = lastSequence, tick.sequence <= s {
            stale += 1
            return .stale
        }
        lastSequence = tick.sequence
        var missing: Int64 = 0
        if let t = lastTradeID {
            if tick.tradeID <= t {
                stale += 1
                return .stale
            }
            missing = tick.tradeID - t - 1
        }
        lastTradeID = tick.tradeID
        if missing > 0 { gaps += 1; missedTrades += missing }
        return .fresh(missing: missing)
    }

    /// Judges a heartbeat; returns how many trades it shows were missed (0 when none).
    public mutating func accept(_ heartbeat: CoinbaseHeartbeat) -> Int64 {
        if let s = lastSequence, heartbeat.sequence < s { stale += 1; return 0 }
        lastSequence = heartbeat.sequence
        guard let t = lastTradeID, heartbeat.lastTradeID > t else { return 0 }
        let missing = heartbeat.lastTradeID - t
        lastTradeID = heartbeat.lastTradeID
        gaps += 1
        missedTrades += missing
        return missing
    }

    /// Forgets the position (after a reconnect, the feed resumes at the present; the downtime is not a gap).
    public mutating func restart() {
        lastTradeID = nil
        lastSequence = nil
    }
}
