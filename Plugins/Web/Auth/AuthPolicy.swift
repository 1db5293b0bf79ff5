import Foundation

/// Who may do what: pure, so it is tested without binding anywhere but loopback.
///
/// - Without login (loopback) every page and read is open; a browser without a session gets an anonymous one.
/// - With login (any other address) only `/healthz` and `/login` are open; pages redirect to `/login`, the API
///   answers 401.
/// - Every state-changing request (anything but GET/HEAD) needs a session and its CSRF token in `X-CSRF-Token`,
///   on loopback too; `/login` and `/logout` are exempt (the login has no session yet; both are rate-limited or
///   harmless).
public struct AuthPolicy: Sendable, Hashable {
    /// What to do with a request.
    public enum Decision: Sendable, Hashable {
        /// Go ahead.
        case allow
        /// Go ahead, and give the browser a new anonymous session (loopback).
        case allowWithNewSession
        /// A page without a login: redirect to `/login`.
        case redirectToLogin
        /// An API call without a login: 401.
        case unauthorized
        /// A state-changing request without a matching CSRF token: 403.
        case csrfRejected
    }

    /// True when not on loopback.
    public let requiresLogin: Bool

    /// A policy.
    public init(requiresLogin: Bool) { self.requiresLogin = requiresLogin }

    /// Paths open to everyone.
    static let open: Set<String> = ["/healthz", "/login", "/logout"]

    /// Decides about a request to `path` with `method`, the session its cookie names (nil if none or lapsed) and its
    /// `X-CSRF-Token` header.
    public func decide(method: String, path: String, session: WebSession?, csrfHeader: String?) -> Decision {
        if Self.open.contains(path) { return .allow }
        let changes = method != "GET" && method != "HEAD"
        let isAPI = path.hasPrefix("/api/") || path == "/ws" || path == "/metrics"
        if requiresLogin, session?.authenticated != true { return isAPI || changes ? .unauthorized : .redirectToLogin }
        if changes {
            guard let session, let header = csrfHeader, constantTimeEqual(Array(header.utf8), Array(session.csrf.utf8)) else {
                return .csrfRejected
            }
            return .allow
        }
        return session == nil ? .allowWithNewSession : .allow
    }

    /// DNS-rebinding guard: without a login (loopback) the `Host` header must name loopback too, so a page from
    /// another site that resolves its name to 127.0.0.1 cannot read the dashboard. With a login any host is fine.
    public func hostAllowed(_ host: String?) -> Bool {
        if requiresLogin { return true }
        guard let host, !host.isEmpty else { return false }
        let name = Self.split(host.lowercased()).name
        return name == "localhost" || name == "::1" || name.hasPrefix("127.")
    }

    /// Cross-site guard: a browser's `Origin`, when sent, must name this server: the same host as `Host`, and the same
    /// port when the origin has one (browsers always send it; some WebSocket clients send `ws://host` alone).
    public func originAllowed(_ origin: String?, host: String?) -> Bool {
        guard let origin else { return true }
        guard let host, let schemeEnd = origin.range(of: "://") else { return false }
        let o = Self.split(String(origin[schemeEnd.upperBound...]).lowercased()), h = Self.split(host.lowercased())
        return o.name == h.name && (o.port == nil || o.port == h.port)
    }

    /// `name[:port]` or `[v6]:port`.
    static func split(_ authority: String) -> (name: String, port: String?) {
        if authority.hasPrefix("[") {
            let name = String(authority.prefix { $0 != "]" }.dropFirst())
            let rest = authority.drop { $0 != "]" }.dropFirst()
            return (name, rest.hasPrefix(":") ? String(rest.dropFirst()) : nil)
        }
        if let colon = authority.lastIndex(of: ":") {
            return (String(authority[..<colon]), String(authority[authority.index(after: colon)...]))
        }
        return (authority, nil)
    }
}
