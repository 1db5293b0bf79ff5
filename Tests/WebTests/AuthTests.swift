import BusKit
import BusTestSupport
import Foundation
import Testing
@testable import Web

/// Login, sessions, CSRF and the login limiter: the pure parts with an injected clock, then over HTTP with the login
/// forced on loopback (no test binds anywhere else).
@Suite("Web auth")
struct AuthTests {
    let session = WebSession(token: "tok", csrf: "c5rf", authenticated: true, expires: 100)

    @Test("with a login required, pages redirect, the API answers 401, and only /healthz and /login are open")
    func loginPolicy() {
        let p = AuthPolicy(requiresLogin: true)
        #expect(p.decide(method: "GET", path: "/", session: nil, csrfHeader: nil) == .redirectToLogin)
        #expect(p.decide(method: "GET", path: "/api/price", session: nil, csrfHeader: nil) == .unauthorized)
        #expect(p.decide(method: "GET", path: "/ws", session: nil, csrfHeader: nil) == .unauthorized)
        #expect(p.decide(method: "GET", path: "/metrics", session: nil, csrfHeader: nil) == .unauthorized)
        #expect(p.decide(method: "GET", path: "/healthz", session: nil, csrfHeader: nil) == .allow)
        #expect(p.decide(method: "POST", path: "/login", session: nil, csrfHeader: nil) == .allow)
        var anonymous = session
        anonymous.authenticated = false
        #expect(p.decide(method: "GET", path: "/api/price", session: anonymous, csrfHeader: nil) == .unauthorized)
        #expect(p.decide(method: "GET", path: "/api/price", session: session, csrfHeader: nil) == .allow)
        #expect(p.decide(method: "POST", path: "/api/buy", session: session, csrfHeader: nil) == .csrfRejected)
        #expect(p.decide(method: "POST", path: "/api/buy", session: session, csrfHeader: "c5rf") == .allow)
    }

    @Test("on loopback reads are open, a new browser gets a session, and changes still need the CSRF token")
    func loopbackPolicy() {
        let p = AuthPolicy(requiresLogin: false)
        #expect(p.decide(method: "GET", path: "/", session: nil, csrfHeader: nil) == .allowWithNewSession)
        #expect(p.decide(method: "GET", path: "/api/price", session: session, csrfHeader: nil) == .allow)
        #expect(p.decide(method: "POST", path: "/api/halt", session: nil, csrfHeader: "x") == .csrfRejected)
        #expect(p.decide(method: "POST", path: "/api/halt", session: session, csrfHeader: "other") == .csrfRejected)
        #expect(p.decide(method: "DELETE", path: "/api/halt", session: session, csrfHeader: "c5rf") == .allow)
    }

    @Test("the Host must be exactly loopback or public_name (DNS rebinding); a browser's Origin must be this server, port included")
    func hostAndOrigin() {
        let p = AuthPolicy(requiresLogin: false)
        #expect(p.hostAllowed("127.0.0.1:3000") && p.hostAllowed("localhost:3000") && p.hostAllowed("[::1]:3000"))
        #expect(p.hostAllowed("127.0.0.1") && p.hostAllowed("LOCALHOST") && p.hostAllowed("[::1]"))
        #expect(!p.hostAllowed("evil.example:3000") && !p.hostAllowed(nil) && !p.hostAllowed(""))
        // Names that merely start like loopback are someone else's.
        for host in ["127.0.0.1.evil.example", "127.evil.example:3000", "127.0.0.2:3000", "localhost.evil.example", "::1",
                     "127.0.0.1:", "127.0.0.1:3000x", "localhost.", "[::1].evil", "[::1"] {
            #expect(!p.hostAllowed(host), "\(host)")
        }
        let named = AuthPolicy(requiresLogin: false, publicName: "Dash.Example")
        #expect(named.hostAllowed("dash.example") && named.hostAllowed("dash.example:443") && named.hostAllowed("127.0.0.1:3000"))
        #expect(!named.hostAllowed("dash.example.evil") && !named.hostAllowed("evil.example"))
        // The listen address itself, when it names one interface.
        #expect(AuthPolicy(requiresLogin: false, address: "127.0.0.2").hostAllowed("127.0.0.2:3000"))
        #expect(!AuthPolicy(requiresLogin: false, address: "127.0.0.2").hostAllowed("127.0.0.3:3000"))
        #expect(!AuthPolicy(requiresLogin: true, publicName: "dash.example", address: "0.0.0.0").hostAllowed("0.0.0.0"))
        // With a login: any host reaches the login page unless a public name is set, then only it and loopback.
        #expect(AuthPolicy(requiresLogin: true).hostAllowed("dash.example"))
        #expect(!AuthPolicy(requiresLogin: true, publicName: "dash.example").hostAllowed("other.example"))

        #expect(p.originAllowed(nil, host: "127.0.0.1:3000") && p.originAllowed("http://127.0.0.1:3000", host: "127.0.0.1:3000"))
        #expect(p.originAllowed("http://localhost", host: "localhost") && p.originAllowed("https://dash.example", host: "dash.example:443"))
        #expect(p.originAllowed("ws://[::1]:3000", host: "[::1]:3000"))
        #expect(!p.originAllowed("http://127.0.0.1", host: "127.0.0.1:3000"), "no port is port 80, not 3000")
        #expect(p.originAllowed("ws://127.0.0.1", host: "127.0.0.1:3000") && !p.originAllowed("ws://evil.example", host: "127.0.0.1:3000"),
                "a ws: Origin is no browser's (some clients omit its port): its host must still match")
        #expect(!p.originAllowed("http://evil.example", host: "127.0.0.1:3000") && !p.originAllowed("null", host: "127.0.0.1:3000"))
        #expect(!p.originAllowed("http://127.0.0.1:8080", host: "127.0.0.1:3000") && !p.originAllowed("file://127.0.0.1:3000", host: "127.0.0.1:3000"))
    }

    @Test("public_name: a host name, or an error naming the key")
    func publicNameSetting() throws {
        func settings(_ line: String) throws -> WebSettings {
            try WebSettings(configuration: BusConfiguration(file: ConfigFile(path: "bus.conf", text: "[plugin.web]\n\(line)\n"),
                                                            pluginKeys: ["web": Web.configKeys]), home: "/h")
        }
        #expect(try settings("public_name = Dash.Example.com").publicName == "dash.example.com")
        #expect(try settings("").publicName == nil)
        for bad in ["https://dash.example", "dash.example:443", "dash example"] {
            do { _ = try settings("public_name = \(bad)"); Issue.record("accepted \(bad)") } catch {
                #expect((error as? WebError)?.configuration.first?.key == "plugin.web.public_name")
            }
        }
    }

    @Test("the limiter counts attempts as they begin, locks only that client out until the window passes; success clears it")
    func limiter() {
        var l = LoginLimiter(maxFailures: 3, window: 60)
        for t in [0.0, 1, 2] { #expect(l.begin(client: "a", now: t) == nil) }
        #expect(l.begin(client: "a", now: 3) == 57)
        #expect(l.begin(client: "a", now: 3.5) == 56.5, "a refused attempt does not extend the lock-out")
        for c in ["b", "c", "d", "e", "f", "g"] { #expect(l.begin(client: c, now: 4) == nil, "another address is never locked out") }
        #expect(l.begin(client: "a", now: 60.5) == nil)  // the first attempt left the window
        l.succeeded(client: "a")
        for t in [61.0, 62, 63] { #expect(l.begin(client: "a", now: t) == nil) }
    }

    @Test("behind a trusted proxy the client is the right-most forwarded address that is not a proxy; otherwise the peer")
    func forwardedClient() {
        let trusted: Set<String> = ["127.0.0.1", "10.0.0.2"]
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: ["6.6.6.6, 1.2.3.4", "10.0.0.2"], trusted: trusted) == "1.2.3.4")
        #expect(ClientAddress.resolve(peer: "9.9.9.9", forwardedFor: ["1.2.3.4"], trusted: trusted) == "9.9.9.9", "an untrusted peer cannot claim another address")
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: [], trusted: trusted) == "127.0.0.1")
    }

    @Test("sessions lapse after their idle time and are extended by use")
    func sessions() {
        var t = SessionTable(ttl: 10)
        func lookup(_ token: String, _ now: Double) -> WebSession? { t.lookup(token, now: now) }
        let s = t.create(authenticated: true, now: 0)
        #expect(s.token != s.csrf && s.token.count == 48)
        #expect(lookup(s.token, 9) != nil)
        #expect(lookup(s.token, 18) != nil)
        #expect(lookup(s.token, 29) == nil)
        #expect(lookup("forged", 0) == nil)
    }

    @Test("a password is stored as a salted scrypt hash, mode 0600, and verified")
    func passwordHash() throws {
        let folder = NSTemporaryDirectory() + "web-pw-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let a = try WebPassword.make("correct horse", rounds: 1 << 10)
        let b = try WebPassword.make("correct horse", rounds: 1 << 10)
        #expect(a.salt != b.salt && a.hash != b.hash)
        #expect(!a.encoded.contains("correct"))
        try a.store(at: folder + "/web/password")
        let mode = try FileManager.default.attributesOfItem(atPath: folder + "/web/password")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let loaded = try WebPassword.load(from: folder + "/web/password")
        #expect(loaded.verify("correct horse") && !loaded.verify("wrong horse"))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: folder + "/web/password")
        #expect(throws: WebError.self) { try WebPassword.load(from: folder + "/web/password") }
    }

    @Test("a non-loopback address without a password file is a config error naming file, line and key")
    func noDefaultPassword() throws {
        let text = "[plugin.web]\nport = 3000\naddress = 0.0.0.0\n"
        let configuration = try BusConfiguration(file: ConfigFile(path: "bus.conf", text: text), pluginKeys: ["web": Web.configKeys])
        do {
            _ = try WebSettings(configuration: configuration, home: "/nonexistent-recio-home")
            Issue.record("expected a configuration error")
        } catch {
            let e = try #require(error.configuration.first)
            #expect(e.file == "bus.conf" && e.line == 3 && e.key == "plugin.web.address")
            #expect(e.message.contains("/nonexistent-recio-home/web/password") && e.message.contains("recio web set-password"))
        }
    }

    @Test("require_login = true forces a login on loopback (a reverse proxy on this host); false is refused off loopback")
    func requireLogin() throws {
        func conf(_ text: String) throws -> BusConfiguration {
            try BusConfiguration(file: ConfigFile(path: "bus.conf", text: "[plugin.web]\n" + text), pluginKeys: ["web": Web.configKeys])
        }
        let forced = try conf("require_login = true\n"), refused = try conf("address = 0.0.0.0\nrequire_login = false\n")
        do { _ = try WebSettings(configuration: forced, home: "/nonexistent-recio-home"); Issue.record("expected a configuration error") } catch {
            #expect(error.configuration.first?.key == "plugin.web.require_login" && error.configuration.first?.line == 2)
        }
        do { _ = try WebSettings(configuration: refused, home: "/nonexistent-recio-home"); Issue.record("expected a configuration error") } catch {
            #expect(error.configuration.contains { $0.key == "plugin.web.require_login" })
        }
        let folder = NSTemporaryDirectory() + "web-rl-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try WebPassword.make("pw", rounds: 1 << 10).store(at: folder + "/password")
        let s = try WebSettings(configuration: conf("require_login = true\npassword_file = \(folder)/password\ntrusted_proxies = 127.0.0.1, ::1\n"),
                                home: "/nonexistent-recio-home")
        #expect(s.requiresLogin && s.address == "127.0.0.1" && s.trustedProxies == ["127.0.0.1", "::1"])
    }

    @Test("over HTTP with a login: 401 before, wrong passwords rate-limited, then a secure session that needs CSRF")
    func loginOverHTTP() async throws {
        try await WebHarness.with(forceLogin: true, password: "s3cret-pass") { h in
            #expect(try await h.request("GET", "/api/price").status == 401)
            #expect(try await h.request("GET", "/").status == 303)
            #expect(try await h.request("GET", "/healthz").status == 200)
            for _ in 0..<3 { #expect(try await h.request("POST", "/login", form: "password=guess").status == 401) }
            let locked = try await h.request("POST", "/login", form: "password=s3cret-pass")
            #expect(locked.status == 429, "the right password is refused while locked out")
            #expect(!locked.header("retry-after").isEmpty)
        }
        try await WebHarness.with(forceLogin: true, password: "s3cret-pass") { h in
            let ok = try await h.request("POST", "/login", form: "password=s3cret-pass")
            #expect(ok.status == 303)
            let setCookie = try #require(ok.header("set-cookie").first)
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Secure"))
            let cookie = String(setCookie.split(separator: ";")[0])
            #expect(try await h.request("GET", "/api/price", cookie: cookie).status == 200)
            let s = try await h.request("GET", "/api/session", cookie: cookie)
            let csrf = try #require(s.json?["csrf"] as? String)
            #expect(try await h.request("POST", "/api/resume", cookie: cookie).status == 403)
            #expect(try await h.request("POST", "/api/resume", cookie: cookie, csrf: csrf).status == 202)
        }
    }
}
