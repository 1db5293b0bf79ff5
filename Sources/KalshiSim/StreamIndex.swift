import Money
import SimExchange
import Synchronization

extension StreamHub {
    /// Publishes `cfbenchmarks_value` for every simulated second since the last call (at most 120 at a time), with
    /// the index print and the simple average of the 60 seconds before it, as Kalshi streams BRTI.
    func publishIndex(upTo second: Int64, exchange ex: Exchange) {
        let (from, targets) = state.withLock { s -> (Int64, [(AsyncStream<String>.Continuation, Int, Int)]) in
            let from = max(s.lastIndexSecond + 1, second - 119)
            s.lastIndexSecond = max(s.lastIndexSecond, second)
            var targets: [(AsyncStream<String>.Continuation, Int, Int)] = []
            for (id, c) in s.connections.sorted(by: { $0.key < $1.key }) {
                for sub in c.subs.values.sorted(by: { $0.sid < $1.sid }) where sub.channel == "cfbenchmarks_value" { targets.append((c.out, id, sub.sid)) }
            }
            return (from, targets)
        }
        guard !targets.isEmpty, from <= second else { return }
        for t in from...second {
            guard let value = ex.index.index(atSecond: t) else { continue }
            let frame = StreamHub.indexMessage(second: t, value: value, average: ex.settlementAverage(closeMs: t * 1000))
            for (out, id, sid) in targets {
                let seq: Int64? = state.withLock { s in
                    guard var sub = s.connections[id]?.subs[sid] else { return nil }
                    let n = nextSeq(&sub)
                    s.connections[id]?.subs[sid] = sub
                    return n
                }
                if let seq { out.yield(StreamHub.frame(type: "cfbenchmarks_value", sid: sid, seq: seq, msg: frame)) }
            }
        }
    }

    static func indexMessage(second: Int64, value: Dollars, average: Dollars?) -> JSON {
        let ms = second * 1000
        let data = JSON.object([("type", .string("value")), ("id", .string("BRTI")), ("time", .int(ms)), ("value", .string(value.formatted(decimals: 2)))])
        var msg: [(String, JSON)] = [("index_id", .string("BRTI")), ("received_at", .int(ms)), ("data", .string(data.text))]
        if let average {
            msg.append(("avg_60s_data", .object([
                ("value", .string(average.description + "00")), ("window_size", .int(60)),
                ("window_start_ts_ms", .int(ms - 60_000)), ("window_end_ts_exclusive", .int(ms)),
            ])))
        }
        return .object(msg)
    }
}
