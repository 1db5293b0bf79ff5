import BusKit
import BusWire
import Money
import TradingWire

/// What the page sends to `POST /api/buy`.
public struct BuyRequest: Codable, Sendable, Hashable {
    /// The market.
    public var ticker: String
    /// The side to buy.
    public var side: TradeSide
    /// Contracts as a decimal string (`"3"`); default 1.
    public var count: String?
    /// The price cap; default the side's ask plus `entry_slippage`.
    public var limitPrice: String?
    /// The strategy label; default the `strategy` setting.
    public var strategy: String?
    /// True when the user confirmed a buy above `confirm_above` (needed in `prod` only).
    public var confirmed: Bool?
    enum CodingKeys: String, CodingKey { case ticker, side, count, limitPrice = "limit_price", strategy, confirmed }
    /// A request.
    public init(ticker: String, side: TradeSide, count: String? = nil, limitPrice: String? = nil, strategy: String? = nil,
                confirmed: Bool? = nil) {
        self.ticker = ticker; self.side = side; self.count = count; self.limitPrice = limitPrice; self.strategy = strategy
        self.confirmed = confirmed
    }
}

/// What the page sends to `POST /api/close`.
public struct CloseRequest: Codable, Sendable, Hashable {
    /// The trade to close.
    public var tradeID: String
    enum CodingKeys: String, CodingKey { case tradeID = "trade_id" }
    /// A request.
    public init(tradeID: String) { self.tradeID = tradeID }
}

/// Turns the user's clicks into order intents from what the dashboard knows. Pure.
public enum OrderPlanner {
    /// The highest price a contract can trade at.
    static let maxPrice = Dollars(cents: 99)

    /// An entry intent: the row of the ticker in the latest strike table supplies the event, strike, probability,
    /// edge and ask; the cap is the ask plus `slippage` (at most $0.99) unless the page names one.
    public static func entry(_ r: BuyRequest, state: DashboardState, key: String, slippage: Dollars, strategy: String,
                             now: BusTime, ttl: Double) -> Result<OrderIntent, WebError> {
        guard let (table, row) = state.row(ticker: r.ticker) else { return .failure(WebError("no strike table has \(r.ticker)")) }
        let count: Contracts
        if let text = r.count {
            guard let c = Contracts(text), c > .zero, c <= Contracts(whole: 10_000) else {
                return .failure(WebError("count must be from 0.01 to 10000, got '\(text)'"))
            }
            count = c
        } else { count = Contracts(whole: 1) }
        let limit: Dollars
        if let text = r.limitPrice {
            guard let p = Dollars(text), p > .zero, p <= maxPrice else { return .failure(WebError("limit_price must be from 0.01 to 0.99")) }
            limit = p
        } else {
            guard let ask = row.ask(r.side) else { return .failure(WebError("no \(r.side.rawValue) ask on \(r.ticker)")) }
            limit = min(ask + slippage, maxPrice)
        }
        return .success(OrderIntent(
            key: key, source: "web", purpose: .entry, ticker: row.ticker, eventTicker: table.eventTicker, side: r.side,
            count: count, limitPrice: limit, strike: row.strike, probability: row.probability(r.side), edge: row.edge(r.side),
            btcPrice: table.btcPrice, momentum: table.momentum, strategy: r.strategy ?? strategy, method: "manual",
            reason: "manual buy from the dashboard", createdTime: now.description,
            expiresTs: now.microseconds / 1_000_000 + Int64(ttl.rounded(.up))))
    }

    /// In `prod`, an entry whose cost (count × price cap) is above `limit` needs the user's confirmation: the
    /// refusal when the request does not say it was confirmed, nil when the entry may go. Other modes never ask.
    public static func confirmation(_ r: BuyRequest, intent: OrderIntent, mode: RunMode, above limit: Dollars) -> WebError? {
        guard mode == .prod, r.confirmed != true else { return nil }
        let cost = intent.limitPrice * intent.count
        guard cost > limit else { return nil }
        return WebError("confirmation required: this buy may cost \(cost), above confirm_above \(limit)")
    }

    /// A close intent: buy the opposite side, the trade's count, capped at that side's ask plus `slippage`.
    public static func close(_ r: CloseRequest, state: DashboardState, key: String, slippage: Dollars, now: BusTime,
                             ttl: Double) -> Result<OrderIntent, WebError> {
        guard let trade = state.openTrades.first(where: { $0.id == r.tradeID }) else {
            return .failure(WebError("no open trade \(r.tradeID)"))
        }
        guard trade.status == .open || trade.status == .expired else {
            return .failure(WebError("trade \(r.tradeID) is \(trade.status.rawValue), not open"))
        }
        guard trade.count > .zero else { return .failure(WebError("trade \(r.tradeID) holds no contracts")) }
        let side = trade.side.opposite
        guard let (_, row) = state.row(ticker: trade.ticker), let ask = row.ask(side) else {
            return .failure(WebError("no \(side.rawValue) ask on \(trade.ticker) to close at"))
        }
        return .success(OrderIntent(
            key: key, source: "web", purpose: .close, tradeID: trade.id, ticker: trade.ticker, eventTicker: trade.eventTicker,
            side: side, count: trade.count, limitPrice: min(ask + slippage, maxPrice), strike: trade.strike,
            probability: row.probability(side), edge: row.edge(side), strategy: trade.strategy, method: "manual",
            reason: "manual close from the dashboard", createdTime: now.description,
            expiresTs: now.microseconds / 1_000_000 + Int64(ttl.rounded(.up))))
    }
}
