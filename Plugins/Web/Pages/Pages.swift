import BusKit
import Foundation

/// The dashboard's pages: plain HTML, CSS and JavaScript kept in Swift strings, so the binary carries them and no
/// build step or CDN is needed.
enum Pages {
    /// The four pages.
    enum Kind: String, CaseIterable {
        case monitor, history, account, system
        var title: String {
            switch self {
            case .monitor: "Trade monitor"
            case .history: "History"
            case .account: "Account"
            case .system: "System"
            }
        }
        var path: String { self == .monitor ? "/" : "/\(rawValue)" }
    }

    /// One page: the shell (header, navigation, mode banner), its body and scripts.
    static func page(_ kind: Kind, mode: RunMode, login: Bool, minBuyVolume: Int = 1_000) -> String {
        let nav = Kind.allCases.map { k in
            "<a href=\"\(k.path)\" class=\"\(k == kind ? "on" : "")\" id=\"nav-\(k.rawValue)\">\(k.title)</a>"
        }.joined()
        let (body, script): (String, String) = switch kind {
        case .monitor: (monitorBody, monitorScript)
        case .history: (historyBody, historyScript)
        case .account: (accountBody, accountScript)
        case .system: (systemBody, systemScript)
        }
        let m = escape(mode.rawValue.uppercased())
        let logout = login ? "<form method=\"post\" action=\"/logout\" class=\"logout\"><button>Log out</button></form>" : ""
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>rec.io · \(kind.title)</title><style>\(css)</style></head>
            <body class="mode-\(mode.rawValue) page-\(kind.rawValue)" data-page="\(kind.rawValue)" data-min-buy-volume="\(minBuyVolume)">
            <div id="mode-banner" class="mode-banner">\(mode == .prod ? "PROD — REAL MONEY" : m)</div>
            <header><span class="logo">rec.io</span><nav>\(nav)</nav>
            <span id="conn" class="conn">connecting…</span><span id="trading" class="badge">—</span>\(logout)</header>
            <main>\(body)</main><div id="toasts"></div>
            <script>\(commonScript)</script><script>\(script)</script></body></html>
            """
    }

    /// The login form.
    static func login(message: String?) -> String {
        let note = message.map { "<p class=\"err\">\(escape($0))</p>" } ?? ""
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>rec.io · log in</title>
            <style>\(css)</style></head><body><main class="login"><h1 class="logo">rec.io</h1>\(note)
            <form method="post" action="/login"><label>Password <input type="password" name="password" autofocus></label>
            <button type="submit">Log in</button></form></main></body></html>
            """
    }

    /// HTML-escapes text.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
