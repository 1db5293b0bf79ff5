import BusWire

/// Detects duplicates and gaps from (`src`, `topic`, `seq`), the way every subscriber must.
///
/// Publishers number each topic 1, 2, 3… A message at or below the last seen number with a timestamp no newer
/// than the last seen one is a duplicate (for example a last value replayed to a new subscriber). A lower number
/// with a newer timestamp means the publisher restarted, and counting starts over. A jump forward is a gap.
public struct SequenceTracker: Sendable {
    struct Key: Hashable { let src: String; let topic: String }
    private var last: [Key: (seq: UInt64, ts: BusTime)] = [:]

    /// What the tracker made of one message.
    public enum Verdict: Equatable, Sendable {
        /// New and in order.
        case fresh
        /// New, but `missing` messages before it never arrived.
        case gap(missing: UInt64)
        /// Already seen: drop it.
        case duplicate
        /// The publisher restarted its numbering.
        case restarted
    }

    public init() {}

    /// Classifies `envelope` and remembers it unless it is a duplicate.
    public mutating func observe(_ envelope: Envelope) -> Verdict {
        let key = Key(src: envelope.src, topic: envelope.topic)
        guard let prev = last[key] else {
            last[key] = (envelope.seq, envelope.ts)
            return .fresh
        }
        if envelope.seq <= prev.seq {
            if envelope.ts <= prev.ts { return .duplicate }
            last[key] = (envelope.seq, envelope.ts)
            return .restarted
        }
        last[key] = (envelope.seq, envelope.ts)
        let missing = envelope.seq - prev.seq - 1
        return missing == 0 ? .fresh : .gap(missing: missing)
    }
}
