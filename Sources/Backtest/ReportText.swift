import Money
import ProbabilityModel
import TradingWire

extension BacktestReport {
    /// The report as a terminal table.
    public func text() -> String {
        var s = "backtest \(UTCText.date(from))..\(UTCText.date(to)): \(marketMinutes) market-minutes, \(minutes) minutes\n\n"
        s += Self.header + "\n"
        s += Self.line(summary) + "\n"
        if let comparison { s += Self.line(comparison) + "\n" }
        s += "\nPnL by US Eastern hour of entry\n" + Self.buckets(byHour)
        s += "\nPnL by distance from the money at entry (strike spacings, + = in the money)\n" + Self.buckets(byDistance)
        if !summary.closeMethods.isEmpty {
            s += "\ncloses: " + summary.closeMethods.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        }
        for n in notes { s += "note: \(n)\n" }
        return s
    }

    static let header = pad("strategy", 34) + pad("trades", 8) + pad("win rate", 10) + pad("PnL", 13) + pad("fees", 11)
        + pad("max DD", 11) + pad("max held", 11) + pad("mean held", 11) + "in market"

    static func line(_ s: BacktestSummary) -> String {
        let share = s.exposure.minutes > 0 ? Double(s.exposure.minutesHeld) / Double(s.exposure.minutes) * 100 : 0
        return pad(String(s.strategy.prefix(33)), 34) + pad("\(s.trades)", 8) + pad(s.winRate ?? "-", 10) + pad(money(s.pnl), 13)
            + pad(money(s.fees), 11) + pad(money(s.maxDrawdown), 11) + pad(money(s.exposure.maximum), 11) + pad(money(s.exposure.mean), 11)
            + "\((share * 10).rounded() / 10)%"
    }

    static func buckets(_ list: [TradeStatistics.Bucket]) -> String {
        if list.isEmpty { return "  (no trades)\n" }
        return list.map { "  " + pad($0.key, 10) + pad("\($0.trades) trades", 12) + pad("win \($0.winRate ?? "-")", 13) + "PnL " + money($0.pnl) }
            .joined(separator: "\n") + "\n"
    }

    static func money(_ d: Dollars) -> String { d < .zero ? "-$" + Dollars(micros: -d.micros).formatted(decimals: 2) : "$" + d.formatted(decimals: 2) }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
}

/// `YYYY-MM-DD` text of Unix seconds, and the reverse.
public enum UTCText {
    /// `2025-04-20` → Unix seconds at 00:00 UTC; nil when not a date.
    public static func parse(_ text: String) -> Int64? { UTCDate.parse(text.count == 10 ? text + "T00:00:00Z" : text) }

    /// Unix seconds → `2025-04-20` (UTC).
    public static func date(_ ts: Int64) -> String {
        let days = ts >= 0 ? ts / 86_400 : (ts - 86_399) / 86_400
        // Howard Hinnant's civil-from-days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))"
    }
}
