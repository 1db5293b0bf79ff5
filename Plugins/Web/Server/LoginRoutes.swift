import Logging
import Money
import BusKit
import Synchronization
import Foundation
import Hummingbird

/// `GET /login` (the form), `POST /login` (password, rate-limited per client before its body is read; the scrypt
/// hash computed off the server's event loop), `POST /logout`.
extension WebServer {
    func addLoginRoutes(_ router: Router<WebRequestContext>) {
        router.get("login") { _, _ in HTML.page(Pages.login(message: nil)) }
        router.post("login") { request, context in
            let client = core.client(request, context)
            let now = core.nowSeconds
            if let wait = core.limiter.withLock({ $0.begin(client: client, now: now) }) {
                var r = HTML.page(Pages.login(message: "Too many attempts: try again in \(Int(wait.rounded(.up))) s."), status: .tooManyRequests)
                r.headers[.retryAfter] = String(Int(wait.rounded(.up)))
                return r
            }
            let password = await Self.password(from: request)
            guard let stored = core.password else {
                // Loopback without a password file: nothing to log in to.
                return Response(status: .seeOther, headers: [.location: "/"])
            }
            guard let password, await Self.verify(password, against: stored) else {
                core.logger.warning("failed web login from \(client)")
                return HTML.page(Pages.login(message: "Wrong password."), status: .unauthorized)
            }
            core.limiter.withLock { $0.succeeded(client: client) }
            let session = core.newSession(authenticated: true)
            var response = Response(status: .seeOther, headers: [.location: "/"])
            response.setCookie(AuthMiddleware(core: core).cookie(for: session))
            return response
        }
        router.post("logout") { request, _ in
            if let token = request.cookies[AuthMiddleware.cookieName]?.value { core.sessions.withLock { $0.remove(token) } }
            return Response(status: .seeOther, headers: [.location: "/login"])
        }
    }

    /// Checks `password` on a global dispatch queue: scrypt takes tens of milliseconds of CPU and must not hold an
    /// event loop that serves pushes and other requests.
    static func verify(_ password: String, against stored: WebPassword) async -> Bool {
        await withCheckedContinuation { done in
            DispatchQueue.global(qos: .userInitiated).async { done.resume(returning: stored.verify(password)) }
        }
    }

    /// The `password` field of a form (`application/x-www-form-urlencoded`) or JSON body.
    static func password(from request: Request) async -> String? {
        guard let buffer = try? await request.body.collect(upTo: 64 * 1024) else { return nil }
        let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
        if text.hasPrefix("{") {
            struct Body: Decodable { var password: String }
            return (try? JSONDecoder().decode(Body.self, from: Data(text.utf8)))?.password
        }
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if kv.count == 2, kv[0] == "password" {
                return kv[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
        }
        return nil
    }
}
