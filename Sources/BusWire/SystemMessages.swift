/// A plugin's lifecycle state, as reported in its heartbeat.
public enum PluginState: String, Codable, Sendable, CaseIterable {
    case starting, running, degraded, stopping, stopped, fatal
}

/// What a plugin's bus connection has seen since it started.
public struct BusCounters: Codable, Sendable, Hashable {
    /// Messages published.
    public var published: UInt64 = 0
    /// Messages delivered to this plugin's subscribers.
    public var received: UInt64 = 0
    /// Messages missing according to (src, topic, seq): lost at a high-water mark or in a broken connection.
    public var gaps: UInt64 = 0
    /// Repeats dropped by (src, topic, seq), such as last values replayed to a new subscriber.
    public var duplicates: UInt64 = 0
    /// Messages refused as malformed, oversized or of an unsupported version.
    public var rejected: UInt64 = 0
    /// Messages dropped locally: a subscriber's buffer was full or the broker was unreachable too long.
    public var dropped: UInt64 = 0
    /// Messages refused because their `ts` was further ahead of this process's clock than the kit allows: such an
    /// envelope could otherwise make its publisher's later messages look like duplicates. 0 from older builds.
    public var future: UInt64 = 0

    public init() {}

    enum CodingKeys: String, CodingKey { case published, received, gaps, duplicates, rejected, dropped, future }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        published = try c.decode(UInt64.self, forKey: .published)
        received = try c.decode(UInt64.self, forKey: .received)
        gaps = try c.decode(UInt64.self, forKey: .gaps)
        duplicates = try c.decode(UInt64.self, forKey: .duplicates)
        rejected = try c.decode(UInt64.self, forKey: .rejected)
        dropped = try c.decode(UInt64.self, forKey: .dropped)
        future = try c.decodeIfPresent(UInt64.self, forKey: .future) ?? 0
    }
}

/// `sys.heartbeat.<plugin>`: published by every plugin about once a second.
public struct Heartbeat: BusMessage, Hashable {
    public static let typeName = "sys.heartbeat"
    public var plugin: String
    public var host: String
    public var pid: Int32
    public var state: PluginState
    /// Seconds since the plugin started.
    public var uptime: Double
    /// Resident memory in bytes.
    public var rss: Int
    /// Age in seconds of each input the plugin depends on (for example `price`: 0.4), nil when never seen.
    public var dataAges: [String: Double?]
    public var bus: BusCounters
    /// A short human note for degraded or stopping states.
    public var note: String?
    /// Messages the plugin received but could not use: `data` not the shape its topic and type promise (the bus's
    /// own refusals of malformed envelopes are in ``bus``). 0 in heartbeats from builds that did not count them.
    public var undecodable: UInt64

    public init(plugin: String, host: String, pid: Int32, state: PluginState, uptime: Double, rss: Int,
                dataAges: [String: Double?] = [:], bus: BusCounters = .init(), note: String? = nil, undecodable: UInt64 = 0) {
        self.plugin = plugin; self.host = host; self.pid = pid; self.state = state; self.uptime = uptime
        self.rss = rss; self.dataAges = dataAges; self.bus = bus; self.note = note; self.undecodable = undecodable
    }

    private enum CodingKeys: String, CodingKey {
        case plugin, host, pid, state, uptime, rss, dataAges, bus, note, undecodable
    }

    /// Decodes a heartbeat; `undecodable` may be absent (older publishers) and then reads as 0.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        plugin = try c.decode(String.self, forKey: .plugin)
        host = try c.decode(String.self, forKey: .host)
        pid = try c.decode(Int32.self, forKey: .pid)
        state = try c.decode(PluginState.self, forKey: .state)
        uptime = try c.decode(Double.self, forKey: .uptime)
        rss = try c.decode(Int.self, forKey: .rss)
        dataAges = try c.decode([String: Double?].self, forKey: .dataAges)
        bus = try c.decode(BusCounters.self, forKey: .bus)
        note = try c.decodeIfPresent(String.self, forKey: .note)
        undecodable = try c.decodeIfPresent(UInt64.self, forKey: .undecodable) ?? 0
    }
}

/// `sys.broker.stats`: the broker's traffic since it started.
public struct BrokerStats: BusMessage, Hashable {
    public static let typeName = "sys.broker.stats"

    /// Per-topic traffic.
    public struct TopicCount: Codable, Sendable, Hashable {
        public var topic: String
        public var messages: UInt64
        public var bytes: UInt64
        public init(topic: String, messages: UInt64, bytes: UInt64) { self.topic = topic; self.messages = messages; self.bytes = bytes }
    }

    public var messagesIn: UInt64 = 0
    public var bytesIn: UInt64 = 0
    /// Messages forwarded to subscribers, including last values replayed to late joiners.
    public var messagesOut: UInt64 = 0
    public var bytesOut: UInt64 = 0
    /// Last values replayed to new subscriptions.
    public var replayed: UInt64 = 0
    /// Connected subscriber sockets.
    public var subscribers: Int = 0
    /// Connected publisher sockets.
    public var publishers: Int = 0
    /// Messages the broker refused: not two frames, a bad topic, or over the size limit.
    public var dropped: UInt64 = 0
    /// State topics held for late joiners.
    public var lastValues: Int = 0
    /// Distinct topics seen.
    public var topicCount: Int = 0
    /// The busiest topics, by message count.
    public var topics: [TopicCount] = []
    /// Seconds since the broker started.
    public var uptime: Double = 0
    /// Bytes of last values held (nil from older brokers).
    public var lastValueBytes: Int?
    /// State messages not kept as last values because the count or byte limit was reached.
    public var lastValuesRefused: UInt64?
    /// Connection handshakes that failed: credentials the broker's ZAP handler refused (unknown key, unknown name,
    /// wrong password), a client without credentials on a bus that needs them, or a peer gone mid-handshake. Each
    /// failed connection counts once.
    public var authFailures: UInt64?
    /// Messages refused, per identity, topic and reason (the 50 most frequent); each is also in ``dropped``.
    public var refused: [Refused]?

    /// Messages refused for one identity, topic and reason.
    public struct Refused: Codable, Sendable, Hashable {
        /// The identity the connection authenticated as (`(none)` without one).
        public var identity: String
        public var topic: String
        /// `src does not match the sender`, `topic not permitted`, `no identity`, `no src`, `topic too large`,
        /// `envelope too large` or `not two frames`.
        public var reason: String
        public var messages: UInt64
        public init(identity: String, topic: String, reason: String, messages: UInt64) {
            self.identity = identity; self.topic = topic; self.reason = reason; self.messages = messages
        }
    }

    public init() {}
}

/// One plugin's row in the launcher's status table.
public struct PluginStatus: Codable, Sendable, Hashable {
    public var name: String
    public var pid: Int32?
    public var state: PluginState
    /// When the current process started, nil when not running.
    public var startedAt: BusTime?
    public var restarts: Int
    public var rss: Int?
    /// When its last heartbeat arrived, nil if none yet.
    public var lastHeartbeat: BusTime?
    /// Last exit, such as `signal 9` or `exit 1`.
    public var lastExit: String?
    /// When the launcher will try again, while backing off.
    public var nextStart: BusTime?

    public init(name: String, pid: Int32? = nil, state: PluginState, startedAt: BusTime? = nil, restarts: Int = 0,
                rss: Int? = nil, lastHeartbeat: BusTime? = nil, lastExit: String? = nil, nextStart: BusTime? = nil) {
        self.name = name; self.pid = pid; self.state = state; self.startedAt = startedAt; self.restarts = restarts
        self.rss = rss; self.lastHeartbeat = lastHeartbeat; self.lastExit = lastExit; self.nextStart = nextStart
    }
}

/// `sys.launcher.<host>.status`: the launcher's view of its host.
public struct LauncherStatus: BusMessage, Hashable {
    public static let typeName = "sys.launcher.status"
    public var host: String
    public var pid: Int32
    public var plugins: [PluginStatus]
    public init(host: String, pid: Int32, plugins: [PluginStatus]) { self.host = host; self.pid = pid; self.plugins = plugins }
}

/// `sys.alert.<source>`: something a person should look at.
public struct Alert: BusMessage, Hashable {
    public static let typeName = "sys.alert"
    public enum Severity: String, Codable, Sendable { case info, warning, critical }
    public var source: String
    public var severity: Severity
    public var message: String
    /// The plugin concerned, if any.
    public var plugin: String?
    public init(source: String, severity: Severity, message: String, plugin: String? = nil) {
        self.source = source; self.severity = severity; self.message = message; self.plugin = plugin
    }
}

/// `sys.ping.<target>` / `sys.pong.<requester>`: a round-trip probe; the ponger echoes `id` and `sentAt`.
public struct Ping: BusMessage, Hashable {
    public static let typeName = "sys.ping"
    public var id: UInt64
    public var requester: String
    public var sentAt: BusTime
    public init(id: UInt64, requester: String, sentAt: BusTime) { self.id = id; self.requester = requester; self.sentAt = sentAt }
}

extension BusTime: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let t = BusTime(rfc3339: text.utf8) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(text)' is not an RFC 3339 time")
        }
        self = t
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
