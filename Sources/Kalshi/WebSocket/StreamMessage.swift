public import Foundation

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
