@testable import AutoEntry
import BusWire
import Money
import TradingWire

/// Builders for auto-entry tests.
enum AE {
    static let t0 = BusTime(seconds: 1_750_000_000)
    static let event = "KXBTCD-25JUN1510"

    static func at(_ seconds: Double) -> BusTime { t0.adding(seconds: seconds) }

    /// A watchlist row whose active side is `side`, with that side's P(win), ask and edge.
    static func row(_ ticker: String = "KXBTCD-25JUN1510-T104999.99", strike: String = "104999.99", side: TradeSide = .yes,
                    p: Double = 0.90, ask: String? = "0.80", edge: String? = "0.10") -> StrikeRow {
        let a = ask.flatMap { Dollars($0) }, e = edge.flatMap { Dollars($0) }
        return StrikeRow(ticker: ticker, strike: Dollars(strike)!, distance: Dollars("500")!, distanceSpacings: "2.00",
                         probabilityYes: side == .yes ? p : 1 - p, winProbability: p, fairYes: Dollars("0.90")!, fairNo: Dollars("0.10")!,
                         yesBid: nil, yesAsk: side == .yes ? a : Dollars("0.30"), noBid: nil, noAsk: side == .no ? a : Dollars("0.30"),
                         yesAskSize: nil, noAskSize: nil, edgeYes: side == .yes ? e : nil, edgeNo: side == .no ? e : nil,
                         activeSide: side, volume: Contracts(whole: 5_000))
    }

    static func watchlist(_ rows: [StrikeRow], event: String = event, ttc: Int64 = 600, momentum: Int? = 3) -> Watchlist {
        Watchlist(eventTicker: event, model: "test", btcPrice: Dollars("105500")!, momentum: momentum, ttcSeconds: ttc,
                  closeTs: t0.microseconds / 1_000_000 + ttc, rows: rows, time: t0.description)
    }

    static func trade(_ id: String, ticker: String = "KXBTCD-25JUN1510-T104999.99", event: String = event, side: TradeSide = .yes,
                      status: TradeStatus = .open) -> TradeRecord {
        TradeRecord(id: id, status: status, ticker: ticker, eventTicker: event, strike: nil, side: side, requestedCount: Contracts(whole: 1),
                    count: Contracts(whole: 1), entryPrice: Dollars("0.80"), entryFees: .zero, entryOrderID: nil, closeOrderID: nil,
                    closePrice: nil, closeFees: .zero, exitValue: nil, pnl: nil, result: nil, strategy: "Hourly HTC", entryMethod: "auto",
                    closeMethod: nil, probability: nil, edge: nil, btcAtEntry: nil, btcAtClose: nil, momentum: nil, closeTs: nil,
                    enteredTs: t0.microseconds / 1_000_000, finishedTs: nil, note: nil, updatedTime: t0.description)
    }

    static func open(_ trades: [TradeRecord]) -> OpenTrades { OpenTrades(trades: trades, time: t0.description) }

    static func status(_ mode: TradingMode) -> TradingStatus {
        TradingStatus(mode: mode, hard: false, holds: [], venueMode: "sim", time: t0.description)
    }

    static func balance(_ text: String) -> AccountBalance { AccountBalance(balance: Dollars(text)!, portfolioValue: nil, mode: "sim", time: t0.description) }

    /// Settings with auto-entry on and generous caps, changed by `edit`.
    static func settings(_ edit: (inout AutoEntrySettings) -> Void = { _ in }) -> AutoEntrySettings {
        var s = AutoEntrySettings()
        s.enabled = true
        edit(&s)
        return s
    }

    /// A decider that has seen everything it needs: ACTIVE, no open trades, $1000, calm momentum.
    static func ready(_ edit: (inout AutoEntrySettings) -> Void = { _ in }) -> EntryDecider {
        var d = EntryDecider(settings: settings(edit))
        d.tradingStatus(status(.active))
        d.openTrades(open([]))
        d.balance(balance("1000"))
        d.momentum(3, now: t0)
        return d
    }

    static func answer(_ intent: OrderIntent, _ outcome: OrderOutcome, filled: Int64 = 0, price: String? = nil) -> OrderEvent {
        OrderEvent(key: intent.key, source: intent.source, purpose: intent.purpose, tradeID: intent.tradeID, outcome: outcome, orderID: "o-1",
                   clientOrderID: intent.key, ticker: intent.ticker, eventTicker: intent.eventTicker, side: intent.side,
                   requestedCount: intent.count, filledCount: Contracts(whole: filled), averagePrice: price.flatMap { Dollars($0) },
                   fees: nil, limitPrice: intent.limitPrice, reason: nil, mode: "sim", replayed: false, time: t0.description)
    }
}
