import SimExchange
import Synchronization

/// The running exchange: its state behind a lock, its clock, and the streams it feeds. Every access advances the
/// exchange to the current simulated time first and fans out what changed afterwards, under the same lock, so a
/// WebSocket snapshot and the deltas after it can never interleave wrongly.
public final class SimHost: Sendable {
    private let exchange: Mutex<Exchange>
    public let clock: SimClock
    let hub: StreamHub
    private let realNow: @Sendable () -> Millis

    /// - Parameters:
    ///   - realNow: the real clock (Unix ms); tests may inject one.
    init(exchange: Exchange, clock: SimClock, faults: FaultInjector? = nil,
                realNow: @escaping @Sendable () -> Millis = realNowMs) {
        self.exchange = Mutex(exchange)
        self.clock = clock
        self.realNow = realNow
        hub = StreamHub(faults: faults)
    }

    /// Real Unix ms.
    public func realMs() -> Millis { realNow() }
    /// Simulated Unix ms now.
    public func simNowMs() -> Millis { clock.simMs(atReal: realNow()) }

    /// Runs `body` on the exchange at the current simulated time and publishes the resulting events.
    public func mutate<T: Sendable>(_ body: (inout Exchange) throws -> T) throws -> T {
        let now = simNowMs()
        return try exchange.withLock { (ex: inout Exchange) throws -> T in
            ex.advance(to: now)
            defer {
                hub.publish(ex.drainEvents(), exchange: ex)
                hub.publishIndex(upTo: now / 1000 - 1, exchange: ex)
            }
            return try body(&ex)
        }
    }

    /// Reads the exchange at the current simulated time.
    public func read<T: Sendable>(_ body: (Exchange) throws -> T) throws -> T {
        try mutate { ex in try body(ex) }
    }

    /// Advances the exchange to now (lists, settles, re-quotes) and publishes.
    public func tick() { _ = try? mutate { _ in 0 } }

    /// Runs a stream command under the exchange lock (so its snapshot is consistent with the deltas that follow).
    func command(_ text: String, connection: Int) {
        _ = try? mutate { ex in
            hub.handle(text, connection: connection, exchange: ex)
            return 0
        }
    }
}
