import BusKit
import BusWire
import Foundation
import Money

/// The `[plugin.web]` section of `bus.conf`.
public struct WebSettings: Sendable, Hashable {
    /// The keys the section may hold.
    public static let keys: Set<String> = [
        "address", "port", "password_file", "session_ttl", "push_interval", "intent_repeat", "intent_timeout",
        "query_timeout", "entry_slippage", "close_slippage", "strategy", "login_max_failures", "login_window", "tap_rate", "min_buy_volume",
        "public_name", "require_login", "trusted_proxies", "audit_file", "confirm_above", "stale_after",
    ]
    /// `address`: where to listen (default `127.0.0.1`). Anything but loopback requires a password file.
    public var address = "127.0.0.1"
    /// `port`: the HTTP port (default 3000; 0 picks a free one).
    public var port = 3000
    /// `password_file`: the login's salted scrypt hash (default `$RECIO_HOME/web/password`, set with
    /// `recio web set-password`).
    public var passwordFile: String
    /// `session_ttl`: how long a login lasts without use (default 12 h).
    public var sessionTTL = 12 * 3_600.0
    /// `push_interval`: the least time between two pushes of one state topic to the browsers (default 100 ms).
    public var pushInterval = 0.1
    /// `intent_repeat`: how often an order intent is repeated until the executor answers (default 1 s).
    public var intentRepeat = 1.0
    /// `intent_timeout`: how long a buy or close waits for the executor's answer (default 10 s).
    public var intentTimeout = 10.0
    /// `query_timeout`: how long a history or account request waits for the trade manager or account-sync (default 5 s).
    public var queryTimeout = 5.0
    /// `entry_slippage`: how far above the ask a manual buy may fill (default $0.02).
    public var entrySlippage = Dollars(cents: 2)
    /// `close_slippage`: how far above the opposite ask a manual close may fill (default $0.05).
    public var closeSlippage = Dollars(cents: 5)
    /// `strategy`: the strategy label of manual trades when the page sends none (default `Hourly HTC`).
    public var strategy = "Hourly HTC"
    /// `login_max_failures`: failed logins per client within `login_window` before it is locked out (default 5).
    public var loginMaxFailures = 5
    /// `login_window`: the window (and lockout) of the login limiter (default 5 m).
    public var loginWindow = 300.0
    /// `tap_rate`: the most messages per second the live topic tap sends one browser (default 50).
    public var tapRate = 50
    /// `min_buy_volume`: a strike's buy button is enabled only when its market traded at least this many contracts
    /// (REC.IO's rule; default 1000).
    public var minBuyVolume = 1_000
    /// `confirm_above`: in `prod`, a manual buy costing more than this (count × price cap) asks the user to confirm,
    /// and the server refuses it unless the request says it was confirmed (default $25; other modes never ask).
    public var confirmAbove = Dollars(cents: 2_500)
    /// `stale_after`: a strike's Buy button is disabled when its strike table is older than this (default 5 s).
    public var staleAfter = 5.0
    /// `public_name`: the host name browsers use to reach the dashboard besides loopback (a reverse proxy's or this
    /// machine's name, no port); the `Host` header must be loopback or this name. Default: none.
    public var publicName: String?
    /// True when login is required: the address is not loopback, or `require_login = true` (for a reverse proxy on
    /// the same host, whose requests all come from loopback).
    public internal(set) var requiresLogin = false
    /// `trusted_proxies`: addresses of reverse proxies whose `X-Forwarded-For` names the real client (for the login
    /// limiter and the audit log). Default: none, so the header is ignored.
    public var trustedProxies: Set<String> = []
    /// `audit_file`: the append-only log of the user's actions (default `$RECIO_HOME/web/audit.log`).
    public var auditFile: String
    /// Where the buy size and display mode shared by the user's devices are kept (`$RECIO_HOME/web/preferences.json`).
    public var preferencesFile: String

    /// Reads and validates the section; every problem names the file, line and key. A non-loopback address without
    /// a password file is an error on the `address` line.
    public init(configuration: BusConfiguration, plugin: String = "web", home: String = ProcInfo.recioHome) throws(WebError) {
        var r = SectionReader(file: configuration.file, name: "plugin.\(plugin)")
        for key in ["enabled", "host", "command"] { _ = r.raw(key) }
        address = r.string("address", default: address)
        port = r.int("port", default: port, range: 0...65_535)
        passwordFile = r.optionalString("password_file") ?? WebPassword.defaultPath(home: home)
        auditFile = r.optionalString("audit_file") ?? (home as NSString).appendingPathComponent("web/audit.log")
        preferencesFile = (home as NSString).appendingPathComponent("web/preferences.json")
        trustedProxies = Set(r.list("trusted_proxies", default: []).map { $0.lowercased() })
        sessionTTL = r.seconds("session_ttl", default: sessionTTL, range: 60...30 * 86_400)
        pushInterval = r.seconds("push_interval", default: pushInterval, range: 0...10)
        intentRepeat = r.seconds("intent_repeat", default: intentRepeat, range: 0.05...60)
        intentTimeout = r.seconds("intent_timeout", default: intentTimeout, range: 0.1...300)
        queryTimeout = r.seconds("query_timeout", default: queryTimeout, range: 0.1...300)
        entrySlippage = Self.dollars(&r, "entry_slippage", entrySlippage)
        closeSlippage = Self.dollars(&r, "close_slippage", closeSlippage)
        strategy = r.string("strategy", default: strategy)
        loginMaxFailures = r.int("login_max_failures", default: loginMaxFailures, range: 1...1_000)
        loginWindow = r.seconds("login_window", default: loginWindow, range: 1...86_400)
        tapRate = r.int("tap_rate", default: tapRate, range: 1...10_000)
        minBuyVolume = r.int("min_buy_volume", default: minBuyVolume, range: 0...100_000_000)
        staleAfter = r.seconds("stale_after", default: staleAfter, range: 1...600)
        let confirm = r.string("confirm_above", default: confirmAbove.description)
        if let v = Dollars(confirm), v >= .zero, v <= Dollars(cents: 100_000_000) { confirmAbove = v } else {
            r.fail("confirm_above", line: r.raw("confirm_above")?.line, "expected a dollar amount from 0 to 1000000, got '\(confirm)'")
        }
        publicName = r.optionalString("public_name")?.lowercased()
        if let name = publicName, name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) {
            r.fail("public_name", line: r.raw("public_name")?.line, "expected a host name such as dash.example.com (no scheme, no port)")
        }
        let forced = r.bool("require_login", default: false)
        requiresLogin = forced || !Self.isLoopback(address)
        if r.raw("require_login") != nil, !forced, requiresLogin {
            r.fail("require_login", line: r.raw("require_login")?.line, "cannot be false when listening on \(address) (not loopback)")
        }
        if address.isEmpty { r.fail("address", line: r.raw("address")?.line, "expected an address such as 127.0.0.1") }
        if requiresLogin && !FileManager.default.fileExists(atPath: passwordFile) {
            let key = forced && Self.isLoopback(address) ? "require_login" : "address"
            r.fail(key, line: r.raw(key)?.line,
                   "listening on \(address) with a login required, but there is no password file at \(passwordFile): run `recio web set-password`")
        }
        let errors = r.finish()
        if !errors.isEmpty { throw WebError(configuration: errors) }
    }

    /// A dollar amount between $0 and $0.99.
    private static func dollars(_ r: inout SectionReader, _ key: String, _ fallback: Dollars) -> Dollars {
        let text = r.string(key, default: fallback.description)
        guard let v = Dollars(text), v >= .zero, v <= Dollars(cents: 99) else {
            r.fail(key, line: r.raw(key)?.line, "expected a dollar amount from 0 to 0.99, got '\(text)'")
            return fallback
        }
        return v
    }

    /// True for `127.x.x.x`, `::1` and `localhost`.
    public static func isLoopback(_ address: String) -> Bool {
        let a = address.lowercased()
        return a == "localhost" || a == "::1" || a == "[::1]" || a.hasPrefix("127.")
    }
}

/// The web plugin's one error type: configuration problems (each naming file, line and key) or anything else.
public struct WebError: Error, Sendable, CustomStringConvertible {
    /// The configuration problems, all at once.
    public let configuration: [ConfigError]
    /// Anything else.
    public let message: String?

    /// Configuration problems.
    public init(configuration: [ConfigError]) { self.configuration = configuration; message = nil }
    /// Another problem.
    public init(_ message: String) { configuration = []; self.message = message }

    /// The problems, one a line.
    public var description: String { message ?? configuration.map(\.description).joined(separator: "\n") }
}
