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
    /// The name the dashboard is reached by besides loopback (`public_name`), lowercased; nil when none is set.
    public let publicName: String?

    /// The listen address when it names one interface (`127.0.0.2`, `[::1]`): browsers may use it as the host too.
    public let boundAddress: String?

    /// A policy.
    public init(requiresLogin: Bool, publicName: String? = nil, address: String? = nil) {
        self.requiresLogin = requiresLogin
        self.publicName = publicName?.lowercased()
        let bound = address.map { Self.split($0.lowercased()).name }
        boundAddress = bound == "0.0.0.0" || bound == "::" || bound == "" ? nil : bound
    }

    /// Paths open to everyone, besides the static files under `/assets/` (the stylesheet and the scripts).
    static let open: Set<String> = ["/healthz", "/login", "/logout"]

    /// Decides about a request to `path` with `method`, the session its cookie names (nil if none or lapsed) and its
    /// `X-CSRF-Token` header.
    public func decide(method: String, path: String, session: WebSession?, csrfHeader: String?) -> Decision {
        if Self.open.contains(path) || path.hasPrefix("/assets/") { return .allow }
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

    /// The `Host` names that are this machine's loopback (`[::1]` arrives as `::1` from ``split(_:)``).
    static let loopbackNames: Set<String> = ["127.0.0.1", "localhost", "::1"]

    /// DNS-rebinding guard: the `Host` header must be exactly `127.0.0.1`, `localhost`, `[::1]`, the listen address or
    /// the configured public name, with or without a port, so a page from another site whose name resolves to this
    /// machine cannot read the dashboard. With a login and no public name configured any host reaches the login.
    public func hostAllowed(_ host: String?) -> Bool {
        if requiresLogin && publicName == nil { return true }
        guard let host, !host.isEmpty else { return false }
        let (name, port) = Self.split(host.lowercased())
        if let port, port.isEmpty || !port.allSatisfy({ ("0"..."9").contains($0) }) { return false }
        return Self.loopbackNames.contains(name) || name == publicName || name == boundAddress
    }

    /// Cross-site guard: a browser's `Origin`, when sent, must name this server: the same host as `Host` and the same
    /// port, a missing port being the scheme's default (80 for http/ws, 443 for https/wss).
    public func originAllowed(_ origin: String?, host: String?) -> Bool {
        guard let origin else { return true }
        guard let host, let schemeEnd = origin.range(of: "://") else { return false }
        let scheme = origin[..<schemeEnd.lowerBound].lowercased()
        guard ["http", "ws", "https", "wss"].contains(scheme) else { return false }
        let defaultPort = scheme == "https" || scheme == "wss" ? "443" : "80"
        let o = Self.split(String(origin[schemeEnd.upperBound...]).lowercased()), h = Self.split(host.lowercased())
        // A browser sends its page's http(s) origin, never ws(s): such an Origin comes from a non-browser client (which
        // could send anything), and some clients leave its port out, so only the host is compared.
        if scheme == "ws" || scheme == "wss" { return o.name == h.name }
        return o.name == h.name && (o.port ?? defaultPort) == (h.port ?? defaultPort)
    }

    /// `name[:port]` or `[v6]:port`.
    static func split(_ authority: String) -> (name: String, port: String?) {
        if authority.hasPrefix("["), authority.contains("]") {
            let name = String(authority.prefix { $0 != "]" }.dropFirst())
            let rest = authority.drop { $0 != "]" }.dropFirst()
            if rest.isEmpty { return (name, nil) }
            // Anything after `]` but a port makes it no IPv6 literal: the whole text is the name.
            return rest.hasPrefix(":") ? (name, String(rest.dropFirst())) : (authority, nil)
        }
        if let colon = authority.lastIndex(of: ":") {
            return (String(authority[..<colon]), String(authority[authority.index(after: colon)...]))
        }
        return (authority, nil)
    }
}
