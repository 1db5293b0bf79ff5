import Kalshi
import Testing

@Suite("Token buckets")
struct RateLimiterTests {
    let t0 = ContinuousClock.now

    @Test("a full bucket serves its capacity at once, then asks to wait for the refill")
    func burstThenWait() {
        var b = TokenBucket(capacity: 100, refillPerSecond: 100, now: t0)
        for _ in 0..<10 { #expect(b.reserve(10, at: t0) == .zero) }
        #expect(b.reserve(10, at: t0) == .milliseconds(100))
        // The next one queues behind the first loan.
        #expect(b.reserve(10, at: t0) == .milliseconds(200))
    }

    @Test("tokens refill with time, never above capacity")
    func refill() {
        var b = TokenBucket(capacity: 20, refillPerSecond: 10, now: t0)
        _ = b.reserve(20, at: t0)
        #expect(b.available(at: t0) == 0)
        #expect(b.available(at: t0 + .milliseconds(500)) == 5)
        #expect(b.available(at: t0 + .seconds(60)) == 20)
        #expect(b.reserve(20, at: t0 + .seconds(60)) == .zero)
        #expect(b.reserve(1, at: t0 + .seconds(60)) == .milliseconds(100))
    }

    @Test("the time passed in is the only clock: going backwards adds nothing")
    func clockBackwards() {
        var b = TokenBucket(capacity: 10, refillPerSecond: 10, now: t0 + .seconds(5))
        _ = b.reserve(10, at: t0 + .seconds(5))
        #expect(b.available(at: t0) == 0)
    }

    @Test("huge refill rates, capacities and idle times neither trap nor overfill: the capacity caps the balance")
    func hugeRates() {
        // A fraction of a second at more than ~9.2 million tokens/s overflowed Int64 (picoseconds × rate).
        var b = TokenBucket(capacity: 10_000_000, refillPerSecond: 10_000_000, now: t0)
        #expect(b.reserve(10_000_000, at: t0) == .zero)
        #expect(b.available(at: t0 + .milliseconds(999)) == 9_990_000)
        #expect(b.reserve(9_990_010, at: t0 + .milliseconds(999)) == .microseconds(1))

        // Every rate, idle for a fraction of a second and for ages: full, never more.
        for rate in [Int64(9_300_000), 1 << 40, Int64.max / 1000 + 1, .max] {
            var b = TokenBucket(capacity: 1_000_000, refillPerSecond: rate, now: t0)
            #expect(b.reserve(1_000_000, at: t0) == .zero)
            #expect(b.available(at: t0 + .milliseconds(1500)) == 1_000_000)
            #expect(b.reserve(1_000_000, at: t0 + .milliseconds(1500)) == .zero)
            #expect(b.available(at: t0 + .seconds(1 << 40)) == 1_000_000)
        }

        // The largest configuration: the balance saturates at Int64.max thousandths; a debt refills within a nanosecond.
        var most = TokenBucket(capacity: .max, refillPerSecond: .max, now: t0)
        #expect(most.available(at: t0) == Int64.max / 1000)
        #expect(most.reserve(1, at: t0 + .seconds(1 << 40)) == .zero)
        #expect(most.available(at: t0 + .seconds(1 << 40) + .nanoseconds(1)) == Int64.max / 1000)
        var one = TokenBucket(capacity: 1, refillPerSecond: .max, now: t0)
        #expect(one.reserve(2, at: t0) == .nanoseconds(1))

        // A huge debt at the slowest rate: a long wait, exact.
        var slow = TokenBucket(capacity: 1, refillPerSecond: 1, now: t0)
        #expect(slow.reserve(Int64.max / 1000 + 1, at: t0) == .seconds(Int64.max / 1000))
    }

    @Test("reads and writes draw from separate buckets; cancel costs 2, create 10")
    func separateBuckets() {
        var limiter = RateLimiter(limits: .init(readRefillPerSecond: 10, readCapacity: 10, writeRefillPerSecond: 20, writeCapacity: 20), now: t0)
        #expect(limiter.reserve(.write, cost: RateLimiter.Cost.create, at: t0) == .zero)
        #expect(limiter.reserve(.write, cost: RateLimiter.Cost.create, at: t0) == .zero)
        // Writes are spent; reads are untouched.
        #expect(limiter.reserve(.read, at: t0) == .zero)
        #expect(limiter.reserve(.write, cost: RateLimiter.Cost.cancel, at: t0) == .milliseconds(100))
        #expect(limiter.reserve(.read, at: t0) == .seconds(1))
        #expect(RateLimiter.Cost.standard == 10)
    }

    @Test("backoff doubles from the base, is capped, and jitter scales it into [0.5, 1)")
    func backoff() {
        let p = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(p.delay(afterAttempt: 1, jitter: 0) == .milliseconds(50))
        #expect(p.delay(afterAttempt: 2, jitter: 0) == .milliseconds(100))
        #expect(p.delay(afterAttempt: 3, jitter: 0) == .milliseconds(200))
        #expect(p.delay(afterAttempt: 10, jitter: 0) == .milliseconds(500))
        #expect(p.delay(afterAttempt: 60, jitter: 0.999_999_9) < .seconds(1))
        #expect(p.delay(afterAttempt: 2, jitter: 0.5) == .milliseconds(150))
    }
}
