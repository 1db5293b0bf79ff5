import CZeroMQ

/// A libzmq socket.
///
/// Sockets are not thread-safe. The invariant behind `@unchecked Sendable`: a socket is used by one thread at a
/// time, either because one thread owns it for its whole life, or because every use is inside the same lock.
/// Handing a socket to a new thread happens through a lock or `Thread.start`, both full memory barriers.
public final class Socket: @unchecked Sendable {
    /// Unchecked exclusivity: a socket has one owning thread (see above), and the dynamic check on every read of this
    /// property was a measurable share of the broker's per-message cost.
    @exclusivity(unchecked) @usableFromInline var handle: UnsafeMutableRawPointer?
    /// The context the socket belongs to; kept alive while the socket is.
    public let context: Context

    /// Creates a socket of `type` in `context`.
    public init(_ context: Context, _ type: SocketType) throws(ZMQError) {
        guard let s = zmq_socket(context.handle, type.raw) else { throw ZMQError(operation: "socket") }
        self.context = context
        self.handle = s
    }

    deinit { close() }

    /// Closes the socket. Safe to call twice.
    public func close() {
        if let h = handle { zmq_close(h); handle = nil }
    }

    @usableFromInline var raw: UnsafeMutableRawPointer {
        guard let h = handle else { preconditionFailure("use of a closed ZeroMQ socket") }
        return h
    }

    /// Sets an integer option.
    public func set(_ option: SocketOption<Int32>, _ value: Int32) throws(ZMQError) {
        var v = value
        _ = try zmqCall("setsockopt \(option.raw)") { zmq_setsockopt(raw, option.raw, &v, MemoryLayout<Int32>.size) }
    }

    /// Sets a 64-bit integer option.
    public func set(_ option: SocketOption<Int64>, _ value: Int64) throws(ZMQError) {
        var v = value
        _ = try zmqCall("setsockopt \(option.raw)") { zmq_setsockopt(raw, option.raw, &v, MemoryLayout<Int64>.size) }
    }

    /// Binds to `endpoint` (`tcp://127.0.0.1:7100`, `ipc:///tmp/x`, `inproc://name`).
    public func bind(_ endpoint: String) throws(ZMQError) {
        _ = try zmqCall("bind \(endpoint)") { zmq_bind(raw, endpoint) }
    }

    /// Connects to `endpoint`; libzmq reconnects by itself when the peer goes away.
    public func connect(_ endpoint: String) throws(ZMQError) {
        _ = try zmqCall("connect \(endpoint)") { zmq_connect(raw, endpoint) }
    }

    /// The endpoint actually bound (useful after binding to port 0 or `*`).
    public var lastEndpoint: String {
        var buf = [CChar](repeating: 0, count: 1024)
        var size = buf.count
        _ = zmq_getsockopt(raw, ZMQ_LAST_ENDPOINT, &buf, &size)
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// SUB: adds a byte-prefix subscription.
    public func subscribe(_ prefix: String) throws(ZMQError) {
        var bytes = Array(prefix.utf8)
        _ = try zmqCall("subscribe \(prefix)") { zmq_setsockopt(raw, ZMQ_SUBSCRIBE, &bytes, bytes.count) }
    }

    /// SUB: removes one byte-prefix subscription.
    public func unsubscribe(_ prefix: String) throws(ZMQError) {
        var bytes = Array(prefix.utf8)
        _ = try zmqCall("unsubscribe \(prefix)") { zmq_setsockopt(raw, ZMQ_UNSUBSCRIBE, &bytes, bytes.count) }
    }

    /// True when another frame of the current message follows.
    public var hasMore: Bool {
        var more: Int32 = 0
        var size = MemoryLayout<Int32>.size
        _ = zmq_getsockopt(raw, ZMQ_RCVMORE, &more, &size)
        return more != 0
    }

    /// Sends one frame. Returns false when it would block (only with `dontWait`).
    @discardableResult
    public func send(_ bytes: UnsafeRawBufferPointer, more: Bool = false, dontWait: Bool = false) throws(ZMQError) -> Bool {
        let flags = (more ? ZMQ_SNDMORE : 0) | (dontWait ? ZMQ_DONTWAIT : 0)
        let r = try zmqCall("send") { zmq_send(raw, bytes.baseAddress, bytes.count, flags) }
        if case .wouldBlock = r { return false }
        return true
    }

    /// Sends one frame from an array of bytes.
    @discardableResult
    public func send(_ bytes: [UInt8], more: Bool = false, dontWait: Bool = false) throws(ZMQError) -> Bool {
        let result: Result<Bool, ZMQError> = bytes.withUnsafeBytes { b in
            do throws(ZMQError) { return .success(try send(b, more: more, dontWait: dontWait)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Sends a multi-frame message. Returns false when the first frame would block (only with `dontWait`).
    @discardableResult
    public func send(frames: [[UInt8]], dontWait: Bool = false) throws(ZMQError) -> Bool {
        for (i, frame) in frames.enumerated() {
            let ok = try send(frame, more: i < frames.count - 1, dontWait: dontWait && i == 0)
            if !ok { return false }
        }
        return true
    }

    /// Receives every frame of one message, or nil when it would block (only with `dontWait`).
    public func receiveFrames(dontWait: Bool = false) throws(ZMQError) -> [[UInt8]]? {
        let msg = Message()
        var frames: [[UInt8]] = []
        repeat {
            // Frames of one message arrive together, so only the first receive may need to wait.
            guard try msg.receive(from: self, dontWait: dontWait && frames.isEmpty) else { return nil }
            frames.append(msg.bytes)
        } while msg.more
        return frames
    }
}

extension Socket {
    /// Connection events a monitor can report.
    public enum MonitorEvent: Sendable {
        case accepted, disconnected, connected
        /// A handshake failed: wrong mechanism, bad credentials or a protocol error.
        case handshakeFailed
        case other(UInt16)
    }

    /// Starts publishing accepted/connected/disconnected events for this socket on a PAIR at `endpoint` (inproc).
    public func monitor(_ endpoint: String) throws(ZMQError) {
        let events = ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_CONNECTED | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
            | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH
        _ = try zmqCall("monitor \(endpoint)") { zmq_socket_monitor(raw, endpoint, events) }
    }

    /// Decodes a monitor message's first frame (a 16-bit event id then a 32-bit value).
    public static func monitorEvent(_ frame: [UInt8]) -> MonitorEvent? {
        guard frame.count >= 2 else { return nil }
        let id = UInt16(frame[0]) | UInt16(frame[1]) << 8
        switch Int32(id) {
        case ZMQ_EVENT_ACCEPTED: return .accepted
        case ZMQ_EVENT_DISCONNECTED: return .disconnected
        case ZMQ_EVENT_CONNECTED: return .connected
        case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL, ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL, ZMQ_EVENT_HANDSHAKE_FAILED_AUTH: return .handshakeFailed
        default: return .other(id)
        }
    }
}
