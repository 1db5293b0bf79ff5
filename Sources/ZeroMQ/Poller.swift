import CZeroMQ

/// `zmq_poll` over a fixed set of sockets, for input readiness.
public struct Poller {
    private var items: [zmq_pollitem_t]

    /// Polls `sockets` for readability.
    public init(_ sockets: [Socket]) {
        items = sockets.map { zmq_pollitem_t(socket: $0.raw, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
    }

    /// Waits up to `timeoutMs` (-1: forever) and returns which sockets are readable, by index.
    public mutating func poll(timeoutMs: Int) throws(ZMQError) -> [Bool] {
        let count = Int32(items.count)
        let r = try items.withUnsafeMutableBufferPointer { (buf) throws(ZMQError) -> CallResult in
            try zmqCall("poll") { zmq_poll(buf.baseAddress, count, timeoutMs) }
        }
        if case .wouldBlock = r { return Array(repeating: false, count: items.count) }
        return items.map { ($0.revents & Int16(ZMQ_POLLIN)) != 0 }
    }
}
