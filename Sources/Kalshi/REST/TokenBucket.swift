/// A token bucket: holds up to `capacity` tokens, refills at `refillPerSecond`, and lends against the future.
///
/// A pure value: the caller passes the current instant in. ``reserve(_:at:)`` always takes the tokens and answers
/// how long the caller must wait before sending (zero when the bucket had enough). Lending ahead this way lets
/// concurrent callers queue in order without polling. Tokens are counted in thousandths, so no floats.
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
        milliTokens = capacity * 1000
        last = now
    }

    /// Whole tokens available at `now` (negative when lent ahead).
    public mutating func available(at now: ContinuousClock.Instant) -> Int64 {
        refill(to: now)
        return milliTokens / 1000
    }

    /// Takes `cost` tokens and answers how long to wait before the request may go.
    public mutating func reserve(_ cost: Int64, at now: ContinuousClock.Instant) -> Duration {
        refill(to: now)
        milliTokens -= cost * 1000
        guard milliTokens < 0 else { return .zero }
        // Time for the refill to bring the balance back to zero, rounded up to the nanosecond.
        let deficit = -milliTokens
        let nanos = (deficit * 1_000_000 + refillPerSecond - 1) / refillPerSecond
        return .nanoseconds(nanos)
    }

    private mutating func refill(to now: ContinuousClock.Instant) {
        guard now > last else { return }
        let (seconds, attos) = last.duration(to: now).components
        last = now
        // milli-tokens = seconds × rate × 1000 + picoseconds × rate / 10^9
        let gained = seconds.multipliedReportingOverflow(by: refillPerSecond * 1000)
        let fraction = (attos / 1_000_000) * refillPerSecond / 1_000_000_000
        let total = gained.overflow ? Int64.max : gained.partialValue + fraction
        let (sum, overflow) = milliTokens.addingReportingOverflow(total)
        milliTokens = overflow ? capacity * 1000 : min(capacity * 1000, sum)
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
