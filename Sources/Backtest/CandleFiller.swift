import BusWire
import Money
import TradingWire

/// The backtest's venue: answers an order intent from the recorded candles, never better than the record.
///
/// A buy of YES pays the YES ask close of the market's latest row ending at or before now; a buy of NO pays
/// 1 − the YES bid close (the NO ask). Nothing fills when that ask is missing or above the intent's limit. The size
/// is at most what the row shows traded in its minute when it shows any (less what earlier orders already took from
/// that row); a row with no trades says nothing about the size quoted, and the order fills whole. The fee is
/// Kalshi's taker fee, ``TakerFee/of(count:price:)``. Pure: the clock is passed in. A repeated key gets the first
/// answer again (marked replayed), as the live executor does.
public struct CandleFiller: Sendable {
    let tape: MarketTape
    let index: [String: Int]
    /// Contracts (hundredths) already taken from each row.
    var taken: [Int: Int64] = [:]
    var answered: [String: OrderEvent] = [:]

    /// A venue over `tape`.
    public init(tape: MarketTape) {
        self.tape = tape
        var index: [String: Int] = [:]
        for (i, m) in tape.markets.enumerated() { index[m.ticker] = i }
        self.index = index
    }

    /// The row index of `ticker`'s latest row ending at or before `ts`.
    public func latestRow(_ ticker: String, atOrBefore ts: Int64) -> Int? {
        guard let m = index[ticker] else { return nil }
        let r = tape.markets[m].rows
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi { let mid = (lo + hi) / 2; if tape.rows[mid].end <= ts { lo = mid + 1 } else { hi = mid } }
        return lo > r.lowerBound ? lo - 1 : nil
    }

    /// The ask of `side` in a row, nil when that side has none.
    public static func ask(_ row: MarketTape.Row, side: TradeSide) -> Dollars? {
        switch side {
        case .yes: return row.ask >= 1 && row.ask <= 99 ? Dollars(cents: Int64(row.ask)) : nil
        case .no: return row.bid >= 1 && row.bid <= 99 ? Dollars(cents: 100 - Int64(row.bid)) : nil
        }
    }

    /// The answer to `intent` at `now`.
    public mutating func answer(_ intent: OrderIntent, now: BusTime) -> OrderEvent {
        if var again = answered[intent.key] { again.replayed = true; return again }
        let unix = now.microseconds / 1_000_000
        var filled = Contracts.zero, price: Dollars?, reason: String?
        if let r = latestRow(intent.ticker, atOrBefore: unix) {
            let row = tape.rows[r]
            if let ask = Self.ask(row, side: intent.side) {
                if ask <= intent.limitPrice {
                    var available = intent.count
                    if row.volume > 0 { available = min(available, Contracts(centis: Int64(row.volume) * 100 - (taken[r] ?? 0))) }
                    if intent.timeInForce == .fillOrKill && available < intent.count { available = .zero }
                    if available > .zero {
                        filled = available; price = ask
                        if row.volume > 0 { taken[r, default: 0] += available.centis }
                    } else { reason = "the recorded volume is used up" }
                } else { reason = "\(intent.side.rawValue) ask \(ask.formatted(decimals: 2)) above the limit \(intent.limitPrice.formatted(decimals: 2))" }
            } else { reason = "no \(intent.side.rawValue) ask recorded" }
        } else { reason = "no candle recorded for \(intent.ticker)" }
        let outcome: OrderOutcome = filled == .zero ? .cancelled : filled < intent.count ? .partiallyFilled : .filled
        let event = OrderEvent(
            key: intent.key, source: intent.source, purpose: intent.purpose, tradeID: intent.tradeID, outcome: outcome,
            orderID: "bt-" + intent.key, clientOrderID: intent.key, ticker: intent.ticker, eventTicker: intent.eventTicker,
            side: intent.side, requestedCount: intent.count, filledCount: filled, averagePrice: price,
            fees: price.map { TakerFee.of(count: filled, price: $0) } ?? .zero, limitPrice: intent.limitPrice, reason: reason,
            mode: "backtest", replayed: false, time: now.description)
        answered[intent.key] = event
        return event
    }
}
