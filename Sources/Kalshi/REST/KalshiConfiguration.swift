public import Foundation

/// Where and how the REST client talks to Kalshi.
public struct KalshiConfiguration: Sendable {
    /// The REST root including `/trade-api/v2`, e.g. `https://external-api.kalshi.com/trade-api/v2`.
    public var baseURL: URL
    /// Per-attempt deadline for one HTTP request.
    public var requestTimeout: Duration
    /// How failures are retried.
    public var retry: RetryPolicy
    /// Client-side token buckets (match your Kalshi tier).
    public var limits: RateLimiter.Limits
    /// Page size asked for on paginated lists.
    public var pageLimit: Int

    /// A configuration for `baseURL`.
    public init(baseURL: URL, requestTimeout: Duration = .seconds(10), retry: RetryPolicy = RetryPolicy(),
                limits: RateLimiter.Limits = .basic, pageLimit: Int = 200) {
        self.baseURL = baseURL
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.limits = limits
        self.pageLimit = pageLimit
    }

    /// Real money: `https://external-api.kalshi.com/trade-api/v2`.
    public static let production = KalshiConfiguration(baseURL: URL(string: "https://external-api.kalshi.com/trade-api/v2")!)
    /// Kalshi's demo environment.
    public static let demo = KalshiConfiguration(baseURL: URL(string: "https://external-api.demo.kalshi.co/trade-api/v2")!)
    /// The local simulator (`recio sim`) on `host:port`.
    public static func simulator(host: String = "127.0.0.1", port: Int) -> KalshiConfiguration {
        KalshiConfiguration(baseURL: URL(string: "http://\(host):\(port)/trade-api/v2")!)
    }

    /// The path part of ``baseURL`` (`/trade-api/v2`), which prefixes every signed path.
    public var basePath: String {
        let p = baseURL.path
        return p.hasSuffix("/") ? String(p.dropLast()) : p
    }
}

/// Bounded exponential backoff with jitter.
///
/// Attempt n (from 1) that fails with a retryable error waits `min(maxDelay, baseDelay × 2^(n−1))`, scaled by a
/// factor in [0.5, 1) drawn from the jitter, before attempt n + 1; after `maxAttempts` the error is thrown.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included (1 = never retry).
    public var maxAttempts: Int
    /// Wait after the first failure.
    public var baseDelay: Duration
    /// Longest wait between attempts.
    public var maxDelay: Duration

    /// A policy; the defaults suit Kalshi (five attempts, 200 ms doubling to 5 s).
    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(5)) {
        precondition(maxAttempts >= 1, "at least one attempt")
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait after failed attempt `attempt` (1-based); `jitter` in [0, 1).
    public func delay(afterAttempt attempt: Int, jitter: Double) -> Duration {
        let doubling = min(attempt - 1, 30)
        var d = baseDelay * (1 << doubling)
        if d > maxDelay || d < .zero { d = maxDelay }
        let factor = 0.5 + 0.5 * min(max(jitter, 0), 0.999_999)
        return d * factor
    }
}
