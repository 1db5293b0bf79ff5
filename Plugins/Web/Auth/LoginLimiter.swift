/// Limits login attempts: at most `maxFailures` failures per client within `window` seconds, after which the client
/// is locked out until the oldest failure leaves the window. All clients together may fail at most
/// `globalMaxFailures` times per window, so a password cannot be guessed from many addresses either. Pure: the
/// clock is passed in.
public struct LoginLimiter: Sendable {
    /// Failures allowed per client and window.
    public let maxFailures: Int
    /// Failures allowed for all clients together per window.
    public let globalMaxFailures: Int
    /// The window, in seconds.
    public let window: Double
    private var failures: [String: [Double]] = [:]
    private var global: [Double] = []

    /// A limiter; the global limit defaults to four times the per-client one.
    public init(maxFailures: Int = 5, window: Double = 300, globalMaxFailures: Int? = nil) {
        self.maxFailures = maxFailures; self.window = window; self.globalMaxFailures = globalMaxFailures ?? maxFailures * 4
    }

    /// Nil when `client` may try now; otherwise the seconds until it may.
    public mutating func retryAfter(client: String, now: Double) -> Double? {
        prune(now)
        if let mine = failures[client], mine.count >= maxFailures, let oldest = mine.first { return max(oldest + window - now, 0.001) }
        if global.count >= globalMaxFailures, let oldest = global.first { return max(oldest + window - now, 0.001) }
        return nil
    }

    /// Records a failed attempt.
    public mutating func recordFailure(client: String, now: Double) {
        prune(now)
        failures[client, default: []].append(now)
        global.append(now)
    }

    /// A successful login clears the client's failures.
    public mutating func recordSuccess(client: String) { failures[client] = nil }

    private mutating func prune(_ now: Double) {
        let cutoff = now - window
        for (k, v) in failures {
            let kept = v.filter { $0 > cutoff }
            failures[k] = kept.isEmpty ? nil : kept
        }
        global.removeAll { $0 <= cutoff }
    }
}

/// One browser session: its cookie token, its CSRF token and when it lapses.
public struct WebSession: Sendable, Hashable {
    /// The cookie value.
    public var token: String
    /// The value every state-changing request must carry in `X-CSRF-Token`.
    public var csrf: String
    /// True after a password login (always false on loopback, where no login is needed).
    public var authenticated: Bool
    /// Unix seconds after which the session is gone unless used.
    public var expires: Double
}

/// The live sessions, expiring `ttl` seconds after their last use. Pure: the clock is passed in.
public struct SessionTable: Sendable {
    /// Idle lifetime in seconds.
    public let ttl: Double
    /// At most this many sessions; the oldest is dropped beyond it.
    public let capacity: Int
    private var sessions: [String: WebSession] = [:]

    /// An empty table.
    public init(ttl: Double, capacity: Int = 1_000) { self.ttl = ttl; self.capacity = capacity }

    /// A new session with fresh tokens.
    public mutating func create(authenticated: Bool, now: Double) -> WebSession {
        if sessions.count >= capacity, let oldest = sessions.values.min(by: { $0.expires < $1.expires }) {
            sessions[oldest.token] = nil
        }
        let s = WebSession(token: randomToken(), csrf: randomToken(), authenticated: authenticated, expires: now + ttl)
        sessions[s.token] = s
        return s
    }

    /// The session of `token` if it has not lapsed; using it extends it.
    public mutating func lookup(_ token: String?, now: Double) -> WebSession? {
        guard let token, var s = sessions[token] else { return nil }
        guard s.expires > now else { sessions[token] = nil; return nil }
        s.expires = now + ttl
        sessions[token] = s
        return s
    }

    /// Ends a session.
    public mutating func remove(_ token: String) { sessions[token] = nil }

    /// Sessions alive.
    public var count: Int { sessions.count }
}
