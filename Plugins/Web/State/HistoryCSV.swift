import BusWire
import Money
import TradingWire

/// Trades as CSV (RFC 4180) for `GET /api/trades.csv`: one row per trade, money as exact decimal strings, times as
/// RFC 3339 UTC. A text cell that a spreadsheet would take for a formula gets a leading `'`. Pure.
public enum HistoryCSV {
    /// The header row's columns.
    public static let columns = [
        "id", "entered", "status", "strategy", "ticker", "event_ticker", "side", "count", "entry_price", "exit_price",
        "fees", "pnl", "result", "close_method", "closed", "note",
    ]

    /// The header, then one line per trade; lines end with CRLF.
    public static func render(_ trades: [TradeRecord]) -> String {
        var out = columns.joined(separator: ",") + "\r\n"
        for t in trades {
            let cells: [String] = [
                text(t.id), time(t.enteredTs), t.status.rawValue, text(t.strategy), text(t.ticker), text(t.eventTicker),
                t.side.rawValue, t.count.description, money(t.entryPrice), money(t.exitValue), money(t.entryFees + t.closeFees),
                money(t.pnl), t.result?.rawValue ?? "", text(t.closeMethod ?? ""), t.finishedTs.map(time) ?? "", text(t.note ?? ""),
            ]
            out += cells.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// As on the wire: four decimals when exact, else six.
    static func money(_ d: Dollars?) -> String {
        guard let d else { return "" }
        return d.micros % 100 == 0 ? d.formatted(decimals: 4) : d.description
    }

    static func time(_ seconds: Int64) -> String { BusTime(seconds: seconds).description }

    /// A text cell: quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-`, `@`, tab or CR
    /// defused with `'`.
    static func text(_ s: String) -> String {
        var v = s
        if let first = v.first, "=+-@\t\r".contains(first) { v = "'" + v }
        guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return v }
        return "\"" + String(v.flatMap { $0 == "\"" ? ["\"", "\""] : [$0] }) + "\""
    }
}
