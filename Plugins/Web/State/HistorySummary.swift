import CivilTime
import Money
import TradingWire

/// The totals of `GET /api/trades`: the trade manager's summary over every trade the filter matches (not only the
/// page), with the win rate in percent to two places as the page shows it. Pure.
public struct HistorySummary: Sendable, Hashable, Encodable {
    /// Trades matched, and those with each result.
    public var trades: Int, wins: Int, losses: Int, draws: Int
    /// wins / (wins + losses) in percent to two places, nil without results.
    public var winRate: String?
    /// Σ PnL and Σ fees of the matched trades.
    public var pnl: Dollars, fees: Dollars

    enum CodingKeys: String, CodingKey { case trades, wins, losses, draws, winRate = "win_rate", pnl, fees }

    /// The store's totals.
    public init(_ totals: TradeStatistics.Bucket) {
        trades = totals.trades; wins = totals.wins; losses = totals.losses; draws = totals.draws
        pnl = totals.pnl; fees = totals.fees
        winRate = wins + losses == 0 ? nil : Self.percent(wins, of: wins + losses)
    }

    /// `part / whole` in percent with two decimals, exact integer arithmetic.
    static func percent(_ part: Int, of whole: Int) -> String {
        let basis = (part * 10_000 + whole / 2) / whole
        let frac = basis % 100
        return "\(basis / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}

/// The filters and paging of `GET /api/trades`, parsed from the query string.
public struct HistoryFilter: Sendable, Hashable {
    /// Unix seconds (entry at or after / before).
    public var fromTs: Int64?, toTs: Int64?
    /// US Eastern days `YYYY-MM-DD`, both inclusive.
    public var fromDay: String?, toDay: String?
    /// Trade statuses.
    public var statuses: [TradeStatus]?
    /// `win`, `loss`, `draw`.
    public var results: [TradeResult]?
    /// Strategy label.
    public var strategy: String?
    /// The page size.
    public var limit: Int?
    /// Where the page starts (the previous answer's `next_cursor`).
    public var cursor: String?

    /// Parses `from`/`to` (Unix seconds, or a US Eastern day `YYYY-MM-DD`, `to` inclusive), `status` and `result`
    /// (comma-separated), `strategy`, `limit` and `cursor`. A failure names the bad value.
    public static func parse(_ q: [String: String]) -> Result<HistoryFilter, WebError> {
        var f = HistoryFilter()
        for key in ["from", "to"] {
            guard let v = q[key], !v.isEmpty else { continue }
            if let n = Int64(v) {
                if key == "from" { f.fromTs = n } else { f.toTs = n }
            } else {
                guard EasternTime.startOfDay(v) != nil else { return .failure(WebError("bad \(key) '\(v)': Unix seconds or YYYY-MM-DD")) }
                if key == "from" { f.fromDay = v } else { f.toDay = v }
            }
        }
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
        if let v = q["cursor"], !v.isEmpty { f.cursor = v }
        return .success(f)
    }

    /// The trade manager query for this filter.
    public func query(requester: String, requestID: String) -> TradeQuery {
        TradeQuery(requester: requester, requestID: requestID, fromTs: fromTs, toTs: toTs, fromDay: fromDay, toDay: toDay,
                   statuses: statuses, results: results, strategy: strategy, limit: limit, cursor: cursor)
    }
}
