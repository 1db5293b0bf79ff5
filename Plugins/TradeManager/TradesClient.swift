public import BusKit
import BusWire
import Synchronization
public import TradingWire

/// What `recio trades` does over the bus, as functions a test can call: ask for the expiration check, read the
/// trades in flight.
public enum TradesClient {
    /// The answer to an expiration request.
    public struct ExpireOutcome: Sendable {
        /// Trades that went `open → expired` (or straight to `settled`) because of the check.
        public var expired: [TradeRecord]
        /// The trades in flight after it.
        public var open: OpenTrades
    }

    /// Publishes ``ExpireTradesNow`` (again every `resendSeconds` until answered) and waits for the next
    /// `trade.state.open` the trade manager publishes after it, collecting the trades the check expired. Nil
    /// when the broker was not reached, or no answer came, within `timeoutSeconds` in all. The answer is the first
    /// `trade.state.open` stamped after the request; a periodic one published in the same instant may stand in for it
    /// (it then lists no expiries).
    public static func expireNow(bus: any Bus, clock: any BusClock = SystemClock(), requester: String = "cli",
                                 timeoutSeconds: Double = 10, resendSeconds: Double = 2) async -> ExpireOutcome? {
        let subscription = bus.subscribe([TopicFilter(.openTrades), TopicFilter(.tradeUpdate)])
        // One budget for connecting and for the answer: on a loaded machine the connection may take most of it.
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeoutSeconds * 1000))
        guard await bus.waitUntilConnected(timeoutSeconds: timeoutSeconds) else { return nil }
        let sent = SentAt()
        return await withTaskGroup(of: ExpireOutcome?.self) { group in
            group.addTask {
                var expired: [TradeRecord] = []
                for await e in subscription {
                    guard let since = sent.time, e.ts >= since else { continue }
                    if e.type == TradeUpdate.typeName, let u = try? e.decode(TradeUpdate.self), u.previous == .open,
                        u.trade.closeMethod == "expired", u.trade.status == .expired || u.trade.status == .settled {
                        expired.append(u.trade)
                    } else if e.type == OpenTrades.typeName, let open = try? e.decode(OpenTrades.self) {
                        return ExpireOutcome(expired: expired, open: open)
                    }
                }
                return nil
            }
            group.addTask {
                // Give the subscription a moment to reach the broker before asking.
                try? await Task.sleep(for: .milliseconds(200))
                repeat {  // at least once, however long connecting took
                    if sent.time == nil { sent.time = clock.now }
                    try? bus.publish(.expireTradesNow, ExpireTradesNow(requester: requester, time: clock.now.description))
                    try? await Task.sleep(for: .milliseconds(Int64(resendSeconds * 1000)))
                } while ContinuousClock.now < deadline && !Task.isCancelled
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// The trades in flight: the latest `trade.state.open` (the broker hands it to a new subscriber at once), or
    /// nil when none came within `timeoutSeconds`.
    public static func openTrades(bus: any Bus, timeoutSeconds: Double = 5) async -> OpenTrades? {
        let subscription = bus.subscribe([TopicFilter(.openTrades)])
        return await withTaskGroup(of: OpenTrades?.self) { group in
            group.addTask {
                for await e in subscription { if let o = try? e.decode(OpenTrades.self) { return o } }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int64(timeoutSeconds * 1000)))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}

/// When the first request went out, shared by the sender and the listener.
final class SentAt: Sendable {
    private let value = Mutex<BusTime?>(nil)
    var time: BusTime? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
