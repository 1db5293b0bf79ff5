import BusWire
import Money
import ProbabilityModel
import TradingWire

/// What one backtest produced: every trade, the exposure series, how much was replayed.
public struct BacktestRun: Sendable {
    /// The strategy's label.
    public var strategy: String
    /// Every trade the trade book holds, oldest entry first (rejected ones too).
    public var trades: [TradeRecord]
    /// Entry cost held at the end of each minute.
    public var exposure: [(ts: Int64, cost: Dollars)]
    /// Market-minutes (candle rows) replayed.
    public var marketMinutes: Int
    /// Minutes stepped.
    public var minutes: Int
    /// Strike spacing per event ticker, for the distance buckets.
    public var spacings: [String: Dollars]

    /// Runs `strategy` over rows ending in (`from`, `to`], after `warmUpMinutes` of prices only (the volatility
    /// estimate warms up); `progress` gets the share done now and then.
    public static func run(tape: MarketTape, prices: MinuteSeries, strategy: Strategy, from: Int64, to: Int64,
                           balance: Dollars = Dollars(cents: 1_000_000), warmUpMinutes: Int = 1_440,
                           progress: ((Double) -> Void)? = nil) -> BacktestRun {
        let first = (from / 60) * 60 - Int64(warmUpMinutes) * 60 + 60, last = (to / 60) * 60
        var engine = BacktestEngine(tape: tape, prices: prices, strategy: strategy, from: from, to: to, balance: balance)
        engine.start(now: BusTime(seconds: first - 60))
        var minutes = 0
        let total = max(1, Double((last - first) / 60 + 1))
        var t = first
        while t <= last {
            engine.step(minute: t)
            minutes += 1
            if minutes % 2_000 == 0 { progress?(Double(minutes) / total) }
            t += 60
        }
        progress?(1)
        var spacings: [String: Dollars] = [:]
        for e in tape.events { spacings[e.ticker] = e.spacing }
        return BacktestRun(strategy: strategy.name, trades: engine.trades, exposure: engine.exposure.filter { $0.ts > from },
                           marketMinutes: engine.marketMinutes, minutes: minutes, spacings: spacings)
    }
}
