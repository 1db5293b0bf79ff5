import Logging
import Money
import BusKit
import BusWire
import Foundation
import Synchronization

/// The browsers connected to `/ws`: each has a queue of text frames to send. Broadcasting never waits for a slow
/// browser: its queue holds at most `bufferSize` frames and the oldest are dropped beyond that.
final class PushHub: Sendable {
    private let clients = Mutex<[UInt64: AsyncStream<String>.Continuation]>([:])
    private let nextID = Atomic<UInt64>(1)
    /// Frames pushed and frames dropped because a browser's queue was full.
    let pushed = Atomic<UInt64>(0), dropped = Atomic<UInt64>(0)
    let bufferSize: Int

    init(bufferSize: Int = 2_000) { self.bufferSize = bufferSize }

    /// Registers a browser; its frames arrive on the stream until `disconnect`.
    func connect() -> (UInt64, AsyncStream<String>) {
        let id = nextID.add(1, ordering: .relaxed).oldValue
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        clients.withLock { $0[id] = continuation }
        return (id, stream)
    }

    /// Forgets a browser.
    func disconnect(_ id: UInt64) {
        let c = clients.withLock { $0.removeValue(forKey: id) }
        c?.finish()
    }

    /// Sends `frame` to one browser.
    func send(_ frame: String, to id: UInt64) {
        let c = clients.withLock { $0[id] }
        if let c { count(c.yield(frame)) }
    }

    /// Sends `frame` to every browser.
    func broadcast(_ frame: String) {
        let all = clients.withLock { Array($0.values) }
        for c in all { count(c.yield(frame)) }
    }

    /// Browsers connected.
    var count: Int { clients.withLock { $0.count } }

    /// Closes every connection.
    func closeAll() {
        let all = clients.withLock { d -> [AsyncStream<String>.Continuation] in defer { d.removeAll() }; return Array(d.values) }
        for c in all { c.finish() }
    }

    private func count(_ result: AsyncStream<String>.Continuation.YieldResult) {
        switch result {
        case .enqueued: pushed.add(1, ordering: .relaxed)
        case .dropped: dropped.add(1, ordering: .relaxed)
        default: break
        }
    }
}

/// The frames sent to browsers: one JSON object each, `k` saying what it is.
enum PushFrame {
    /// `{"k":"s"|"e"|"t","topic":…,"type":…,"src":…,"ts":…,"data":{…}}`: a state value, an event or a tap message.
    /// `replay` marks events sent again to a browser that just connected (no sound for those).
    static func message(_ kind: String, _ m: StoredMessage, replay: Bool = false) -> String {
        var s = "{\"k\":\"\(kind)\",\"topic\":\(quote(m.topic)),\"type\":\(quote(m.type)),\"src\":\(quote(m.src)),"
        s += "\"ts\":\"\(m.ts.description)\"" + (replay ? ",\"replay\":true" : "") + ",\"data\":"
        s += String(decoding: m.data, as: UTF8.self)
        s += "}"
        return s
    }

    /// `{"k":"h","points":[[seconds,"price"],…]}`: the price history.
    static func history(_ h: PriceHistory) -> String {
        "{\"k\":\"h\",\"points\":[" + h.points.map { "[\($0.0),\"\($0.1.formatted(decimals: 2))\"]" }.joined(separator: ",") + "]}"
    }

    /// `{"k":"hello",…}`: sent first, with the venue mode, the CSRF token of the session and the server's time (so the
    /// page judges the age of data by the server's clock, not its own).
    static func hello(mode: String, csrf: String?, now: BusTime) -> String {
        "{\"k\":\"hello\",\"mode\":\(quote(mode)),\"csrf\":\(csrf.map(quote) ?? "null"),\"now\":\"\(now.description)\"}"
    }

    /// A JSON string literal.
    static func quote(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 { out += String(format: "\\u%04x", ch.value) } else { out.unicodeScalars.append(ch) }
            }
        }
        return out + "\""
    }
}
