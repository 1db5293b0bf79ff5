import BusWire
import Money

/// The numbers one second of the simulated Coinbase market shows: the last trade and the 24-hour statistics.
struct FeedSecond: Sendable {
    var second: Int64
    var price: Dollars
    var side: String
    var bestBid: Dollars
    var bestAsk: Dollars
    var open24h: Dollars
    var high24h: Dollars
    var low24h: Dollars
    var tradeID: Int64
    var sequence: Int64
    var micros: Int64
}

/// Coinbase Exchange messages as JSON text, field for field as the real feed sends them: prices and sizes are
/// decimal strings, `sequence` and `trade_id` integers, times RFC 3339 with microseconds.
enum FeedMessages {
    static func ticker(_ s: FeedSecond, product: String) -> String {
        let volume24 = satoshis(500_000_000_000 + Int64(mix(s.second / 3_600, 24) % 1_000_000_000_000))
        let volume30 = satoshis(20_000_000_000_000 + Int64(mix(s.second / 86_400, 30) % 10_000_000_000_000))
        let lastSize = satoshis(1_000 + Int64(mix(s.second, 7) % 50_000_000))
        let bidSize = satoshis(10_000 + Int64(mix(s.second, 8) % 200_000_000))
        let askSize = satoshis(10_000 + Int64(mix(s.second, 9) % 200_000_000))
        return """
            {"type":"ticker","sequence":\(s.sequence),"product_id":"\(product)","price":"\(usd(s.price))",\
            "open_24h":"\(usd(s.open24h))","volume_24h":"\(volume24)","low_24h":"\(usd(s.low24h))",\
            "high_24h":"\(usd(s.high24h))","volume_30d":"\(volume30)","best_bid":"\(usd(s.bestBid))",\
            "best_bid_size":"\(bidSize)","best_ask":"\(usd(s.bestAsk))","best_ask_size":"\(askSize)",\
            "side":"\(s.side)","time":"\(BusTime(microseconds: s.micros))","trade_id":\(s.tradeID),\
            "last_size":"\(lastSize)"}
            """
    }

    static func heartbeat(_ s: FeedSecond, product: String) -> String {
        """
        {"type":"heartbeat","last_trade_id":\(s.tradeID),"product_id":"\(product)","sequence":\(s.sequence),\
        "time":"\(BusTime(microseconds: s.micros))"}
        """
    }

    static func subscriptions(_ channels: [String], product: String) -> String {
        let list = channels.map { #"{"name":"\#($0)","product_ids":["\#(product)"]}"# }.joined(separator: ",")
        return #"{"type":"subscriptions","channels":[\#(list)]}"#
    }

    static func error(_ message: String, reason: String) -> String {
        #"{"type":"error","message":"\#(escape(message))","reason":"\#(escape(reason))"}"#
    }

    /// Two decimals, as Coinbase quotes BTC-USD.
    static func usd(_ d: Dollars) -> String { d.formatted(decimals: 2) }

    /// A BTC quantity with eight decimals.
    static func satoshis(_ n: Int64) -> String {
        let frac = String(n % 100_000_000)
        return "\(n / 100_000_000).\(String(repeating: "0", count: 8 - frac.count))\(frac)"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where c.value < 0x20: out += "\\u00\(c.value < 16 ? "0" : "")\(String(c.value, radix: 16))"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
