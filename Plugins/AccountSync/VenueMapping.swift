import Foundation
import Kalshi
import Money
import TradingWire

/// Kalshi's REST and WebSocket shapes turned into the trading contract's messages.
///
/// The system only buys: a V2 order or fill is a bid on the YES book (buy YES) or an ask on it (buy NO), so
/// `action` is always `buy` and the price is the price of the side bought.
enum VenueMapping {
    static let one = Dollars(cents: 100)

    /// The side bought: Kalshi's `outcome_side`, else `ask` on the book means NO.
    static func side(_ outcome: OutcomeSide?, _ book: BookSide?) -> TradeSide {
        if let outcome { return outcome == .no ? .no : .yes }
        return book == .ask ? .no : .yes
    }

    /// The price of `side` from the YES price (and the NO price when Kalshi sends it).
    static func price(_ side: TradeSide, yes: Dollars?, no: Dollars?) -> Dollars? {
        side == .yes ? yes ?? no.map { one - $0 } : no ?? yes.map { one - $0 }
    }

    /// A REST fill; nil without an id or a market.
    static func fill(_ f: Fill) -> VenueFill? {
        guard let id = f.tradeId ?? f.fillId, let ticker = f.marketTicker ?? f.ticker else { return nil }
        let side = side(f.outcomeSide, f.bookSide)
        let ts = f.ts ?? f.createdTime.map { Int64($0.timeIntervalSince1970) } ?? 0
        return VenueFill(fillID: id, orderID: f.orderId, ticker: ticker, side: side, action: "buy", count: f.countFp ?? .zero,
                         price: price(side, yes: f.yesPriceDollars, no: f.noPriceDollars) ?? .zero, fee: f.feeCost,
                         isTaker: f.isTaker, ts: ts)
    }

    /// A WebSocket fill; nil without a trade id or a market.
    static func fill(_ f: FillUpdate) -> VenueFill? {
        guard let id = f.tradeId, let ticker = f.marketTicker else { return nil }
        let side = side(f.outcomeSide, f.bookSide)
        return VenueFill(fillID: id, orderID: f.orderId, ticker: ticker, side: side, action: "buy", count: f.countFp ?? .zero,
                         price: price(side, yes: f.yesPriceDollars, no: nil) ?? .zero, fee: f.feeCost, isTaker: f.isTaker,
                         ts: (f.tsMs ?? 0) / 1000)
    }

    /// A REST order; nil without a market.
    static func order(_ o: Order) -> VenueOrderUpdate? {
        guard let ticker = o.ticker else { return nil }
        let side = side(o.outcomeSide, o.bookSide)
        let time = o.lastUpdateTime ?? o.createdTime
        return VenueOrderUpdate(orderID: o.orderId, clientOrderID: o.clientOrderId, ticker: ticker, side: side, action: "buy",
                                status: o.status?.rawValue ?? "unknown", filledCount: o.fillCountFp ?? .zero,
                                remainingCount: o.remainingCountFp ?? .zero,
                                price: price(side, yes: o.yesPriceDollars, no: o.noPriceDollars),
                                ts: time.map { Int64($0.timeIntervalSince1970) } ?? 0)
    }

    /// A WebSocket order update; nil without a market.
    static func order(_ o: UserOrderUpdate) -> VenueOrderUpdate? {
        guard let ticker = o.ticker else { return nil }
        let side = side(o.outcomeSide, o.bookSide)
        return VenueOrderUpdate(orderID: o.orderId, clientOrderID: o.clientOrderId, ticker: ticker, side: side, action: "buy",
                                status: o.status?.rawValue ?? "unknown", filledCount: o.fillCountFp ?? .zero,
                                remainingCount: o.remainingCountFp ?? .zero, price: price(side, yes: o.yesPriceDollars, no: nil),
                                ts: (o.lastUpdatedTsMs ?? o.createdTsMs ?? 0) / 1000)
    }

    /// A REST settlement; nil without a settled time (it could not be keyed).
    static func settlement(_ s: Settlement) -> VenueSettlement? {
        guard let settled = s.settledTime else { return nil }
        return VenueSettlement(ticker: s.ticker, eventTicker: s.eventTicker, result: s.marketResult?.rawValue ?? "",
                               yesCount: s.yesCountFp ?? .zero, noCount: s.noCountFp ?? .zero, yesTotalCost: s.yesTotalCostDollars,
                               noTotalCost: s.noTotalCostDollars, revenue: Dollars(cents: s.revenue ?? 0), fee: s.feeCost,
                               settledTs: Int64(settled.timeIntervalSince1970))
    }

    /// The non-zero market positions.
    static func positions(_ p: Positions) -> [VenuePosition] {
        p.market.compactMap { m -> VenuePosition? in
            guard let position = m.positionFp, position != .zero else { return nil }
            return VenuePosition(ticker: m.ticker, position: position, marketExposure: m.marketExposureDollars,
                                 realizedPnl: m.realizedPnlDollars, feesPaid: m.feesPaidDollars)
        }.sorted { $0.ticker < $1.ticker }
    }

    /// The balance.
    static func balance(_ b: Balance, mode: String, time: String) -> AccountBalance {
        AccountBalance(balance: b.available, portfolioValue: b.portfolioValue.map(Dollars.init(cents:)), mode: mode, time: time)
    }
}
