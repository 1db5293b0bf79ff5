public import Foundation
public import Money

/// One message from Kalshi's WebSocket, decoded by its `type`.
///
/// Data messages carry the subscription id (`sid`) and, for order books, the per-subscription `seq`.
/// Types this library does not know arrive as ``unknown(type:)``, so a new Kalshi message never breaks a session.
public enum StreamMessage: Sendable, Hashable {
    /// A channel subscription was made: `id` of the command, the channel and its `sid`.
    case subscribed(id: Int?, channel: String, sid: Int)
    /// A subscription ended.
    case unsubscribed(id: Int?, sid: Int?)
    /// A command succeeded (`update_subscription`, `list_subscriptions`).
    case ok(id: Int?, sid: Int?, marketTickers: [String]?)
    /// A command failed: Kalshi's numeric code and message.
    case error(id: Int?, code: Int?, message: String)
    /// A full book for one market.
    case orderbookSnapshot(sid: Int, seq: Int?, OrderbookSnapshot)
    /// One level change.
    case orderbookDelta(sid: Int, seq: Int?, OrderbookDelta)
    case ticker(sid: Int?, TickerUpdate)
    case trade(sid: Int?, TradeUpdate)
    case fill(sid: Int?, FillUpdate)
    case userOrder(sid: Int?, UserOrderUpdate)
    case marketPosition(sid: Int?, MarketPositionUpdate)
    case marketLifecycle(sid: Int?, MarketLifecycleUpdate)
    case eventLifecycle(sid: Int?, EventLifecycleUpdate)
    /// A message type this library does not decode.
    case unknown(type: String)

    private struct Envelope: Decodable {
        var type: String
        var id: Int?
        var sid: Int?
        var seq: Int?
    }

    private struct Body<T: Decodable>: Decodable { var msg: T }
    private struct Subscribed: Decodable { var channel: String?; var sid: Int? }
    private struct OkBody: Decodable { var marketTickers: [String]? }
    private struct ErrorMsg: Decodable { var code: Int?; var msg: String? }

    /// Decodes one text frame.
    /// - Throws: ``KalshiError`` of kind `.decoding` when the frame is not a Kalshi message.
    public static func decode(_ data: Data) throws -> StreamMessage {
        let decoder = KalshiJSON.decoder()
        do {
            let e = try decoder.decode(Envelope.self, from: data)
            func msg<T: Decodable>(_: T.Type) throws -> T { try decoder.decode(Body<T>.self, from: data).msg }
            switch e.type {
            case "subscribed":
                let m = try msg(Subscribed.self)
                return .subscribed(id: e.id, channel: m.channel ?? "", sid: m.sid ?? e.sid ?? 0)
            case "unsubscribed": return .unsubscribed(id: e.id, sid: e.sid)
            case "ok": return .ok(id: e.id, sid: e.sid, marketTickers: (try? msg(OkBody.self))?.marketTickers)
            case "error":
                let m = try? msg(ErrorMsg.self)
                return .error(id: e.id, code: m?.code, message: m?.msg ?? "unknown error")
            case "orderbook_snapshot": return .orderbookSnapshot(sid: e.sid ?? 0, seq: e.seq, try msg(OrderbookSnapshot.self))
            case "orderbook_delta": return .orderbookDelta(sid: e.sid ?? 0, seq: e.seq, try msg(OrderbookDelta.self))
            case "ticker": return .ticker(sid: e.sid, try msg(TickerUpdate.self))
            case "trade": return .trade(sid: e.sid, try msg(TradeUpdate.self))
            case "fill": return .fill(sid: e.sid, try msg(FillUpdate.self))
            case "user_order": return .userOrder(sid: e.sid, try msg(UserOrderUpdate.self))
            case "market_position": return .marketPosition(sid: e.sid, try msg(MarketPositionUpdate.self))
            case "market_lifecycle_v2": return .marketLifecycle(sid: e.sid, try msg(MarketLifecycleUpdate.self))
            case "event_lifecycle": return .eventLifecycle(sid: e.sid, try msg(EventLifecycleUpdate.self))
            default: return .unknown(type: e.type)
            }
        } catch {
            throw KalshiError(.decoding, message: "cannot decode a WebSocket message: \(error)",
                              details: String(decoding: data.prefix(200), as: UTF8.self))
        }
    }
}

/// `orderbook_snapshot`: both legs' bids (`yes_dollars_fp`, `no_dollars_fp`; a side is absent when empty).
public struct OrderbookSnapshot: Codable, Sendable, Hashable {
    /// Kalshi's `market_ticker`.
    public var marketTicker: String
    /// Kalshi's `market_id`.
    public var marketId: String?
    /// Kalshi's `yes_dollars_fp`.
    public var yesDollarsFp: [PriceLevel]?
    /// Kalshi's `no_dollars_fp`.
    public var noDollarsFp: [PriceLevel]?
}

/// `orderbook_delta`: `deltaFp` contracts added (or removed, when negative) at `priceDollars` on `side`.
public struct OrderbookDelta: Codable, Sendable, Hashable {
    /// Kalshi's `market_ticker`.
    public var marketTicker: String
    /// Kalshi's `market_id`.
    public var marketId: String?
    /// Kalshi's `price_dollars`, exact dollars.
    public var priceDollars: Dollars
    /// Kalshi's `delta_fp`, exact contract count.
    public var deltaFp: Contracts
    /// Kalshi's `side`.
    public var side: OutcomeSide
    /// Kalshi's `client_order_id`.
    public var clientOrderId: String?
    /// Kalshi's `ts_ms`.
    public var tsMs: Int64?
}

/// `ticker`: top of book and last trade of one market.
public struct TickerUpdate: Codable, Sendable, Hashable {
    /// Kalshi's `market_ticker`.
    public var marketTicker: String
    /// Kalshi's `price_dollars`, exact dollars.
    public var priceDollars: Dollars?
    /// Kalshi's `yes_bid_dollars`, exact dollars.
    public var yesBidDollars: Dollars?
    /// Kalshi's `yes_ask_dollars`, exact dollars.
    public var yesAskDollars: Dollars?
    /// Kalshi's `yes_bid_size_fp`, exact contract count.
    public var yesBidSizeFp: Contracts?
    /// Kalshi's `yes_ask_size_fp`, exact contract count.
    public var yesAskSizeFp: Contracts?
    /// Kalshi's `volume_fp`, exact contract count.
    public var volumeFp: Contracts?
    /// Kalshi's `open_interest_fp`, exact contract count.
    public var openInterestFp: Contracts?
    /// Whole dollars.
    public var dollarVolume: Int64?
    /// Kalshi's `ts_ms`.
    public var tsMs: Int64?
}

/// `trade`: one public trade.
public struct TradeUpdate: Codable, Sendable, Hashable {
    /// Kalshi's `trade_id`.
    public var tradeId: String?
    /// Kalshi's `market_ticker`.
    public var marketTicker: String
    /// Kalshi's `yes_price_dollars`, exact dollars.
    public var yesPriceDollars: Dollars?
    /// Kalshi's `no_price_dollars`, exact dollars.
    public var noPriceDollars: Dollars?
    /// Kalshi's `count_fp`, exact contract count.
    public var countFp: Contracts?
    /// Kalshi's `taker_outcome_side`.
    public var takerOutcomeSide: OutcomeSide?
    /// Kalshi's `taker_book_side`.
    public var takerBookSide: BookSide?
    /// Kalshi's `ts_ms`.
    public var tsMs: Int64?
}

/// `fill`: one execution of one of our orders (the source of truth for executions).
public struct FillUpdate: Codable, Sendable, Hashable {
    /// Kalshi's `trade_id`.
    public var tradeId: String?
    /// Kalshi's `order_id`.
    public var orderId: String
    /// Kalshi's `market_ticker`.
    public var marketTicker: String?
    /// Kalshi's `is_taker`.
    public var isTaker: Bool?
    /// Kalshi's `yes_price_dollars`, exact dollars.
    public var yesPriceDollars: Dollars?
    /// Kalshi's `count_fp`, exact contract count.
    public var countFp: Contracts?
    /// Kalshi's `fee_cost`, exact dollars.
    public var feeCost: Dollars?
    /// Kalshi's `outcome_side`.
    public var outcomeSide: OutcomeSide?
    /// Kalshi's `book_side`.
    public var bookSide: BookSide?
    /// Kalshi's `post_position_fp`, exact contract count.
    public var postPositionFp: Contracts?
    /// Kalshi's `client_order_id`.
    public var clientOrderId: String?
    /// Kalshi's `ts_ms`.
    public var tsMs: Int64?
}

/// `user_order`: the new state of one of our orders.
public struct UserOrderUpdate: Codable, Sendable, Hashable {
    /// Kalshi's `order_id`.
    public var orderId: String
    /// Kalshi's `ticker`.
    public var ticker: String?
    /// Kalshi's `status`.
    public var status: OrderStatus?
    /// Kalshi's `outcome_side`.
    public var outcomeSide: OutcomeSide?
    /// Kalshi's `book_side`.
    public var bookSide: BookSide?
    /// Kalshi's `yes_price_dollars`, exact dollars.
    public var yesPriceDollars: Dollars?
    /// Kalshi's `fill_count_fp`, exact contract count.
    public var fillCountFp: Contracts?
    /// Kalshi's `remaining_count_fp`, exact contract count.
    public var remainingCountFp: Contracts?
    /// Kalshi's `initial_count_fp`, exact contract count.
    public var initialCountFp: Contracts?
    /// Kalshi's `client_order_id`.
    public var clientOrderId: String?
    /// Kalshi's `created_ts_ms`, Unix milliseconds.
    public var createdTsMs: Int64?
    /// Kalshi's `last_updated_ts_ms`, Unix milliseconds.
    public var lastUpdatedTsMs: Int64?
}

/// `market_position`: our position in one market.
public struct MarketPositionUpdate: Codable, Sendable, Hashable {
    /// Kalshi's `market_ticker`.
    public var marketTicker: String
    /// Kalshi's `position_fp`, exact contract count.
    public var positionFp: Contracts?
    /// Kalshi's `position_cost_dollars`, exact dollars.
    public var positionCostDollars: Dollars?
    /// Kalshi's `realized_pnl_dollars`, exact dollars.
    public var realizedPnlDollars: Dollars?
    /// Kalshi's `fees_paid_dollars`, exact dollars.
    public var feesPaidDollars: Dollars?
    /// Kalshi's `volume_fp`, exact contract count.
    public var volumeFp: Contracts?
}

/// `market_lifecycle_v2`: a market was created, (de)activated, rescheduled, determined or settled.
public struct MarketLifecycleUpdate: Codable, Sendable, Hashable {
    /// `created`, `activated`, `deactivated`, `close_date_updated`, `determined`, `settled`...
    public var eventType: String
    /// Kalshi's `market_ticker`.
    public var marketTicker: String
    /// Unix seconds.
    public var openTs: Int64?
    /// Kalshi's `close_ts`, Unix seconds.
    public var closeTs: Int64?
    /// Kalshi's `result`.
    public var result: MarketResult?
    /// Kalshi's `determination_ts`, Unix seconds.
    public var determinationTs: Int64?
    /// Kalshi's `settlement_value`, exact dollars.
    public var settlementValue: Dollars?
    /// Kalshi's `settled_ts`, Unix seconds.
    public var settledTs: Int64?
    /// Kalshi's `is_deactivated`.
    public var isDeactivated: Bool?
}

/// `event_lifecycle`: a new event.
public struct EventLifecycleUpdate: Codable, Sendable, Hashable {
    /// Kalshi's `event_ticker`.
    public var eventTicker: String
    /// Kalshi's `series_ticker`.
    public var seriesTicker: String?
    /// Kalshi's `title`.
    public var title: String?
    /// Kalshi's `subtitle`.
    public var subtitle: String?
    /// Kalshi's `strike_date`.
    public var strikeDate: Int64?
}
