import BusWire
import Money
@testable import TradeSupervisor
import TradingWire

/// Builders for trade-supervisor tests.
enum TS {
    static let t0 = BusTime(seconds: 1_750_000_000)
    static let event = "KXBTCD-25JUN1510"
    static let ticker = "KXBTCD-25JUN1510-T104999.99"

    static func at(_ seconds: Double) -> BusTime { t0.adding(seconds: seconds) }
    static var unix0: Int64 { t0.microseconds / 1_000_000 }

    /// A row of `ticker` with P(YES) = `pYes` and the given asks.
    static func row(_ ticker: String = ticker, pYes: Double, yesAsk: String? = "0.50", noAsk: String? = "0.50",
                    distance: String = "250") -> StrikeRow {
        StrikeRow(ticker: ticker, strike: Dollars("104999.99")!, distance: Dollars(distance)!, distanceSpacings: nil, probabilityYes: pYes,
                  winProbability: max(pYes, 1 - pYes), fairYes: Dollars("0.50")!, fairNo: Dollars("0.50")!, yesBid: nil,
                  yesAsk: yesAsk.flatMap { Dollars($0) }, noBid: nil, noAsk: noAsk.flatMap { Dollars($0) }, yesAskSize: nil, noAskSize: nil,
                  edgeYes: nil, edgeNo: nil, activeSide: .yes, volume: nil)
    }

    static func table(_ rows: [StrikeRow], event: String = event, btc: String = "105249.99") -> StrikeTable {
        StrikeTable(series: "KXBTCD", eventTicker: event, model: "test", btcPrice: Dollars(btc)!, momentum: nil, ttcSeconds: 900,
                    closeTs: unix0 + 900, strikeSpacing: Dollars("250"), rows: rows, time: t0.description)
    }

    /// An open trade entered `enteredAgo` seconds before t0.
    static func trade(_ id: String = "ae-t1", side: TradeSide = .yes, status: TradeStatus = .open, count: Int64 = 10,
                      entry: String = "0.60", fees: String = "0.17", enteredAgo: Int64 = 600, ticker: String = ticker) -> TradeRecord {
        TradeRecord(id: id, status: status, ticker: ticker, eventTicker: event, strike: Dollars("104999.99"), side: side,
                    requestedCount: Contracts(whole: count), count: Contracts(whole: count), entryPrice: Dollars(entry), entryFees: Dollars(fees)!,
                    entryOrderID: "o1", closeOrderID: nil, closePrice: nil, closeFees: .zero, exitValue: nil, pnl: nil, result: nil,
                    strategy: "Hourly HTC", entryMethod: "auto", closeMethod: nil, probability: 0.8, edge: nil, btcAtEntry: nil, btcAtClose: nil,
                    momentum: nil, closeTs: unix0 + 900, enteredTs: unix0 - enteredAgo, finishedTs: nil, note: nil, updatedTime: t0.description)
    }

    static func open(_ trades: [TradeRecord]) -> OpenTrades { OpenTrades(trades: trades, time: t0.description) }

    static func answer(_ intent: OrderIntent, _ outcome: OrderOutcome, filled: Int64 = 0) -> OrderEvent {
        OrderEvent(key: intent.key, source: intent.source, purpose: .close, tradeID: intent.tradeID, outcome: outcome, orderID: "o2",
                   clientOrderID: intent.key, ticker: intent.ticker, eventTicker: intent.eventTicker, side: intent.side,
                   requestedCount: intent.count, filledCount: Contracts(whole: filled), averagePrice: nil, fees: nil,
                   limitPrice: intent.limitPrice, reason: nil, mode: "sim", replayed: false, time: t0.description)
    }

    static func supervisor(_ edit: (inout SupervisorSettings) -> Void = { _ in }) -> Supervisor {
        var s = SupervisorSettings()
        edit(&s)
        return Supervisor(settings: s)
    }
}
