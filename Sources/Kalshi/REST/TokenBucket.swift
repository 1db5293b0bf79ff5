/// A token bucket: holds up to `capacity` tokens, refills at `refillPerSecond`, and lends against the future.
///
/// A pure value: the caller passes the current instant in. ``reserve(_:at:)`` always takes the tokens and answers
/// how long the caller must wait before sending (zero when the bucket had enough). Lending ahead this way lets
/// concurrent callers queue in order without polling. Tokens are counted in thousandths, so no floats; the
/// arithmetic is done in `Int128`, so any positive capacity, rate and idle time are safe (a capacity above
/// `Int64.max` thousandths holds `Int64.max` thousandths).
public struct TokenBucket: Sendable, Hashable {
    /// Largest number of tokens the bucket holds (the burst).
    public let capacity: Int64
    /// Tokens added per second.
    public let refillPerSecond: Int64
    /// Current balance in thousandths of a token; negative when lent ahead.
    public private(set) var milliTokens: Int64
    private var last: ContinuousClock.Instant

    /// A full bucket at `now`.
    public init(capacity: Int64, refillPerSecond: Int64, now: ContinuousClock.Instant) {
        precondition(capacity > 0 && refillPerSecond > 0, "a token bucket needs a positive capacity and refill rate")
        self.capacity = capacity
        self.refillPerSecond = refillPerSecond
        milliTokens = Int64(clamping: Int128(capacity) * 1000)
        last = now
    }

    /// Most thousandths held: `capacity` × 1000, saturating at `Int64.max`.
    private var ceiling: Int64 { Int64(clamping: Int128(capacity) * 1000) }

    /// Whole tokens available at `now` (negative when lent ahead).
    public mutating func available(at now: ContinuousClock.Instant) -> Int64 {
        refill(to: now)
        return milliTokens / 1000
    }

    /// Takes `cost` tokens and answers how long to wait before the request may go.
    public mutating func reserve(_ cost: Int64, at now: ContinuousClock.Instant) -> Duration {
        refill(to: now)
        milliTokens = Int64(clamping: Int128(milliTokens) - Int128(cost) * 1000)  // a debt saturates at Int64.min
        guard milliTokens < 0 else { return .zero }
        // Time for the refill to bring the balance back to zero, rounded up to the nanosecond.
        let deficit = -Int128(milliTokens), rate = Int128(refillPerSecond)
        let nanos = (deficit * 1_000_000 + rate - 1) / rate
        return Duration(secondsComponent: Int64(nanos / 1_000_000_000), attosecondsComponent: Int64(nanos % 1_000_000_000) * 1_000_000_000)
    }

    private mutating func refill(to now: ContinuousClock.Instant) {
        guard now > last else { return }
        let (seconds, attos) = last.duration(to: now).components
        last = now
        // milli-tokens = seconds × rate × 1000 + attoseconds × rate / 10^15, in Int128: seconds × rate and
        // attoseconds × rate fit, and more than Int64.max whole tokens fills any bucket, so it is capped there first.
        let rate = Int128(refillPerSecond)
        let whole = min(Int128(seconds) * rate, Int128(Int64.max)) * 1000
        let fraction = Int128(attos) * rate / 1_000_000_000_000_000
        milliTokens = Int64(min(Int128(ceiling), Int128(milliTokens) + whole + fraction))
    }
}

/// Kalshi's two independent budgets: reads (everything else) and writes (order create, amend, cancel...).
public struct RateLimiter: Sendable, Hashable {
    /// Which bucket a request draws from.
    public enum Bucket: Sendable, Hashable { case read, write }

    /// Refill rate and capacity of both buckets, in tokens.
    public struct Limits: Sendable, Hashable {
        /// Read tokens added per second.
        public var readRefillPerSecond: Int64
        /// Most read tokens held (the read burst).
        public var readCapacity: Int64
        /// Write tokens added per second.
        public var writeRefillPerSecond: Int64
        /// Most write tokens held (the write burst).
        public var writeCapacity: Int64

        /// Limits with these rates (tokens per second) and capacities (tokens).
        public init(readRefillPerSecond: Int64, readCapacity: Int64, writeRefillPerSecond: Int64, writeCapacity: Int64) {
            self.readRefillPerSecond = readRefillPerSecond
            self.readCapacity = readCapacity
            self.writeRefillPerSecond = writeRefillPerSecond
            self.writeCapacity = writeCapacity
        }

        /// Kalshi's Basic tier: reads 200 tokens/s holding 2 s, writes 100 tokens/s holding 1 s.
        public static let basic = Limits(readRefillPerSecond: 200, readCapacity: 400, writeRefillPerSecond: 100, writeCapacity: 100)
    }

    /// Token costs Kalshi publishes.
    public enum Cost {
        /// Any request Kalshi does not price otherwise.
        public static let standard: Int64 = 10
        /// V2 create (per order, also in a batch).
        public static let create: Int64 = 10
        /// V2 cancel (per order, also in a batch).
        public static let cancel: Int64 = 2
    }

    /// The read bucket.
    public private(set) var read: TokenBucket
    /// The write bucket.
    public private(set) var write: TokenBucket

    /// Both buckets full at `now`.
    public init(limits: Limits = .basic, now: ContinuousClock.Instant) {
        read = TokenBucket(capacity: limits.readCapacity, refillPerSecond: limits.readRefillPerSecond, now: now)
        write = TokenBucket(capacity: limits.writeCapacity, refillPerSecond: limits.writeRefillPerSecond, now: now)
    }

    /// Takes `cost` tokens from `bucket`; answers the wait before sending.
    public mutating func reserve(_ bucket: Bucket, cost: Int64 = Cost.standard, at now: ContinuousClock.Instant) -> Duration {
        switch bucket {
        case .read: read.reserve(cost, at: now)
        case .write: write.reserve(cost, at: now)
        }
    }
}
