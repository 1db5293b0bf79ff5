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

/// Exponential backoff with jitter for reconnecting: `initial`, doubling per consecutive failure up to `maximum`,
/// each delay stretched by up to `jitter` (a fraction) at random. The random draw is passed in, so it is pure.
public struct ReconnectBackoff: Sendable, Hashable {
    public var initial: Double
    public var maximum: Double
    public var multiplier: Double
    public var jitter: Double
    /// Consecutive failures so far.
    public private(set) var failures = 0

    public init(initial: Double = 0.5, maximum: Double = 30, multiplier: Double = 2, jitter: Double = 0.2) {
        self.initial = initial; self.maximum = maximum; self.multiplier = multiplier; self.jitter = jitter
    }

    /// The delay before the next attempt; `random` is uniform in 0..<1.
    public mutating func nextDelay(random: Double) -> Double {
        var base = initial
        for _ in 0..<min(failures, 64) { base *= multiplier; if base >= maximum { break } }
        failures += 1
        return min(base, maximum) * (1 + jitter * random)
    }

    /// After a healthy connection: start again from `initial`.
    public mutating func reset() { failures = 0 }
}
