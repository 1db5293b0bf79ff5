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
}
