import Foundation

/// Limits login attempts per client: at most `maxFailures` attempts that did not succeed within `window` seconds,
/// after which the client is locked out until the oldest leaves the window. An attempt is counted when it begins,
/// before its body is read or its password hashed (so parallel attempts cannot slip past the count), and a success
/// clears the client's count. There is no limit shared by all clients: a lock-out of one address never locks out
/// another (scrypt's cost is what makes guessing from many addresses slow). Pure: the clock is passed in.
public struct LoginLimiter: Sendable {
    /// Attempts allowed per client and window.
    public let maxFailures: Int
    /// The window, in seconds.
    public let window: Double
    /// At most this many clients are remembered; the one with the oldest attempt is forgotten beyond it.
    public let capacity: Int
    private var attempts: [String: [Double]] = [:]

    /// A limiter.
    public init(maxFailures: Int = 5, window: Double = 300, capacity: Int = 100_000) {
        self.maxFailures = maxFailures; self.window = window; self.capacity = capacity
    }

    /// Nil when `client` may try now, and its attempt is counted; otherwise the seconds until it may.
    public mutating func begin(client: String, now: Double) -> Double? {
        let mine = (attempts[client] ?? []).filter { $0 > now - window }
        if mine.count >= maxFailures, let oldest = mine.first {
            attempts[client] = mine
            return max(oldest + window - now, 0.001)
        }
        if attempts[client] == nil, attempts.count >= capacity { forgetOldest(now) }
        attempts[client] = mine + [now]
        return nil
    }

    /// A successful login clears the client's attempts.
    public mutating func succeeded(client: String) { attempts[client] = nil }

    private mutating func forgetOldest(_ now: Double) {
        attempts = attempts.filter { $0.value.contains { $0 > now - window } }
        if attempts.count >= capacity, let oldest = attempts.min(by: { ($0.value.last ?? 0) < ($1.value.last ?? 0) })?.key {
            attempts[oldest] = nil
        }
    }
}

/// The address a request comes from: the connection's peer, or, when the peer is a trusted reverse proxy, the
/// right-most address of `X-Forwarded-For` that is not itself a trusted proxy. Pure.
public enum ClientAddress {
    /// The client of a request from `peer` carrying `forwardedFor` (every `X-Forwarded-For` value, in order).
    public static func resolve(peer: String, forwardedFor: [String], trusted: Set<String>) -> String {
        guard trusted.contains(peer.lowercased()) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return hops.last { !$0.isEmpty && !trusted.contains($0) } ?? peer
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
