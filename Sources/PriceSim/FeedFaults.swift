import Synchronization

/// Faults a test can inject into the simulated Coinbase feed, and what the feed has seen.
///
/// ```swift
/// feed.faults.skipTrades(3)        // the next ticker's trade_id jumps by 3: subscribers see a gap
/// feed.faults.dropConnections()    // every open connection is closed by the server
/// feed.faults.sendRaw("{oops")     // each connection receives this text before its next tick
/// ```
public final class FeedFaults: Sendable {
    struct Connection {
        var close: @Sendable () -> Void
        var pending: [String] = []
    }
    private struct State {
        var tradeSkip: Int64 = 0
        var nextID: UInt64 = 0
        var open: [UInt64: Connection] = [:]
        var connectionsAccepted = 0
        var subscriptions = 0
    }
    private let state = Mutex(State())

    public init() {}

    /// Makes every later trade id `n` higher, as if `n` trades had been missed.
    public func skipTrades(_ n: Int64) { state.withLock { $0.tradeSkip += n } }

    /// Closes every open connection from the server side.
    public func dropConnections() {
        let closers = state.withLock { s in s.open.values.map(\.close) }
        closers.forEach { $0() }
    }

    /// Queues `text` (anything, valid JSON or not) for every open connection, sent before its next tick.
    public func sendRaw(_ text: String) {
        state.withLock { s in for id in s.open.keys { s.open[id]?.pending.append(text) } }
    }

    /// Connections open now.
    public var openConnections: Int { state.withLock { $0.open.count } }
    /// Connections accepted since the feed started.
    public var connectionsAccepted: Int { state.withLock { $0.connectionsAccepted } }
    /// Subscribe requests answered since the feed started.
    public var subscriptions: Int { state.withLock { $0.subscriptions } }

    var tradeSkip: Int64 { state.withLock { $0.tradeSkip } }

    func register(close: @escaping @Sendable () -> Void) -> UInt64 {
        state.withLock { s in
            s.nextID += 1
            s.connectionsAccepted += 1
            s.open[s.nextID] = Connection(close: close)
            return s.nextID
        }
    }

    func unregister(_ id: UInt64) { _ = state.withLock { $0.open.removeValue(forKey: id) } }

    func subscribed() { state.withLock { $0.subscriptions += 1 } }

    func takePending(_ id: UInt64) -> [String] {
        state.withLock { s in
            let p = s.open[id]?.pending ?? []
            s.open[id]?.pending = []
            return p
        }
    }
}
