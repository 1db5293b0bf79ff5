import CivilTime
import Money
import ProbabilityModel
import TradeManager
import TradingWire

/// The figures of one strategy over one window.
public struct BacktestSummary: Codable, Sendable, Hashable {
    /// The strategy's label.
    public var strategy: String
    /// Finished trades (closed or settled), wins, losses, draws, and the win rate (`0.9080`).
    public var trades: Int, wins: Int, losses: Int, draws: Int
    /// `wins / (wins + losses)`, four decimals.
    public var winRate: String?
    /// PnL after every fee, and the fees.
    public var pnl: Dollars, fees: Dollars
    /// The largest fall of cumulative PnL (trades in finishing order) from an earlier peak.
    public var maxDrawdown: Dollars
    /// Entry cost held, per minute.
    public var exposure: Metrics.Exposure
    /// Closes by method (`auto-stop`, `ripcord`, `expired`…).
    public var closeMethods: [String: Int]
    /// Entries the venue filled nothing of.
    public var unfilled: Int

    enum CodingKeys: String, CodingKey {
        case strategy, trades, wins, losses, draws, winRate = "win_rate", pnl, fees, maxDrawdown = "max_drawdown", exposure
        case closeMethods = "close_methods", unfilled
    }
}

/// One point of the equity curve: cumulative PnL after a trade finished.
public struct EquityPoint: Codable, Sendable, Hashable {
    /// When the trade finished, Unix seconds.
    public var ts: Int64
    /// Cumulative PnL then.
    public var pnl: Dollars
}

/// Everything `recio backtest` reports.
public struct BacktestReport: Codable, Sendable {
    /// The window, Unix seconds (rows ending in (from, to]).
    public var from: Int64, to: Int64
    /// Market-minutes replayed and minutes stepped.
    public var marketMinutes: Int, minutes: Int
    /// The strategy's figures.
    public var summary: BacktestSummary
    /// The original REC.IO default rules on the same data.
    public var comparison: BacktestSummary?
    /// PnL by US Eastern hour of entry.
    public var byHour: [TradeStatistics.Bucket]
    /// PnL by distance from the money at entry, in strike spacings (positive: in the money for the trade's side).
    public var byDistance: [TradeStatistics.Bucket]
    /// Cumulative PnL after each finished trade.
    public var equity: [EquityPoint]
    /// The strategy's model scored against the outcomes of the window (and the market's mid).
    public var calibration: EvaluationReport?
    /// Every finished trade.
    public var trades: [TradeRecord]
    /// What the reader should know (models used, fill rules, walk-forward).
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case from, to, marketMinutes = "market_minutes", minutes, summary, comparison, byHour = "by_hour", byDistance = "by_distance"
        case equity, calibration, trades, notes
    }

    /// Finished trades in finishing order.
    public static func finished(_ run: BacktestRun) -> [TradeRecord] {
        run.trades.filter { $0.status == .closed || $0.status == .settled }
            .sorted { ($0.finishedTs ?? 0, $0.id) < ($1.finishedTs ?? 0, $1.id) }
    }

    /// The summary of a run.
    public static func summary(_ run: BacktestRun) -> BacktestSummary {
        let done = finished(run)
        let b = TradeStatisticsBuilder.bucket(key: "all", done)
        var methods: [String: Int] = [:]
        for t in done { methods[t.closeMethod ?? "unknown", default: 0] += 1 }
        let unfilled = run.trades.count { $0.status == .rejected }
        return BacktestSummary(strategy: run.strategy, trades: b.trades, wins: b.wins, losses: b.losses, draws: b.draws, winRate: b.winRate,
                               pnl: b.pnl, fees: b.fees, maxDrawdown: Metrics.maxDrawdown(Metrics.cumulative(done.map { $0.pnl ?? .zero })),
                               exposure: Metrics.exposure(run.exposure.map(\.cost)), closeMethods: methods, unfilled: unfilled)
    }

    /// The distance bucket of a trade: whole strike spacings from the money at entry, clamped to ±3.
    public static func distanceBucket(_ t: TradeRecord, spacing: Dollars?) -> String {
        guard let btc = t.btcAtEntry, let strike = t.strike, let spacing, spacing > .zero else { return "unknown" }
        var d = btc.micros - strike.micros
        if t.side == .no { d = -d }
        let k = Int((Double(d) / Double(spacing.micros)).rounded(.down))
        if k <= -3 { return "<= -3" }
        if k >= 3 { return ">= +3" }
        func s(_ v: Int) -> String { v >= 0 ? "+\(v)" : "\(v)" }
        return "\(s(k))..\(s(k + 1))"
    }

    /// The report of `run`, with `comparison`'s summary beside it.
    public init(run: BacktestRun, comparison: BacktestRun?, from: Int64, to: Int64, calibration: EvaluationReport?, notes: [String]) {
        self.from = from; self.to = to
        marketMinutes = run.marketMinutes; minutes = run.minutes
        summary = Self.summary(run)
        self.comparison = comparison.map(Self.summary)
        let done = Self.finished(run)
        byHour = Dictionary(grouping: done) { EasternTime.local($0.enteredTs).hourText }
            .map { TradeStatisticsBuilder.bucket(key: $0.key, $0.value) }.sorted { $0.key < $1.key }
        let order = ["<= -3", "-3..-2", "-2..-1", "-1..+0", "+0..+1", "+1..+2", "+2..+3", ">= +3", "unknown"]
        byDistance = Dictionary(grouping: done) { Self.distanceBucket($0, spacing: run.spacings[$0.eventTicker]) }
            .map { TradeStatisticsBuilder.bucket(key: $0.key, $0.value) }
            .sorted { (order.firstIndex(of: $0.key) ?? 99) < (order.firstIndex(of: $1.key) ?? 99) }
        let cumulative = Metrics.cumulative(done.map { $0.pnl ?? .zero })
        equity = zip(done, cumulative).map { EquityPoint(ts: $0.finishedTs ?? 0, pnl: $1) }
        self.calibration = calibration
        trades = done
        self.notes = notes
    }
}
