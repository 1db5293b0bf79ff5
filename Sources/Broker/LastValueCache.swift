import BusWire
import ZeroMQ

/// The last message of every state topic, held as libzmq messages (large payloads are shared by reference count,
/// not copied). Owned by the broker thread.
final class LastValueCache {
    final class Slot {
        let topic: [UInt8]
        let topicMsg = Message()
        let payloadMsg = Message()
        init(topic: [UInt8]) { self.topic = topic }
    }

    private var slots: [UInt64: [Slot]] = [:]
    private(set) var count = 0
    /// Bytes held (topics and payloads).
    private(set) var bytes = 0
    /// Values not kept because a limit was reached (a topic whose new value does not fit loses its old one too:
    /// a late joiner gets nothing rather than a stale state).
    private(set) var refused: UInt64 = 0
    let filters: [[UInt8]]
    let limit: Int
    let byteLimit: Int

    init(filters: [TopicFilter], limit: Int, byteLimit: Int = .max) {
        self.filters = filters.map { Array($0.rawValue.utf8) }
        self.limit = limit
        self.byteLimit = byteLimit
    }

    /// Whether `topic` is a state topic.
    func isState(_ topic: UnsafeRawBufferPointer) -> Bool {
        for f in filters where topic.count >= f.count {
            if f.withUnsafeBytes({ memcmp($0.baseAddress!, topic.baseAddress!, f.count) == 0 }) { return true }
        }
        return false
    }

    /// Remembers this message as the topic's last value (before it is sent on, which empties the messages).
    func store(hash: UInt64, topic: Message, payload: Message) {
        let t = topic.buffer
        if let i = slots[hash]?.firstIndex(where: { $0.topic.elementsEqual(t) }) {
            let slot = slots[hash]![i]
            let change = payload.count - slot.payloadMsg.count
            guard bytes + change <= byteLimit else {
                bytes -= slot.topic.count + slot.payloadMsg.count
                slots[hash]!.remove(at: i)
                count -= 1
                refused += 1
                return
            }
            slot.payloadMsg.copy(from: payload)
            bytes += change
            return
        }
        let size = t.count + payload.count
        guard count < limit, bytes + size <= byteLimit else { refused += 1; return }
        let slot = Slot(topic: Array(t))
        slot.topicMsg.copy(from: topic)
        slot.payloadMsg.copy(from: payload)
        slots[hash, default: []].append(slot)
        count += 1
        bytes += size
    }

    /// Every held value whose topic starts with `prefix`, in topic order.
    func matching(_ prefix: UnsafeRawBufferPointer) -> [Slot] {
        slots.values.joined().filter { $0.topic.starts(with: prefix) }.sorted { $0.topic.lexicographicallyPrecedes($1.topic) }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// FNV-1a over a topic's bytes: cheap enough for every message.
@inline(__always)
func fnv1a(_ b: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in b { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    return h
}
