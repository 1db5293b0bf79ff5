public import TradingWire
import CivilTime
import Money

/// Statistics over finished trades (`closed` and `settled`; rejected trades never traded): overall, by US Eastern
/// day and hour of day of the entry, and by strategy.
public enum TradeStatisticsBuilder {
    /// The statistics of `trades` (any statuses; only finished ones count), stamped `time`.
    public static func build(_ trades: some Sequence<TradeRecord>, time: String) -> TradeStatistics {
        let done = trades.filter { $0.status == .closed || $0.status == .settled }
        func group(_ key: (TradeRecord) -> String) -> [TradeStatistics.Bucket] {
            Dictionary(grouping: done, by: key).map { bucket(key: $0.key, $0.value) }.sorted { $0.key < $1.key }
        }
        return TradeStatistics(
            overall: bucket(key: "all", done),
            byDay: group { EasternTime.local($0.enteredTs).dateText },
            byHour: group { EasternTime.local($0.enteredTs).hourText },
            byStrategy: group(\.strategy), time: time)
    }

    /// One group's counts, win rate, PnL and fees.
    public static func bucket(key: String, _ trades: [TradeRecord]) -> TradeStatistics.Bucket {
        let wins = trades.count { $0.result == .win }, losses = trades.count { $0.result == .loss }
        let draws = trades.count { $0.result == .draw }
        let pnl = trades.reduce(Dollars.zero) { $0 + ($1.pnl ?? .zero) }
        let fees = trades.reduce(Dollars.zero) { $0 + $1.entryFees + $1.closeFees }
        return .init(key: key, trades: trades.count, wins: wins, losses: losses, draws: draws,
                     winRate: TradeMath.winRate(wins: wins, losses: losses), pnl: pnl, fees: fees)
    }
}
