import BusKit
import Foundation

/// The dashboard's pages: plain HTML, CSS and JavaScript kept in Swift strings, so the binary carries them and no
/// build step or CDN is needed. Styles and scripts are served as files under `/assets/` (never inline), so the
/// Content-Security-Policy allows only `'self'`.
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
    /// `confirmAbove` and `entrySlippage` (dollars, decimal text) and `staleAfter` (seconds) are the monitor's buy guards.
    static func page(_ kind: Kind, mode: RunMode, login: Bool, minBuyVolume: Int = 1_000, confirmAbove: String = "25",
                     entrySlippage: String = "0.02", staleAfter: Double = 5) -> String {
        let nav = Kind.allCases.map { k in
            "<a href=\"\(k.path)\" class=\"\(k == kind ? "on" : "")\" id=\"nav-\(k.rawValue)\">\(k.title)</a>"
        }.joined()
        let body = switch kind {
        case .monitor: monitorBody
        case .history: historyBody
        case .account: accountBody
        case .system: systemBody
        }
        let m = escape(mode.rawValue.uppercased())
        let logout = login ? "<form method=\"post\" action=\"/logout\" class=\"logout\"><button>Log out</button></form>" : ""
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>rec.io · \(kind.title)</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/assets/app.css"></head>
            <body class="mode-\(mode.rawValue) page-\(kind.rawValue)" data-page="\(kind.rawValue)" data-min-buy-volume="\(minBuyVolume)" data-confirm-above="\(escape(confirmAbove))" data-entry-slippage="\(escape(entrySlippage))" data-stale-after="\(staleAfter)">
            <div id="mode-banner" class="mode-banner">\(mode == .prod ? "PROD — REAL MONEY" : m)</div>
            <header><span class="logo">rec.io</span><nav>\(nav)</nav>
            <span id="conn" class="conn">connecting…</span><span id="trading" class="badge">—</span><span id="auto" class="badge">auto —</span>
            <span id="ages" class="muted small">—</span><button id="mute" class="switch" title="alert sounds">sound on</button>\(logout)</header>
            <div id="fleet-down" class="fleet-down" hidden>FLEET NOT ANSWERING — no update for <span id="fleet-silence">—</span>; what is shown is stale</div>
            <main>\(body)</main><div id="toasts"></div>
            <script src="/assets/common.js"></script><script src="/assets/\(kind.rawValue).js"></script></body></html>
            """
    }

    /// The login form.
    static func login(message: String?) -> String {
        let note = message.map { "<p class=\"err\">\(escape($0))</p>" } ?? ""
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>rec.io · log in</title>
            <link rel="icon" href="data:,"><link rel="stylesheet" href="/assets/app.css"></head><body><main class="login"><h1 class="logo">rec.io</h1>\(note)
            <form method="post" action="/login"><label>Password <input type="password" name="password" autofocus></label>
            <button type="submit">Log in</button></form></main></body></html>
            """
    }

    /// The files under `/assets/`: the stylesheet, the shared script and one script per page, with their content type.
    static func asset(_ name: String) -> (text: String, type: String)? {
        switch name {
        case "app.css": (css, "text/css; charset=utf-8")
        case "common.js": (commonScript, "text/javascript; charset=utf-8")
        case "monitor.js": (monitorScript, "text/javascript; charset=utf-8")
        case "history.js": (historyScript, "text/javascript; charset=utf-8")
        case "account.js": (accountScript, "text/javascript; charset=utf-8")
        case "system.js": (systemScript, "text/javascript; charset=utf-8")
        default: nil
        }
    }

    /// HTML-escapes text.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
