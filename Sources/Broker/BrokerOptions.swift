import BusKit
public import ZeroMQ
import BusWire

/// How the broker listens and what it keeps.
public struct BrokerOptions: Sendable {
    /// XSUB endpoint publishers connect to.
    public var frontend: String
    /// XPUB endpoint subscribers connect to.
    public var backend: String
    /// Optional PUB endpoint mirroring every message (for external recorders).
    public var capture: String?
    /// Per-socket queue limit in messages. Above it libzmq drops for that peer only, so a slow subscriber never
    /// stalls the others; its kit counts the loss as sequence gaps.
    public var highWaterMark: Int32 = 100_000
    /// Largest envelope in bytes; a larger one is refused and counted as dropped (a publisher sending more than four
    /// times this is disconnected by libzmq).
    public var maxMessageSize = EnvelopeCodec.defaultMaxSize
    /// Seconds between `sys.broker.stats` messages.
    public var statsInterval = 5.0
    /// Seconds between the broker's own heartbeats.
    public var heartbeatInterval = 1.0
    /// Topics whose last value is kept for late joiners.
    public var stateFilters: [TopicFilter] = TopicFilter.state
    /// Distinct state topics kept at most (bounds memory).
    public var lastValueLimit = 100_000
    /// Bytes of last values kept at most (topics and payloads).
    public var lastValueBytes = 64 << 20
    /// The largest topic frame forwarded; a larger one is refused and counted.
    public var maxTopicSize = 256
    /// When set, every connection must authenticate (PLAIN on local endpoints, CURVE elsewhere) and every message's
    /// `src` and topic are checked against its sender's identity.
    public var identities: IdentityPolicy?
    /// Distinct topics counted individually in statistics at most.
    public var topicStatsLimit = 10_000
    /// This host's name, for the broker's `src`.
    public var host = "local"
    /// CURVE: the broker's key pair and the allowed client keys (name → Z85 public key); nil for plaintext.
    public var curve: (keys: CurveKeyPair, allowed: [String: String])?

    public init(frontend: String, backend: String) {
        self.frontend = frontend
        self.backend = backend
    }

    /// Options from `bus.conf`.
    public init(_ c: BusConfiguration, host: String) {
        self.init(frontend: c.bus.frontend, backend: c.bus.backend)
        capture = c.bus.capture
        highWaterMark = Int32(c.bus.highWaterMark)
        maxMessageSize = c.bus.maxMessageSize
        statsInterval = c.bus.statsInterval
        heartbeatInterval = c.bus.heartbeatInterval
        maxTopicSize = c.bus.maxTopicSize
        lastValueBytes = c.bus.lastValuesMaxSize
        self.host = host
    }

    /// Options from `bus.conf` with the broker's CURVE keys and allow-list loaded when the bus needs them.
    public static func load(_ c: BusConfiguration, host: String, home: String = ProcInfo.recioHome) throws(BusError) -> BrokerOptions {
        var o = BrokerOptions(c, host: host)
        if c.bus.curveRequired {
            let store = c.keyStore(home: home)
            let allowed = try store.allowed()
            guard !allowed.isEmpty else {
                throw BusError(.configuration, "CURVE is on but \(store.folder)/allowed holds no client key: run `recio keys allow`")
            }
            o.curve = (try store.pair("broker"), allowed)
        }
        if c.bus.identities {
            var hosts: [String: Set<String>] = [:]
            if c.bus.curveRequired {
                for p in c.plugins where p.enabled { hosts[p.host, default: []].insert(p.name) }
                hosts[c.bus.brokerHost, default: []].insert("launcher")
            }
            o.identities = IdentityPolicy(permissions: c.permissions, store: c.identityStore(home: home), hosts: hosts)
        }
        return o
    }
}
