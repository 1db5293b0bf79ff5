import CZeroMQ

/// One reusable `zmq_msg_t` with a stable heap address (small payloads live inside the struct itself).
///
/// Used on hot paths: receive into it, look at ``buffer``, send it on (which moves the content out).
/// Not thread-safe; owned by one thread.
public final class Message: @unchecked Sendable {
    @usableFromInline let msg: UnsafeMutablePointer<zmq_msg_t>

    /// An empty message.
    public init() {
        msg = .allocate(capacity: 1)
        zmq_msg_init(msg)
    }

    deinit {
        zmq_msg_close(msg)
        msg.deallocate()
    }

    /// Receives the next frame into this message (freeing what it held). Returns false when it would block.
    @inlinable
    public func receive(from socket: Socket, dontWait: Bool = false) throws(ZMQError) -> Bool {
        let r = try zmqCall("msg_recv") { zmq_msg_recv(msg, socket.raw, dontWait ? ZMQ_DONTWAIT : 0) }
        if case .wouldBlock = r { return false }
        return true
    }

    /// Sends this frame; the content moves to libzmq and the message becomes empty. Returns false when it would block.
    @inlinable
    public func send(to socket: Socket, more: Bool, dontWait: Bool = false) throws(ZMQError) -> Bool {
        let flags = (more ? ZMQ_SNDMORE : 0) | (dontWait ? ZMQ_DONTWAIT : 0)
        let r = try zmqCall("msg_send") { zmq_msg_send(msg, socket.raw, flags) }
        if case .wouldBlock = r { return false }
        return true
    }

    /// Makes this message share `other`'s content (reference-counted for large payloads, copied for small ones).
    @inlinable
    public func copy(from other: Message) {
        zmq_msg_copy(msg, other.msg)
    }

    /// Whether another frame follows this one.
    @inlinable
    public var more: Bool { zmq_msg_more(msg) != 0 }

    /// Byte count of the payload.
    @inlinable
    public var count: Int { zmq_msg_size(msg) }

    /// The payload, valid until the message is next received into, sent or copied over.
    @inlinable
    public var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: zmq_msg_data(msg), count: zmq_msg_size(msg)) }

    /// A copy of the payload.
    public var bytes: [UInt8] { Array(buffer) }

    /// A metadata property of a received frame (`zmq_msg_gets`), such as `User-Id`: the identity the ZAP handler
    /// gave the connection it came from. Valid until the message is next received into, sent or copied over; nil
    /// when the connection has no such property.
    @inlinable
    public func property(_ name: String) -> UnsafePointer<CChar>? { zmq_msg_gets(msg, name) }
}

extension Message {
    /// A message holding a copy of `bytes`.
    public convenience init(bytes: [UInt8]) {
        self.init()
        zmq_msg_close(msg)
        zmq_msg_init_size(msg, bytes.count)
        bytes.withUnsafeBytes { b in
            if let base = b.baseAddress { zmq_msg_data(msg).copyMemory(from: base, byteCount: b.count) }
        }
    }
}
