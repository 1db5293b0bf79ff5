import BusWire
import MarketWire
import Money
import TradeManager
import TradingWire

/// Messages for trade-manager tests: one hourly event (closing 2026-12-01 14:00 EST = 19:00 UTC) and its markets.
enum TM {
    static let event = "KXBTCD-26DEC0114"
    static let ticker = "KXBTCD-26DEC0114-T91249.99"
    static let otherTicker = "KXBTCD-26DEC0114-T91499.99"
    static let closeTs: Int64 = 1_796_151_600
    /// 13:30 EST, half an hour before the close.
    static let t0 = BusTime(seconds: closeTs - 1_800)

    static func d(_ s: String) -> Dollars { Dollars(s)! }
    static func n(_ w: Int64) -> Contracts { Contracts(whole: w) }
    static func at(_ seconds: Int64) -> BusTime { BusTime(seconds: t0.microseconds / 1_000_000 + seconds) }

    static func entry(_ key: String, side: TradeSide = .yes, count: Int64 = 10, ticker: String = ticker,
                      strategy: String = "Hourly HTC") -> OrderIntent {
        OrderIntent(key: key, source: "auto-entry", purpose: .entry, ticker: ticker, eventTicker: event, side: side,
                    count: n(count), limitPrice: d("0.60"), strike: d("91249.99"), probability: 0.9, edge: d("0.04"),
                    btcPrice: d("91500"), momentum: 3, strategy: strategy, method: "auto", createdTime: t0.description)
    }

    static func close(_ key: String, trade: String, side: TradeSide = .no, count: Int64 = 10, ticker: String = ticker) -> OrderIntent {
        OrderIntent(key: key, source: "trade-supervisor", purpose: .close, tradeID: trade, ticker: ticker, eventTicker: event,
                    side: side, count: n(count), limitPrice: d("0.50"), method: "auto-stop", createdTime: t0.description)
    }

    static func answer(_ key: String, _ outcome: OrderOutcome, purpose: OrderPurpose = .entry, trade: String? = nil,
                       order: String?, filled: Int64 = 0, filledCentis: Int64? = nil, price: String? = nil, fees: String? = nil,
                       side: TradeSide = .yes, requested: Int64 = 10, ticker: String = ticker, reason: String? = nil) -> OrderEvent {
        OrderEvent(key: key, source: purpose == .entry ? "auto-entry" : "trade-supervisor", purpose: purpose,
                   tradeID: purpose == .close ? trade : nil, outcome: outcome, orderID: order, clientOrderID: key, ticker: ticker,
                   eventTicker: event, side: side, requestedCount: n(requested),
                   filledCount: filledCentis.map(Contracts.init(centis:)) ?? n(filled), averagePrice: price.map(d),
                   fees: fees.map(d), limitPrice: d("0.60"), reason: reason, mode: "sim", replayed: false, time: t0.description)
    }

    static func fill(_ id: String, order: String, count: Int64, price: String, fee: String?, side: TradeSide = .yes,
                     ticker: String = ticker, action: String = "buy") -> VenueFill {
        VenueFill(fillID: id, orderID: order, ticker: ticker, side: side, action: action, count: n(count), price: d(price),
                  fee: fee.map(d), isTaker: true, ts: closeTs - 1_700)
    }

    static func settlement(_ result: String, ticker: String = ticker) -> VenueSettlement {
        VenueSettlement(ticker: ticker, eventTicker: event, result: result, yesCount: n(15), noCount: .zero, yesTotalCost: nil,
                        noTotalCost: nil, revenue: d("15"), fee: nil, settledTs: closeTs + 600)
    }

    /// A book with trade `key` open: `count` YES at `price` with `fees`, entry order `order`.
    static func openBook(_ key: String = "T1", count: Int64 = 10, price: String = "0.56", fees: String = "0.18",
                         order: String = "O1", side: TradeSide = .yes, into book: inout TradeBook) {
        _ = book.apply(intent: entry(key, side: side, count: count), now: t0)
        _ = book.apply(event: answer(key, .filled, order: order, filled: count, price: price, fees: fees, side: side,
                                     requested: count), now: at(1))
    }
}

/// Stored trades for query tests, written straight into a database.
enum Seed {
    /// A finished (or, without `pnl`, open) trade entered at `entered`, finished ten minutes later.
    static func record(_ id: String, entered: Int64, status: TradeStatus = .closed, pnl: String? = nil, fees: String = "0.02",
                       strategy: String = "Hourly HTC") -> TradeRecord {
        let p = pnl.map(TM.d)
        return TradeRecord(
            id: id, status: status, ticker: TM.ticker, eventTicker: TM.event, strike: TM.d("91249.99"), side: .yes,
            requestedCount: TM.n(2), count: TM.n(2), entryPrice: TM.d("0.60"), entryFees: TM.d(fees), entryOrderID: "o-\(id)",
            closeOrderID: nil, closePrice: nil, closeFees: p == nil ? .zero : TM.d("0.01"), exitValue: p == nil ? nil : TM.d("0.80"),
            pnl: p, result: p.map(TradeMath.result(of:)), strategy: strategy, entryMethod: "auto", closeMethod: p == nil ? nil : "expired",
            probability: 0.9, edge: nil, btcAtEntry: nil, btcAtClose: nil, momentum: nil, closeTs: nil, enteredTs: entered,
            finishedTs: p == nil ? nil : entered + 600, note: nil, updatedTime: "2026-03-08T12:00:00.000000Z")
    }

    /// Writes `records` into the database at `path` (created when missing).
    static func write(_ records: [TradeRecord], to path: String) async throws {
        try await TradeStore(path: path).write(BookChanges(writing: records.map { BookTrade(record: $0) }))
    }
}
