import CivilTime
import Foundation
import Money
import TradingWire

/// What a sweep keeps of a finished trade.
public struct SweepTrade: Sendable, Hashable {
    /// The close of the trade's event (which window it belongs to) and when the trade finished, Unix seconds.
    public var eventClose: Int64, finished: Int64
    /// PnL after fees, and the fees.
    public var pnl: Dollars, fees: Dollars

    /// The finished trades of `run` (closed or settled), with their events' closes from `closes`.
    public static func of(_ run: BacktestRun, closes: [String: Int64]) -> [SweepTrade] {
        BacktestReport.finished(run).map { t in
            SweepTrade(eventClose: closes[t.eventTicker] ?? t.finishedTs ?? 0, finished: t.finishedTs ?? 0, pnl: t.pnl ?? .zero, fees: t.entryFees + t.closeFees)
        }
    }
}

/// Out-of-sample figures of a list of trades.
public struct SweepFigures: Sendable, Hashable, Codable {
    /// Finished trades, wins (PnL after fees above zero), losses (below).
    public var trades: Int, wins: Int, losses: Int
    /// `wins / (wins + losses)`, four decimals.
    public var winRate: String?
    /// PnL after fees, fees, PnL per trade (rounded toward zero to the micro).
    public var pnl: Dollars, fees: Dollars, pnlPerTrade: Dollars
    /// Largest fall of cumulative PnL (trades in finishing order) from an earlier peak.
    public var maxDrawdown: Dollars

    enum CodingKeys: String, CodingKey {
        case trades, wins, losses, winRate = "win_rate", pnl, fees, pnlPerTrade = "pnl_per_trade", maxDrawdown = "max_drawdown"
    }

    /// The figures of `trades`.
    public init(_ trades: [SweepTrade]) {
        let sorted = trades.sorted { $0.finished < $1.finished }
        self.trades = trades.count
        wins = trades.count { $0.pnl > .zero }
        losses = trades.count { $0.pnl < .zero }
        winRate = wins + losses == 0 ? nil : String(format: "%.4f", Double(wins) / Double(wins + losses))
        pnl = trades.reduce(.zero) { $0 + $1.pnl }
        fees = trades.reduce(.zero) { $0 + $1.fees }
        pnlPerTrade = trades.isEmpty ? .zero : Dollars(micros: pnl.micros / Int64(trades.count))
        maxDrawdown = Metrics.maxDrawdown(Metrics.cumulative(sorted.map(\.pnl)))
    }

    /// Each US Eastern day of `window`, with the PnL and count of `trades` whose event closed in it (days without
    /// trades count, as zero).
    public static func days(_ trades: [SweepTrade], in window: TimeWindow) -> [DayResult] {
        var order: [String] = [], byDay: [String: DayResult] = [:]
        var t = window.from + 3_600
        while t <= window.to {
            let d = EasternTime.local(t).dateText
            if byDay[d] == nil { order.append(d); byDay[d] = DayResult(day: d, pnl: .zero, trades: 0) }
            t += 3_600
        }
        for tr in trades where window.contains(tr.eventClose) {
            let d = EasternTime.local(tr.eventClose).dateText
            if byDay[d] == nil { order.append(d); byDay[d] = DayResult(day: d, pnl: .zero, trades: 0) }
            byDay[d]!.pnl = byDay[d]!.pnl + tr.pnl
            byDay[d]!.trades += 1
        }
        return order.compactMap { byDay[$0] }
    }
}
