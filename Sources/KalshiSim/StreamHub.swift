import Foundation
import SimExchange
import Synchronization

/// WebSocket sessions, their subscriptions and per-subscription sequence numbers. Called with the exchange lock
/// held (see ``SimHost``).
final class StreamHub: Sendable {
    struct Subscription: Sendable {
        let sid: Int
        let channel: String
        /// nil = every market.
        var tickers: [String]?
        var seq: Int64 = 0
        var useYesPrice = false
    }

    struct Connection: Sendable {
        let user: String
        let out: AsyncStream<String>.Continuation
        var subs: [Int: Subscription] = [:]
    }

    struct State: Sendable {
        var connections: [Int: Connection] = [:]
        var nextConnection = 1
        var nextSid = 1
        /// The last simulated second published on `cfbenchmarks_value`.
        var lastIndexSecond: Int64 = .min / 2
    }

    static let channels: Set<String> = ["orderbook_delta", "ticker", "trade", "fill", "user_orders", "market_positions", "market_lifecycle_v2",
                                              "cfbenchmarks_value"]

    let state = Mutex(State())
    let faults: FaultInjector?

    init(faults: FaultInjector?) { self.faults = faults }

    /// Opens a session for `user`; its outgoing text frames arrive on the stream.
    func connect(user: String) -> (Int, AsyncStream<String>) {
        let (stream, cont) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(100_000))
        let id = state.withLock { s in
            let id = s.nextConnection
            s.nextConnection += 1
            s.connections[id] = Connection(user: user, out: cont)
            return id
        }
        return (id, stream)
    }

    func disconnect(_ id: Int) {
        let c = state.withLock { $0.connections.removeValue(forKey: id) }
        c?.out.finish()
    }

    /// Closes every session (the WebSocket-drop fault).
    func dropAll() {
        let all = state.withLock { s in
            defer { s.connections.removeAll() }
            return Array(s.connections.values)
        }
        for c in all { c.out.finish() }
    }

    var connectionCount: Int { state.withLock { $0.connections.count } }

    /// The next `seq` of a subscription (possibly skipping one, when the gap fault fires).
    func nextSeq(_ sub: inout Subscription) -> Int64 {
        sub.seq += (faults?.shouldSkipSequence() ?? false) ? 2 : 1
        return sub.seq
    }

    static func frame(type: String, sid: Int, seq: Int64?, msg: JSON) -> String {
        var f: [(String, JSON)] = [("type", .string(type)), ("sid", .int(Int64(sid)))]
        if let seq { f.append(("seq", .int(seq))) }
        f.append(("msg", msg))
        return JSON.object(f).text
    }

    static func error(id: Int64, code: Int64, _ message: String) -> String {
        JSON.object([("id", .int(id)), ("type", .string("error")), ("msg", .object([("code", .int(code)), ("msg", .string(message))]))]).text
    }

    /// A stable UUID-shaped id for a market.
    static func marketID(_ ticker: String) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in ticker.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        let a = SplitMix.hash(h), b = SplitMix.hash(a)
        func hex(_ v: UInt64, _ n: Int) -> String {
            let s = String(v, radix: 16)
            return String((String(repeating: "0", count: max(0, 16 - s.count)) + s).suffix(n))
        }
        return "\(hex(a >> 32, 8))-\(hex(a >> 16, 4))-4\(hex(a, 3))-8\(hex(b >> 48, 3))-\(hex(b, 12))"
    }
}
