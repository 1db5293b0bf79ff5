import SimExchange

/// Kalshi's token buckets: every request costs tokens (default 10), a Read and a Write bucket per user refill at
/// their tier's rate and hold `capacitySeconds` of it. Pure: the time comes in with each call.
public struct RateLimits: Sendable {
    /// Tokens per second (Basic tier: 200 read, 100 write).
    public var readRate: Int64 = 200
    public var writeRate: Int64 = 100
    /// Seconds of refill a bucket holds (Basic: 2).
    public var capacitySeconds: Int64 = 2
    /// Off means no request is ever limited.
    public var enabled = true

    public init() {}

    /// Tokens a full write bucket holds.
    public var writeCapacity: Int64 { writeRate * capacitySeconds }

    /// The most items a batch may hold at `itemCost` tokens each: what a full write bucket pays for (Basic: 20
    /// creates, 100 cancels).
    public func batchLimit(itemCost: Int64) -> Int { Int(max(1, writeCapacity / itemCost)) }
}

/// Which bucket a request draws on.
enum Bucket: Hashable, Sendable { case read, write }

struct TokenBuckets: Sendable {
    struct State: Sendable {
        var milliTokens: Int64
        var atMs: Millis
    }

    let limits: RateLimits
    private var states: [String: State] = [:]

    init(limits: RateLimits) { self.limits = limits }

    /// Takes `cost` tokens from `user`'s bucket at `nowMs`; false when there are not enough (a 429).
    mutating func take(user: String, bucket: Bucket, cost: Int64, nowMs: Millis) -> Bool {
        guard limits.enabled else { return true }
        let rate = bucket == .read ? limits.readRate : limits.writeRate
        let capacity = rate * limits.capacitySeconds * 1000
        let key = (bucket == .read ? "r:" : "w:") + user
        var s = states[key] ?? State(milliTokens: capacity, atMs: nowMs)
        s.milliTokens = min(capacity, s.milliTokens + max(0, nowMs - s.atMs) * rate)
        s.atMs = max(s.atMs, nowMs)
        defer { states[key] = s }
        guard s.milliTokens >= cost * 1000 else { return false }
        s.milliTokens -= cost * 1000
        return true
    }
}
