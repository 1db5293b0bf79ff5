import BusKit
import BusWire
import Synchronization

/// Whether the market data is fresh enough to trade on. Pure: the clock's reading is passed in.
public enum FeedHealth {
    /// The plugin state and note, from when events were last read and book data last seen (nil: never), how
    /// many markets are followed, and `now`.
    public static func judge(lastEvents: BusTime?, lastBook: BusTime?, markets: Int, now: BusTime, staleAfter: Double) -> (PluginState, String?) {
        guard lastEvents != nil else { return (.degraded, "no events read yet") }
        guard markets > 0 else { return (.degraded, "no open event to follow") }
        guard let last = lastBook else { return (.degraded, "no order book yet") }
        let age = last.seconds(until: now)
        if age > staleAfter {
            let tenths = (age * 10).rounded() / 10
            return (.degraded, "order books stale: no book data for \(tenths) s")
        }
        return (.running, nil)
    }
}

/// The feed's state shared by its tasks: the tracker and the times data last arrived.
final class FeedState: Sendable {
    private let tracker: Mutex<MarketTracker>
    private let times = Mutex<(events: BusTime?, book: BusTime?)>((nil, nil))

    init(series: String) { tracker = Mutex(MarketTracker(series: series)) }

    /// Runs `body` on the tracker.
    func withTracker<T: Sendable>(_ body: (inout MarketTracker) -> T) -> T { tracker.withLock { body(&$0) } }

    var lastEvents: BusTime? {
        get { times.withLock { $0.events } }
        set { times.withLock { $0.events = newValue } }
    }
    var lastBook: BusTime? {
        get { times.withLock { $0.book } }
        set { times.withLock { $0.book = newValue } }
    }
}
