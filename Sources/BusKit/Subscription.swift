import BusWire

/// Messages matching a set of filters, as an async sequence. Ending the iteration (or dropping the value)
/// removes the subscription.
///
/// ```swift
/// for await message in bus.subscribe([.heartbeats]) {
///     let beat = try message.decode(Heartbeat.self)
/// }
/// ```
public struct Subscription: AsyncSequence, Sendable {
    public typealias Element = Envelope
    let stream: AsyncStream<Envelope>

    public func makeAsyncIterator() -> AsyncStream<Envelope>.Iterator { stream.makeAsyncIterator() }
}

/// The delivery side shared by every bus: local subscriptions, per-subscription duplicate and gap detection,
/// bounded buffers whose overflow is counted. Not thread-safe; the owning bus serialises access.
struct SubscriberTable {
    struct Entry {
        let filters: [TopicFilter]
        let continuation: AsyncStream<Envelope>.Continuation
        var tracker = SequenceTracker()
    }

    private(set) var entries: [UInt64: Entry] = [:]
    private var nextID: UInt64 = 0
    var counters = BusCounters()

    /// Adds a subscription and returns its id and the stream to hand out. `onEnd(id)` runs when the consumer stops
    /// listening; it must not be called with the owner's lock held, so ``remove(_:)`` hands back the continuation
    /// for the caller to finish after unlocking.
    mutating func add(_ filters: [TopicFilter], bufferSize: Int, onEnd: @escaping @Sendable (UInt64) -> Void) -> (UInt64, AsyncStream<Envelope>) {
        nextID += 1
        let id = nextID
        let (stream, continuation) = AsyncStream.makeStream(of: Envelope.self, bufferingPolicy: .bufferingOldest(bufferSize))
        continuation.onTermination = { _ in onEnd(id) }
        entries[id] = Entry(filters: filters, continuation: continuation)
        return (id, stream)
    }

    /// Removes a subscription; returns it so the caller can unsubscribe its filters and finish it outside the lock.
    mutating func remove(_ id: UInt64) -> Entry? {
        entries.removeValue(forKey: id)
    }

    /// Removes every subscription; the caller finishes them outside the lock.
    mutating func removeAll() -> [Entry] {
        defer { entries.removeAll() }
        return Array(entries.values)
    }

    /// Hands `envelope` to every subscription whose filters match it (or only to `only`), dropping duplicates
    /// per subscription.
    mutating func deliver(_ envelope: Envelope, only: UInt64? = nil) {
        if let only {
            if let i = entries.index(forKey: only) { deliver(envelope, at: i) }
            return
        }
        var i = entries.startIndex
        while i != entries.endIndex {
            deliver(envelope, at: i)
            entries.formIndex(after: &i)
        }
    }

    private mutating func deliver(_ envelope: Envelope, at i: Dictionary<UInt64, Entry>.Index) {
        guard entries.values[i].filters.contains(where: { $0.matches(envelope.topic) }) else { return }
        switch entries.values[i].tracker.observe(envelope) {
        case .duplicate:
            counters.duplicates += 1
            return
        case .gap(let missing): counters.gaps += missing
        case .fresh, .restarted: break
        }
        if case .dropped = entries.values[i].continuation.yield(envelope) {
            counters.dropped += 1
        } else {
            counters.received += 1
        }
    }
}
