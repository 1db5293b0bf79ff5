import ZeroMQ

/// The publishing half of ``ZMQBus``: an XPUB socket, per-topic sequence numbers, and a bounded backlog for
/// while the broker is away. Always used under the bus's lock.
struct Publisher: ~Copyable {
    let socket: Socket
    let backlogLimit: Int
    var seqs: [String: UInt64] = [:]
    /// Subscriptions the broker holds on us; the broker subscribes to everything, so > 0 means connected.
    var subscriptions = 0
    var backlog: [(topic: [UInt8], payload: [UInt8])] = []
    var backlogHead = 0
    var published: UInt64 = 0
    var dropped: UInt64 = 0
    var closed = false

    init(socket: Socket, backlogLimit: Int) {
        self.socket = socket
        self.backlogLimit = backlogLimit
    }

    var ready: Bool { subscriptions > 0 }

    /// Sends now if the broker is there, otherwise queues (dropping the oldest beyond the limit).
    mutating func send(topic: [UInt8], payload: [UInt8]) {
        if !ready { service() }  // while connected, the I/O thread watches for the broker going away
        if ready && backlogHead == backlog.count {
            if transmit(topic, payload) { return }
        }
        backlog.append((topic, payload))
        if backlog.count - backlogHead > backlogLimit {
            backlogHead += 1
            dropped += 1
        }
        compact()
    }

    /// Reads subscription changes from the broker and flushes the backlog when it is back.
    mutating func service() {
        guard !closed else { return }
        while let frames = try? socket.receiveFrames(dontWait: true) {
            guard let first = frames.first?.first else { continue }
            subscriptions += first == 1 ? 1 : (first == 0 ? -1 : 0)
            subscriptions = max(0, subscriptions)
        }
        while ready && backlogHead < backlog.count {
            let m = backlog[backlogHead]
            guard transmit(m.topic, m.payload) else { break }
            backlogHead += 1
        }
        compact()
    }

    private mutating func transmit(_ topic: [UInt8], _ payload: [UInt8]) -> Bool {
        do {
            guard try socket.send(topic, more: true, dontWait: true) else { return false }
            try socket.send(payload, more: false, dontWait: false)
            published += 1
            return true
        } catch {
            return false
        }
    }

    private mutating func compact() {
        if backlogHead == backlog.count {
            backlog.removeAll(keepingCapacity: backlog.count < 1024)
            backlogHead = 0
        } else if backlogHead > 4096 && backlogHead * 2 > backlog.count {
            backlog.removeFirst(backlogHead)
            backlogHead = 0
        }
    }

    mutating func close(lingerMs: Int32) {
        guard !closed else { return }
        closed = true
        try? socket.set(.linger, lingerMs)
        socket.close()
    }
}
