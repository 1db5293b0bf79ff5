import BusWire
import Synchronization

/// A whole bus inside one process: publishing delivers synchronously to local subscribers, last values of state
/// topics reach late subscribers, and every message goes through the real envelope codec.
///
/// For unit tests and backtests (many plugins' logic in one process on a simulated clock).
public final class InMemoryBus: Bus {
    private struct State {
        var table = SubscriberTable()
        var seqs: [String: UInt64] = [:]
        var lastValues: [String: Envelope] = [:]
        var closed = false
    }

    public let source: String
    private let clock: any BusClock
    private let maxMessageSize: Int
    private let state = Mutex(State())

    /// A bus whose messages are stamped `source` and timed by `clock`.
    public init(source: String = "test@local", clock: any BusClock = SystemClock(), maxMessageSize: Int = EnvelopeCodec.defaultMaxSize) {
        self.source = source
        self.clock = clock
        self.maxMessageSize = maxMessageSize
    }

    public func publish(_ topic: Topic, type: String, data: [UInt8]) throws(BusError) {
        do throws(WireError) { try EnvelopeCodec.validateObject(data) } catch { throw .wire(error) }
        let ts = clock.now
        try state.withLock { (s) throws(BusError) in
            guard !s.closed else { throw BusError(.closed, "the bus is closed") }
            let seq = (s.seqs[topic.rawValue] ?? 0) + 1
            let bytes = EnvelopeCodec.encode(type: type, src: source, seq: seq, ts: ts, data: data)
            guard bytes.count <= maxMessageSize else {
                throw BusError(.tooLarge, "\(topic): \(bytes.count) bytes exceeds the \(maxMessageSize)-byte limit")
            }
            let envelope: Envelope
            do throws(WireError) { envelope = try EnvelopeCodec.decode(topic: topic.rawValue, bytes: bytes) } catch { throw .wire(error) }
            s.seqs[topic.rawValue] = seq
            s.table.counters.published += 1
            _ = s.table.removeEnded()
            if TopicFilter.state.contains(where: { $0.matches(topic.rawValue) }) { s.lastValues[topic.rawValue] = envelope }
            s.table.deliver(envelope)
            s.table.flush()
        }
    }

    public func subscribe(_ filters: [TopicFilter], bufferSize: Int) -> Subscription {
        let (stream, ended) = state.withLock { s -> (AsyncStream<[Envelope]>, SubscriberTable.Entry?) in
            _ = s.table.removeEnded()
            let (id, stream) = s.table.add(filters, bufferSize: bufferSize)
            // Late joiners are not blind: the last value of every matching state topic comes first.
            for topic in s.lastValues.keys.sorted() where filters.contains(where: { $0.matches(topic) }) {
                s.table.deliver(s.lastValues[topic]!, only: id)
            }
            s.table.flush()
            return (stream, s.closed ? s.table.remove(id) : nil)
        }
        ended?.continuation.finish()
        return Subscription(stream: stream)
    }

    public var counters: BusCounters { state.withLock { $0.table.counters } }

    public func waitUntilConnected(timeoutSeconds: Double) async -> Bool { true }

    public func close(flushSeconds: Double) {
        let entries = state.withLock { s in
            s.closed = true
            return s.table.removeAll()
        }
        entries.forEach { $0.continuation.finish() }
    }
}
