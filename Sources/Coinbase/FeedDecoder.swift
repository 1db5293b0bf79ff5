import BusWire
import Money
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Decodes Coinbase Exchange feed messages into typed values. Unknown types are ignored (nil), as Coinbase asks.
public struct CoinbaseFeedDecoder: Sendable {
    /// A decoded message before sequencing.
    public enum Message: Sendable, Hashable {
        case ticker(CoinbaseTick)
        case heartbeat(CoinbaseHeartbeat)
        case subscriptions([String])
        case error(message: String, reason: String?)
    }

    public init() {}

    /// The message in `text`; nil for a well-formed message of a type this client does not use.
    /// - Throws: ``CoinbaseError`` (`.malformed`) for anything that is not a valid message.
    public func decode(_ text: String) throws(CoinbaseError) -> Message? {
        let data = Data(text.utf8)
        let decoder = JSONDecoder()
        do {
            let head = try decoder.decode(Head.self, from: data)
            switch head.type {
            case "ticker": return .ticker(try decoder.decode(Ticker.self, from: data).typed())
            case "heartbeat": return .heartbeat(try decoder.decode(Heartbeat.self, from: data).typed())
            case "subscriptions": return .subscriptions(try decoder.decode(Subscriptions.self, from: data).channels.map(\.name))
            case "error":
                let e = try decoder.decode(ErrorMessage.self, from: data)
                return .error(message: e.message, reason: e.reason)
            default: return nil
            }
        } catch let error as CoinbaseError {
            throw error
        } catch {
            throw CoinbaseError(.malformed, "\(error)".prefix(200) + "")
        }
    }
}

private struct Head: Decodable { var type: String }

private func money(_ text: String, _ field: String) throws -> Dollars {
    guard let d = Dollars(text) else { throw CoinbaseError(.malformed, "\(field) is not a decimal: '\(text)'") }
    return d
}

private func parseTime(_ text: String) throws -> BusTime {
    guard let t = BusTime(rfc3339: Array(text.utf8)) else { throw CoinbaseError(.malformed, "time is not RFC 3339: '\(text)'") }
    return t
}

private struct Ticker: Decodable {
    var sequence: Int64
    var product_id: String
    var price: String
    var open_24h: String
    var volume_24h: String
    var low_24h: String
    var high_24h: String
    var best_bid: String
    var best_ask: String
    var side: String?
    var time: String
    var trade_id: Int64
    var last_size: String?

    func typed() throws -> CoinbaseTick {
        CoinbaseTick(
            sequence: sequence, productID: product_id, price: try money(price, "price"), bestBid: try money(best_bid, "best_bid"),
            bestAsk: try money(best_ask, "best_ask"), open24h: try money(open_24h, "open_24h"),
            high24h: try money(high_24h, "high_24h"), low24h: try money(low_24h, "low_24h"), volume24h: volume_24h,
            lastSize: last_size ?? "0", side: side.flatMap(CoinbaseTick.Side.init(rawValue:)), time: try parseTime(time),
            tradeID: trade_id)
    }
}

private struct Heartbeat: Decodable {
    var sequence: Int64
    var product_id: String
    var last_trade_id: Int64
    var time: String

    func typed() throws -> CoinbaseHeartbeat {
        CoinbaseHeartbeat(sequence: sequence, productID: product_id, lastTradeID: last_trade_id, time: try parseTime(time))
    }
}

private struct Subscriptions: Decodable {
    struct Channel: Decodable { var name: String }
    var channels: [Channel]
}

private struct ErrorMessage: Decodable {
    var message: String
    var reason: String?
}
