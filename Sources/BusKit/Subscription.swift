import BusWire
import Synchronization

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
    /// Messages travel in batches (one per burst the I/O thread reads), so a busy stream wakes its consumer once
    /// per burst rather than once per message.
    let stream: AsyncStream<[Envelope]>

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: stream.makeAsyncIterator()) }

    /// Hands out the messages of each batch in order.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncStream<[Envelope]>.Iterator
        var batch: [Envelope] = []
        var index = 0

        public mutating func next() async -> Envelope? {
            while index >= batch.count {
                guard let b = await base.next() else { return nil }
                batch = b
                index = 0
            }
            defer { index += 1 }
            return batch[index]
        }
    }
}

/// Subscriptions whose consumers stopped listening, recorded without the owning bus's lock.
///
/// AsyncStream runs `onTermination` while it holds the cancelled task's status lock, and a bus's delivering thread
/// holds the bus's lock while it resumes a consumer, which takes that same task lock: if `onTermination` took the
/// bus's lock, the two would wait for each other for ever (seen as a hung test). So an ended subscription is only
/// noted here, and the owner removes it (``SubscriberTable/removeEnded()``) the next time it holds its lock.
final class EndedSubscriptions: Sendable {
    private let ids = Mutex<[UInt64]>([])
    func add(_ id: UInt64) { ids.withLock { $0.append(id) } }
    func take() -> [UInt64] { ids.withLock { ids in defer { ids.removeAll() }; return ids } }
}

/// The delivery side shared by every bus: local subscriptions, per-subscription duplicate and gap detection,
/// bounded buffers whose overflow is counted. Not thread-safe; the owning bus serialises access.
struct SubscriberTable {
    struct Entry {
        let filters: [TopicFilter]
        let continuation: AsyncStream<[Envelope]>.Continuation
        var tracker = SequenceTracker()
        var pending: [Envelope] = []
    }

    private(set) var entries: [UInt64: Entry] = [:]
    private var nextID: UInt64 = 0
    private let ended = EndedSubscriptions()
    var counters = BusCounters()

    /// Adds a subscription and returns its id and the stream to hand out. When the consumer stops listening the
    /// subscription is noted as ended and `onEnd` runs, without any lock of the owner's (see ``EndedSubscriptions``);
    /// the owner removes it with ``removeEnded()``. Finish a continuation only after unlocking.
    mutating func add(_ filters: [TopicFilter], bufferSize: Int, onEnd: @escaping @Sendable () -> Void = {}) -> (UInt64, AsyncStream<[Envelope]>) {
        nextID += 1
        let id = nextID
        // The buffer holds batches; a batch is at most one burst, so this bounds memory near `bufferSize` messages
        // at the burst size the I/O thread reads (``batchLimit``).
        let batches = max(16, bufferSize / Self.batchLimit)
        let (stream, continuation) = AsyncStream.makeStream(of: [Envelope].self, bufferingPolicy: .bufferingOldest(batches))
        continuation.onTermination = { [ended] _ in
            ended.add(id)
            onEnd()
        }
        entries[id] = Entry(filters: filters, continuation: continuation)
        return (id, stream)
    }

    /// Removes a subscription; returns it so the caller can unsubscribe its filters and finish it outside the lock.
    mutating func remove(_ id: UInt64) -> Entry? {
        entries.removeValue(forKey: id)
    }

    /// Removes the subscriptions whose consumers stopped listening; returns them so the caller can unsubscribe
    /// their filters.
    mutating func removeEnded() -> [Entry] {
        ended.take().compactMap { entries.removeValue(forKey: $0) }
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

    /// Messages per batch at most.
    static let batchLimit = 256

    /// Hands each subscription what it has pending; returns nothing. Call after ``deliver(_:only:)``.
    mutating func flush() {
        var i = entries.startIndex
        while i != entries.endIndex {
            if !entries.values[i].pending.isEmpty {
                let batch = entries.values[i].pending
                entries.values[i].pending.removeAll(keepingCapacity: true)
                if case .dropped = entries.values[i].continuation.yield(batch) {
                    counters.dropped += UInt64(batch.count)
                } else {
                    counters.received += UInt64(batch.count)
                }
            }
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
        entries.values[i].pending.append(envelope)
        if entries.values[i].pending.count >= Self.batchLimit { flush() }
    }
}
