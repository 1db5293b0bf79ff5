import BusWire

/// Counts for `sys.broker.stats`, kept by the broker thread.
struct TrafficStats {
    private struct PerTopic { let topic: String; let isState: Bool; var messages: UInt64; var bytes: UInt64 }
    private var index = HashIndex()
    private var perTopic: [PerTopic] = []
    private let limit: Int
    var totals = BrokerStats()
    private struct RefusalKey: Hashable { let identity: String; let topic: String; let reason: Refusal }
    private var refusals: [RefusalKey: UInt64] = [:]
    private var logged: Set<RefusalKey> = []

    init(limit: Int) { self.limit = limit }

    /// Counts one refused message (also in `dropped`); returns true the first time this identity is refused for
    /// this reason, so the caller logs it once. Distinct topics per table are bounded: beyond 1,000 entries,
    /// new topics are counted under `*`.
    mutating func refuse(identity: String, topic: UnsafeRawBufferPointer, reason: Refusal) -> Bool {
        totals.dropped += 1
        var name = String(decoding: topic.prefix(128), as: UTF8.self)
        if topic.count > 128 { name += "…" }
        var key = RefusalKey(identity: identity, topic: name, reason: reason)
        if refusals[key] == nil && refusals.count >= 1000 { key = RefusalKey(identity: identity, topic: "*", reason: reason) }
        refusals[key, default: 0] += 1
        return logged.insert(RefusalKey(identity: identity, topic: "", reason: reason)).inserted
    }

    /// Counts one message in and says whether its topic is a state topic (decided once per topic by `isState`).
    @inline(__always)
    mutating func record(hash: UInt64, topic: UnsafeRawBufferPointer, bytes: Int, isState: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        totals.messagesIn += 1
        totals.bytesIn += UInt64(bytes)
        if let i = index.find(hash) {
            perTopic[i].messages += 1
            perTopic[i].bytes += UInt64(bytes)
            return perTopic[i].isState
        }
        let state = isState(topic)
        if perTopic.count < limit {
            index.insert(hash, perTopic.count)
            perTopic.append(PerTopic(topic: String(decoding: topic, as: UTF8.self), isState: state, messages: 1, bytes: UInt64(bytes)))
        }
        return state
    }

    /// Counts one message out (forwarded or replayed).
    mutating func sent(bytes: Int) {
        totals.messagesOut += 1
        totals.bytesOut += UInt64(bytes)
    }

    /// The statistics message, with the `top` busiest topics.
    func snapshot(top: Int, uptime: Double, lastValues: Int) -> BrokerStats {
        var s = totals
        s.topicCount = perTopic.count
        s.topics = perTopic.sorted { $0.messages > $1.messages }.prefix(top)
            .map { BrokerStats.TopicCount(topic: $0.topic, messages: $0.messages, bytes: $0.bytes) }
        s.uptime = uptime
        s.lastValues = lastValues
        s.refused = refusals.sorted { $0.value > $1.value }.prefix(top)
            .map { BrokerStats.Refused(identity: $0.key.identity, topic: $0.key.topic, reason: $0.key.reason.rawValue, messages: $0.value) }
        return s
    }
}

/// Topic hash → slot number, by open addressing with linear probing. The key already is a well-mixed FNV-1a hash,
/// so a lookup is a mask and a compare: the standard `Dictionary` would run SipHash over it for every message, which
/// profiling showed as a visible share of the broker's per-message cost.
struct HashIndex {
    private var keys: [UInt64]
    private var slots: [Int32]  // -1: empty
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 64) {
        var n = 16
        while n < capacity * 2 { n <<= 1 }
        keys = Array(repeating: 0, count: n)
        slots = Array(repeating: -1, count: n)
        mask = n - 1
    }

    /// The slot stored for `key`, if any.
    @inline(__always)
    func find(_ key: UInt64) -> Int? {
        var i = Int(truncatingIfNeeded: key) & mask
        while slots[i] >= 0 {
            if keys[i] == key { return Int(slots[i]) }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Stores `slot` for a `key` not yet present; grows to stay at most half full.
    mutating func insert(_ key: UInt64, _ slot: Int) {
        if (count + 1) * 2 > slots.count {
            var bigger = HashIndex(capacity: slots.count)
            for i in slots.indices where slots[i] >= 0 { bigger.insert(keys[i], Int(slots[i])) }
            self = bigger
        }
        var i = Int(truncatingIfNeeded: key) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        keys[i] = key
        slots[i] = Int32(slot)
        count += 1
    }
}
