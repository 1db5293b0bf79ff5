import BusKit
import BusWire
import Money
import ProbabilityModel
import Synchronization
import TradingWire

/// A backtest through the real plugins over the in-memory bus (``PluginHarness``), minute by minute, with the same
/// inputs (``FeedReplay``) and the same venue (``CandleFiller``) as ``BacktestEngine``. Slow (it waits for the
/// plugins to go idle after every message); it exists to prove the engine trades exactly as the plugins do.
public enum PluginBacktest {
    /// The trades the plugins made over rows ending in (`from`, `to`], after `warmUpMinutes` of prices.
    public static func run(tape: MarketTape, prices: MinuteSeries, sections: String, from: Int64, to: Int64, warmUpMinutes: Int,
                           balance: Dollars = Dollars(cents: 1_000_000)) async throws(BacktestError) -> [TradeRecord] {
        let first = (from / 60) * 60 - Int64(warmUpMinutes) * 60 + 60, last = (to / 60) * 60
        let filler = Mutex(CandleFiller(tape: tape))
        let start = BusTime(seconds: first - 60)
        let harness = try PluginHarness(sections: sections, start: start) { intent, now in filler.withLock { $0.answer(intent, now: now) } }
        try? harness.bus.publish(.tradingState, BacktestEngine.activeStatus(now: start))
        try? harness.bus.publish(.accountBalance, AccountBalance(balance: balance, portfolioValue: nil, mode: "backtest", time: start.description))
        await harness.settle()
        var feed = FeedReplay(tape: tape, prices: prices, from: from, to: to)
        var t = first
        while t <= last {
            await harness.advance(to: BusTime(seconds: t))
            for input in feed.inputs(at: t) {
                harness.publish(input)
                await harness.settle()
            }
            t += 60
        }
        let trades = harness.trades
        await harness.stop()
        return trades.sorted { ($0.enteredTs, $0.id) < ($1.enteredTs, $1.id) }
    }
}
