import CZeroMQ

/// The socket types rec.io uses.
public enum SocketType: Sendable {
    case pub, sub, xpub, xsub, pair, push, pull, req, rep

    var raw: Int32 {
        switch self {
        case .pub: ZMQ_PUB
        case .sub: ZMQ_SUB
        case .xpub: ZMQ_XPUB
        case .xsub: ZMQ_XSUB
        case .pair: ZMQ_PAIR
        case .push: ZMQ_PUSH
        case .pull: ZMQ_PULL
        case .req: ZMQ_REQ
        case .rep: ZMQ_REP
        }
    }
}

/// A typed socket option: one generic key instead of a setter per option.
public struct SocketOption<Value>: Sendable {
    let raw: Int32
    init(_ raw: Int32) { self.raw = raw }
}

extension SocketOption where Value == Int32 {
    /// Send high-water mark in messages; 0 means unbounded.
    public static var sendHighWaterMark: Self { .init(ZMQ_SNDHWM) }
    /// Receive high-water mark in messages; 0 means unbounded.
    public static var receiveHighWaterMark: Self { .init(ZMQ_RCVHWM) }
    /// Milliseconds to keep unsent messages after close; -1 waits until sent.
    public static var linger: Self { .init(ZMQ_LINGER) }
    /// Receive timeout in milliseconds; -1 blocks.
    public static var receiveTimeout: Self { .init(ZMQ_RCVTIMEO) }
    /// Send timeout in milliseconds; -1 blocks.
    public static var sendTimeout: Self { .init(ZMQ_SNDTIMEO) }
    /// XPUB: pass every subscription upstream, including repeats.
    public static var xpubVerbose: Self { .init(ZMQ_XPUB_VERBOSE) }
    /// Initial reconnect interval in milliseconds.
    public static var reconnectInterval: Self { .init(ZMQ_RECONNECT_IVL) }
    /// Maximum reconnect interval in milliseconds (exponential backoff cap).
    public static var reconnectIntervalMax: Self { .init(ZMQ_RECONNECT_IVL_MAX) }
    /// Heartbeat interval for ZMTP pings in milliseconds (detects dead peers).
    public static var heartbeatInterval: Self { .init(ZMQ_HEARTBEAT_IVL) }
    /// Time without traffic after a ZMTP ping before the connection is dropped, in milliseconds.
    public static var heartbeatTimeout: Self { .init(ZMQ_HEARTBEAT_TIMEOUT) }
    /// Keep TCP connections alive (1) or use the OS default (-1).
    public static var tcpKeepalive: Self { .init(ZMQ_TCP_KEEPALIVE) }
    /// Queue messages only to completed connections.
    public static var immediate: Self { .init(ZMQ_IMMEDIATE) }
}

extension SocketOption where Value == Int64 {
    /// Largest inbound message in bytes; a peer that sends more is disconnected. -1 means no limit.
    public static var maxMessageSize: Self { .init(ZMQ_MAXMSGSIZE) }
}
