import Foundation
import Money
import TradingWire

/// Totals over a list of trades as the History page shows them: count, wins, losses, win rate, PnL, fees, the equity
/// curve (cumulative PnL by finish time) and PnL by hour of day (US Eastern, the market's clock). Pure.
public struct HistorySummary: Sendable, Hashable, Encodable {
    /// One point of the equity curve.
    public struct Point: Sendable, Hashable, Encodable {
        /// Unix seconds the trade finished.
        public var ts: Int64
        /// Cumulative PnL after it.
        public var equity: Dollars
    }
    /// Trades listed, and those with a result.
    public var trades: Int, wins: Int, losses: Int, draws: Int
    /// wins / (wins + losses) in percent to two places, nil without results.
    public var winRate: String?
    /// Σ PnL and Σ fees of the listed trades.
    public var pnl: Dollars, fees: Dollars
    /// Cumulative PnL in finish order.
    public var equity: [Point]
    /// PnL per hour of day (`"0"`…`"23"`, US Eastern, by entry time).
    public var pnlByHour: [String: Dollars]

    enum CodingKeys: String, CodingKey {
        case trades, wins, losses, draws, winRate = "win_rate", pnl, fees, equity, pnlByHour = "pnl_by_hour"
    }

    /// Summarises `trades`.
    public init(_ list: [TradeRecord]) {
        trades = list.count
        wins = list.filter { $0.result == .win }.count
        losses = list.filter { $0.result == .loss }.count
        draws = list.filter { $0.result == .draw }.count
        let decided = wins + losses
        winRate = decided == 0 ? nil : Self.percent(wins, of: decided)
        pnl = list.reduce(.zero) { $0 + ($1.pnl ?? .zero) }
        fees = list.reduce(.zero) { $0 + $1.entryFees + $1.closeFees }
        var running = Dollars.zero
        equity = list.filter { $0.pnl != nil }.sorted { ($0.finishedTs ?? $0.enteredTs) < ($1.finishedTs ?? $1.enteredTs) }.map { t in
            running = running + (t.pnl ?? .zero)
            return Point(ts: t.finishedTs ?? t.enteredTs, equity: running)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/New_York") ?? TimeZone(secondsFromGMT: -5 * 3_600)!
        var byHour: [String: Dollars] = [:]
        for t in list {
            guard let p = t.pnl else { continue }
            let hour = calendar.component(.hour, from: Date(timeIntervalSince1970: TimeInterval(t.enteredTs)))
            byHour[String(hour), default: .zero] = byHour[String(hour), default: .zero] + p
        }
        pnlByHour = byHour
    }

    /// `part / whole` in percent with two decimals, exact integer arithmetic.
    static func percent(_ part: Int, of whole: Int) -> String {
        let basis = (part * 10_000 + whole / 2) / whole
        let frac = basis % 100
        return "\(basis / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}

/// The filters of `GET /api/trades`, parsed from the query string.
public struct HistoryFilter: Sendable, Hashable {
    /// Unix seconds.
    public var from: Int64?, to: Int64?
    /// Trade statuses.
    public var statuses: [TradeStatus]?
    /// Strategy label.
    public var strategy: String?
    /// `win`, `loss`, `draw`.
    public var results: [TradeResult]?
    /// At most this many.
    public var limit: Int?

    /// Parses `from`/`to` (Unix seconds or `YYYY-MM-DD`, US Eastern; `to` as a date means the end of that day),
    /// `status` and `result` (comma-separated), `strategy`, `limit`. Nil with a message for a bad value.
    public static func parse(_ q: [String: String]) -> Result<HistoryFilter, WebError> {
        var f = HistoryFilter()
        if let v = q["from"], !v.isEmpty { guard let t = time(v, endOfDay: false) else { return .failure(WebError("bad from '\(v)'")) }; f.from = t }
        if let v = q["to"], !v.isEmpty { guard let t = time(v, endOfDay: true) else { return .failure(WebError("bad to '\(v)'")) }; f.to = t }
        if let v = q["status"], !v.isEmpty {
            let list = v.split(separator: ",").map { TradeStatus(rawValue: String($0)) }
            guard !list.contains(nil) else { return .failure(WebError("bad status '\(v)'")) }
            f.statuses = list.compactMap { $0 }
        }
        if let v = q["result"], !v.isEmpty {
            let list = v.split(separator: ",").map { TradeResult(rawValue: String($0)) }
            guard !list.contains(nil) else { return .failure(WebError("bad result '\(v)'")) }
            f.results = list.compactMap { $0 }
        }
        if let v = q["strategy"], !v.isEmpty { f.strategy = v }
        if let v = q["limit"], !v.isEmpty { guard let n = Int(v), n > 0 else { return .failure(WebError("bad limit '\(v)'")) }; f.limit = n }
        return .success(f)
    }

    /// Unix seconds from digits or a US Eastern date.
    static func time(_ text: String, endOfDay: Bool) -> Int64? {
        if let n = Int64(text) { return n }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/New_York") ?? TimeZone(secondsFromGMT: -5 * 3_600)!
        guard let day = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])) else { return nil }
        let start = Int64(day.timeIntervalSince1970)
        return endOfDay ? start + 86_400 : start
    }
}
