import BusWire

/// Coalesces pushes of state topics: each topic goes to the browsers at most once per `interval`; changes in between
/// are folded into one push of the latest value when the interval has passed. Pure: the clock is passed in.
public struct PushCoalescer: Sendable {
    /// The least time between two pushes of one topic, in seconds.
    public let interval: Double
    private var lastSent: [String: BusTime] = [:]
    private var pending: Set<String> = []

    /// A coalescer.
    public init(interval: Double) { self.interval = interval }

    /// A change of `topic` at `now`: true when it may be pushed now (and is counted as sent); false when it waits.
    public mutating func offer(_ topic: String, now: BusTime) -> Bool {
        if pending.contains(topic) { return false }
        if let last = lastSent[topic], last.seconds(until: now) < interval {
            pending.insert(topic)
            return false
        }
        lastSent[topic] = now
        return true
    }

    /// The waiting topics whose interval has passed at `now`, counted as sent.
    public mutating func due(now: BusTime) -> [String] {
        let ready = pending.filter { t in lastSent[t].map { $0.seconds(until: now) >= interval } ?? true }.sorted()
        for t in ready { pending.remove(t); lastSent[t] = now }
        return ready
    }

    /// When the next waiting topic is due, nil when none waits.
    public var nextDue: BusTime? {
        pending.compactMap { lastSent[$0]?.adding(seconds: interval) }.min()
    }

    /// True when a topic waits.
    public var hasPending: Bool { !pending.isEmpty }
}
