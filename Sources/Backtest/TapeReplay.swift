import BusTools
import BusKit
import BusWire
import Executor
import Foundation
import Money
import Synchronization
import TradingWire

/// `recio replay`: a recorded bus tape (`recio record`) through the live plugins (``PluginHarness``), the clock
/// following the tape's receive times. Only what the plugins read from outside is replayed — BTC prices, market
/// messages, venue and account messages, the trading state, commands; what they produce themselves (model
/// tables, intents, order events, trades) is produced again. Intents are filled on paper against the latest
/// replayed book (``PaperBooks``, the executor's paper venue).
public enum TapeReplay {
    /// Topic prefixes replayed.
    public static let inputs = ["price.btc.", "market.", "venue.", "account.balance", "sys.control.state.trading", "cmd.trades.expire", "cmd.settings."]

    /// Replays `entries` through the plugins configured by `sections`; `speed` > 0 paces the replay at that many times
    /// real time, 0 runs as fast as the plugins go. Returns every trade, latest state.
    public static func run(entries: [Tape.Entry], sections: String, speed: Double = 0,
                           log: (@Sendable (String) -> Void)? = nil) async throws(BacktestError) -> [TradeRecord] {
        let replayed = entries.filter { e in inputs.contains { e.envelope.topic.hasPrefix($0) } }
        guard let first = replayed.first else { throw BacktestError("the tape holds no price, market or venue messages to replay") }
        let books = Mutex(PaperBooks())
        let start = first.received.adding(seconds: -1)
        let harness = try PluginHarness(sections: sections, start: start, venue: { intent, now in
            let (fill, why) = books.withLock { $0.fill(intent) }
            return OrderEvent(
                key: intent.key, source: intent.source, purpose: intent.purpose, tradeID: intent.tradeID,
                outcome: fill == nil ? .cancelled : fill!.count < intent.count ? .partiallyFilled : .filled,
                orderID: "replay-" + intent.key, clientOrderID: intent.key, ticker: intent.ticker, eventTicker: intent.eventTicker,
                side: intent.side, requestedCount: intent.count, filledCount: fill?.count ?? .zero, averagePrice: fill?.price,
                fees: fill?.fee ?? .zero, limitPrice: intent.limitPrice, reason: why, mode: "paper", replayed: false, time: now.description)
        }, books: { b in books.withLock { $0.update(b) } })
        try? harness.bus.publish(.tradingState, BacktestEngine.activeStatus(now: start))
        try? harness.bus.publish(.accountBalance, AccountBalance(balance: Dollars(cents: 1_000_000), portfolioValue: nil, mode: "paper", time: start.description))
        await harness.settle()
        let began = Date()
        for (i, e) in replayed.enumerated() {
            if speed > 0 {
                let due = first.received.seconds(until: e.received) / speed - Date().timeIntervalSince(began)
                if due > 0 { try? await Task.sleep(for: .milliseconds(Int64(due * 1000))) }
            }
            if harness.clock.now < e.received { await harness.advance(to: e.received) }
            guard let topic = try? Topic(validating: e.envelope.topic) else { continue }
            try? harness.bus.publish(topic, type: e.envelope.type, data: e.envelope.data)
            await harness.settle()
            if i % 1_000 == 0 { log?("replayed \(i)/\(replayed.count)") }
        }
        await harness.advance(to: harness.clock.now.adding(seconds: 5))
        let trades = harness.trades
        await harness.stop()
        return trades
    }
}
