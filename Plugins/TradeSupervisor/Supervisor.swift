import BusWire
import Money
import TradingWire

/// The trade supervisor's decisions as a pure state machine, with the clock passed in: fed open trades, strike
/// tables, momentum and the executor's answers, it returns the close intents to publish (auto-stop and ripcord) and
/// the live view of every trade. Nothing here reads the time or does I/O.
public struct Supervisor: Sendable {
    /// The rules in force; the shell replaces them on a runtime change.
    public var settings: SupervisorSettings
    /// The plugin name, the intents' `source`.
    public let source: String

    /// The trades of the last `trade.state.open`.
    public private(set) var trades: [TradeRecord] = []
    /// The last strike table of each event, with when it arrived.
    var tables: [String: (table: StrikeTable, at: BusTime)] = [:]
    /// The last momentum × 100, with when it arrived.
    var momentum: (value: Int, at: BusTime)?
    /// Since when each trade's win probability has been below the threshold.
    var below: [String: BusTime] = [:]
    /// The close attempt of each trade, by trade id.
    var attempts: [String: CloseAttempt] = [:]

    /// A supervisor with `settings`.
    public init(settings: SupervisorSettings, source: String = "trade-supervisor") {
        self.settings = settings; self.source = source
    }

    /// `trade.state.open`: forgets trades that are gone, then decides.
    public mutating func openTrades(_ message: OpenTrades, now: BusTime) -> [OrderIntent] {
        trades = message.trades
        let ids = Set(trades.map(\.id))
        attempts = attempts.filter { ids.contains($0.key) }
        below = below.filter { ids.contains($0.key) }
        for trade in trades {
            guard var attempt = attempts[trade.id] else { continue }
            if trade.status != .open {
                attempt.leftOpen = true
            } else if attempt.leftOpen, attempt.state == .done {
                // It went to closing and came back: that close did not take; another may follow after the delay.
                attempt.leftOpen = false
                attempt.state = .failed(retryAt: now.adding(seconds: settings.retryDelay))
            }
            attempts[trade.id] = attempt
        }
        return evaluate(now: now)
    }

    /// `model.strikes.<event>`.
    public mutating func strikeTable(_ table: StrikeTable, now: BusTime) -> [OrderIntent] {
        tables[table.eventTicker] = (table, now)
        return evaluate(now: now)
    }

    /// `price.btc.momentum` (score × 100; nil changes nothing).
    public mutating func momentum(_ scoreX100: Int?, now: BusTime) -> [OrderIntent] {
        guard let m = scoreX100 else { return [] }
        momentum = (m, now)
        return evaluate(now: now)
    }

    /// `order.event.trade-supervisor`: the executor answered a close. Bought (or still working) ends the attempt;
    /// nothing bought or a part allows another after `retry_delay`, for what the answer says is still held.
    public mutating func answer(_ event: OrderEvent, now: BusTime) {
        guard let tradeID = attempts.first(where: { $0.value.intent.key == event.key })?.key else { return }
        switch event.outcome {
        case .filled, .accepted: attempts[tradeID]!.state = .done
        case .error: break  // the executor keeps checking; keep repeating the same key
        case .cancelled, .rejected, .partiallyFilled:
            attempts[tradeID]!.state = .failed(retryAt: now.adding(seconds: settings.retryDelay))
            // What is still held, from the answer (the executor's count, which may be capped below ours), not from a
            // trade snapshot that may predate the fills.
            if event.filledCount > .zero {
                let left = max(event.requestedCount - event.filledCount, .zero)
                attempts[tradeID]!.held = min(attempts[tradeID]!.held ?? left, left)
            }
        }
    }

    /// Every tick: repeats unanswered closes (same key) and decides again (a retry may be due).
    public mutating func tick(now: BusTime) -> [OrderIntent] {
        var out: [OrderIntent] = []
        for id in attempts.keys.sorted() {
            guard case .pending(let next) = attempts[id]!.state, now >= next else { continue }
            out.append(attempts[id]!.intent)
            attempts[id]!.state = .pending(nextRepeat: now.adding(seconds: settings.repeatInterval))
        }
        return out + evaluate(now: now)
    }

    /// The settings were replaced at runtime.
    public mutating func apply(_ new: SupervisorSettings) {
        settings = new
        if !new.autoStop { below = [:] }
    }

    /// The fresh strike-table row of a trade's market, with its table.
    func row(for trade: TradeRecord, now: BusTime) -> (row: StrikeRow?, table: StrikeTable)? {
        guard let entry = tables[trade.eventTicker], entry.at.seconds(until: now) <= settings.maxDataAge else { return nil }
        return (entry.table.rows.first { $0.ticker == trade.ticker }, entry.table)
    }
}

/// One close in flight or done, for one trade.
struct CloseAttempt: Sendable, Hashable {
    enum State: Sendable, Hashable {
        /// Unanswered; repeated at `nextRepeat`.
        case pending(nextRepeat: BusTime)
        /// Bought or still working at the venue: no other attempt while the trade is listed.
        case done
        /// Nothing bought: another attempt may start at `retryAt`.
        case failed(retryAt: BusTime)
    }
    var intent: OrderIntent
    var state: State
    /// 1 for the first attempt.
    var number: Int
    /// The trade left `open` (to closing) since this attempt was made.
    var leftOpen = false
    /// What the trade still holds after this attempt's partial fills, from the executor's answers.
    var held: Contracts?
}
