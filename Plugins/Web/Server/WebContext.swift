import Logging
import Money
import BusKit
import Synchronization
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context: Hummingbird's core storage, the WebSocket handler slot, the client's address and the
/// session the auth middleware found.
struct WebRequestContext: RequestContext, WebSocketRequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<WebRequestContext>
    let remoteAddress: SocketAddress?
    /// Set by ``AuthMiddleware``.
    var session: WebSession?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        remoteAddress = source.channel.remoteAddress
    }

    /// The connection's peer address.
    var peerAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}

extension WebCore {
    /// The client of `request`, for the login limiter and the audit log: the peer, or the address a trusted reverse
    /// proxy forwards (`trusted_proxies`).
    func client(_ request: Request, _ context: WebRequestContext) -> String {
        ClientAddress.resolve(peer: context.peerAddress, forwardedFor: request.headers[values: .xForwardedFor],
                              trusted: settings.trustedProxies)
    }
}

extension HTTPField.Name {
    /// `X-Forwarded-For`, set by a reverse proxy.
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}

/// Applies ``AuthPolicy`` to every request and sets the session cookie.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext
    let core: WebCore
    static let cookieName = "recio_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let host = request.head.authority
        guard core.policy.hostAllowed(host) else { return JSON.error(.forbidden, "Host '\(host ?? "")' is neither loopback nor public_name") }
        if request.method != .get || request.uri.path == "/ws" {
            guard core.policy.originAllowed(request.headers[.origin], host: host) else {
                return JSON.error(.forbidden, "cross-site request refused (Origin \(request.headers[.origin] ?? ""))")
            }
        }
        let session = core.session(token: request.cookies[Self.cookieName]?.value)
        let decision = core.policy.decide(method: request.method.rawValue, path: request.uri.path, session: session,
                                          csrfHeader: request.headers[Self.csrfHeader])
        var context = context
        switch decision {
        case .allow:
            context.session = session
            return try await next(request, context)
        case .allowWithNewSession:
            let s = core.newSession(authenticated: false)
            context.session = s
            var response = try await next(request, context)
            response.setCookie(cookie(for: s))
            return response
        case .redirectToLogin:
            return Response(status: .seeOther, headers: [.location: "/login"])
        case .unauthorized:
            return JSON.error(.unauthorized, "log in first (POST /login)")
        case .csrfRejected:
            return JSON.error(.forbidden, "missing or wrong X-CSRF-Token (GET /api/session gives it)")
        }
    }

    /// The session cookie: HttpOnly, SameSite=Strict, Secure when not on loopback.
    func cookie(for s: WebSession) -> Cookie {
        Cookie(name: Self.cookieName, value: s.token, maxAge: Int(core.settings.sessionTTL), path: "/",
               secure: core.settings.requiresLogin, httpOnly: true, sameSite: .strict)
    }
}

/// JSON responses.
enum JSON {
    /// A response whose body is `bytes` (already JSON).
    static func raw(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A response from JSON text.
    static func text(_ s: String, status: HTTPResponse.Status = .ok) -> Response { raw(Array(s.utf8), status: status) }

    /// An encoded value.
    static func encode<T: Encodable>(_ v: T, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(v) else { return error(.internalServerError, "cannot encode \(T.self)") }
        return raw(Array(data), status: status)
    }

    /// `{"error": message}`.
    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        text("{\"error\":\(PushFrame.quote(message))}", status: status)
    }

    /// A stored message's data, or `null`.
    static func data(_ m: StoredMessage?) -> String { m.map { String(decoding: $0.data, as: UTF8.self) } ?? "null" }

    /// A list of stored messages' data.
    static func list(_ ms: [StoredMessage]) -> String { "[" + ms.map { data($0) }.joined(separator: ",") + "]" }

    /// An object from keys and JSON texts.
    static func object(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\(PushFrame.quote($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    /// The request body decoded as `T`, or nil.
    static func body<T: Decodable>(_ request: Request, as type: T.Type) async -> T? {
        guard let buffer = try? await request.body.collect(upTo: 1 << 20) else { return nil }
        let bytes = Array(buffer.readableBytesView)
        if bytes.isEmpty, let empty = try? JSONDecoder().decode(T.self, from: Data("{}".utf8)) { return empty }
        return try? JSONDecoder().decode(T.self, from: Data(bytes))
    }
}

/// Pages.
enum HTML {
    /// Only this server's own files: no inline script or style, no other origin, no framing.
    static let policy = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    static let csp = HTTPField.Name("Content-Security-Policy")!
    static let noSniff = HTTPField.Name("X-Content-Type-Options")!

    /// An HTML response.
    static func page(_ s: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                           HTML.csp: policy, HTML.noSniff: "nosniff",
                                           HTTPField.Name("X-Frame-Options")!: "DENY"],
                 body: .init(byteBuffer: ByteBuffer(string: s)))
    }
}
