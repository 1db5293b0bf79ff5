import BusWire

/// Counts for `sys.broker.stats`, kept by the broker thread.
struct TrafficStats {
    private struct PerTopic { let topic: String; let isState: Bool; var messages: UInt64; var bytes: UInt64 }
    private var index: [UInt64: Int] = [:]
    private var perTopic: [PerTopic] = []
    private let limit: Int
    var totals = BrokerStats()

    init(limit: Int) { self.limit = limit }

    /// Counts one message in and says whether its topic is a state topic (decided once per topic by `isState`).
    @inline(__always)
    mutating func record(hash: UInt64, topic: UnsafeRawBufferPointer, bytes: Int, isState: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        totals.messagesIn += 1
        totals.bytesIn += UInt64(bytes)
        if let i = index[hash] {
            perTopic[i].messages += 1
            perTopic[i].bytes += UInt64(bytes)
            return perTopic[i].isState
        }
        let state = isState(topic)
        if perTopic.count < limit {
            index[hash] = perTopic.count
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
        return s
    }
}
