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
        run(tape: tape, prices: prices, strategies: [strategy], from: from, to: to, balance: balance, warmUpMinutes: warmUpMinutes,
            progress: progress)[0]
    }

    /// Runs `strategies`, which share the first one's model settings (their model, strikes, filter and series are
    /// ignored), over one replay of the model: one run per strategy, each identical to running it alone.
    public static func run(tape: MarketTape, prices: MinuteSeries, strategies: [Strategy], from: Int64, to: Int64,
                           balance: Dollars = Dollars(cents: 1_000_000), warmUpMinutes: Int = 1_440,
                           progress: ((Double) -> Void)? = nil) -> [BacktestRun] {
        guard let first = strategies.first else { return [] }
        let start = (from / 60) * 60 - Int64(warmUpMinutes) * 60 + 60, last = (to / 60) * 60
        var engine = BacktestEngine(tape: tape, prices: prices, model: first, lanes: strategies.map { ($0.entry, $0.supervisor) },
                                    from: from, to: to, balance: balance)
        engine.start(now: BusTime(seconds: start - 60))
        var minutes = 0
        let total = max(1, Double((last - start) / 60 + 1))
        var t = start
        while t <= last {
            engine.step(minute: t)
            minutes += 1
            if minutes % 2_000 == 0 { progress?(Double(minutes) / total) }
            t += 60
        }
        progress?(1)
        var spacings: [String: Dollars] = [:]
        for e in tape.events { spacings[e.ticker] = e.spacing }
        return zip(strategies, engine.lanes).map { s, lane in
            BacktestRun(strategy: s.name, trades: lane.trades, exposure: lane.exposure.filter { $0.ts > from },
                        marketMinutes: engine.marketMinutes, minutes: minutes, spacings: spacings)
        }
    }
}
