import BusKit
import BusWire
import Logging
import Synchronization
import ZeroMQ
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The only fixed part of rec.io: an XSUB/XPUB proxy that also keeps last values for late joiners, counts
/// traffic, mirrors to an optional capture socket, and stops without losing queued messages.
///
/// ```
///  plugin PUB/XPUB ──▶ XSUB (frontend) ─┬─▶ XPUB (backend) ──▶ SUB plugins, taps, recorders
///                                        ├─▶ last values (state topics) ─▶ replayed on each new subscription
///                                        └─▶ PUB (capture, optional)
/// ```
/// The frontend subscribes to everything, so every publisher sends everything to the broker whether or not
/// anyone listens yet; that is what lets last values exist before their first reader.
public final class Broker: Sendable {
    private let options: BrokerOptions
    private let clock: any BusClock
    private let logger: Logger
    private let context = Context()
    private let sockets: Sockets
    private let controlEndpoint: String
    private let control: Mutex<Socket?> = Mutex(nil)
    private let zap: ZAPHandler?
    /// The frontend endpoint actually bound (resolves `tcp://127.0.0.1:*` to a port).
    public let frontendEndpoint: String
    /// The backend endpoint actually bound.
    public let backendEndpoint: String
    /// The capture endpoint actually bound, if any.
    public let captureEndpoint: String?

    private struct Sockets: @unchecked Sendable {  // created here, then used only by the broker thread
        let front: Socket, back: Socket, capture: Socket?, controlRx: Socket, monFront: Socket, monBack: Socket
    }

    /// Binds every endpoint. Fails at once (address in use, bad endpoint) rather than later.
    public init(options: BrokerOptions, clock: any BusClock = SystemClock(), logger: Logger = Logger(label: "recio.broker")) throws(ZMQError) {
        self.options = options
        self.clock = clock
        self.logger = logger
        let id = UInt64.random(in: 0...UInt64.max)
        if options.curve != nil || options.identities != nil {
            zap = try ZAPHandler(context: context, allowed: options.curve?.allowed ?? [:], identities: options.identities, logger: logger)
        } else {
            zap = nil
        }
        let front = try Socket(context, .xsub)
        try Self.secure(front, options)
        try front.set(.receiveHighWaterMark, options.highWaterMark)
        // Over max_message_size is refused and counted in `forward`; libzmq's own cap (which silently drops the
        // connection) only guards memory against messages far larger still.
        try front.set(.maxMessageSize, Int64(options.maxMessageSize) * 4 + 65_536)
        try front.set(.linger, 0)
        try front.bind(options.frontend)
        try front.send([1])  // subscribe to everything, upstream to every publisher
        let back = try Socket(context, .xpub)
        try Self.secure(back, options)
        try back.set(.sendHighWaterMark, options.highWaterMark)
        try back.set(.xpubVerbose, 1)  // see every subscription, so each new subscriber gets its last values
        try back.set(.linger, 2000)
        try back.bind(options.backend)
        var capture: Socket?
        if let endpoint = options.capture {
            let c = try Socket(context, .pub)
            try Self.secure(c, options)
            try c.set(.sendHighWaterMark, options.highWaterMark)
            try c.bind(endpoint)
            capture = c
        }
        controlEndpoint = "inproc://broker-control-\(id)"
        let controlRx = try Socket(context, .pair)
        try controlRx.bind(controlEndpoint)
        try front.monitor("inproc://broker-mon-front-\(id)")
        try back.monitor("inproc://broker-mon-back-\(id)")
        let monFront = try Socket(context, .pair)
        try monFront.connect("inproc://broker-mon-front-\(id)")
        let monBack = try Socket(context, .pair)
        try monBack.connect("inproc://broker-mon-back-\(id)")
        captureEndpoint = capture?.lastEndpoint
        frontendEndpoint = front.lastEndpoint
        backendEndpoint = back.lastEndpoint
        sockets = Sockets(front: front, back: back, capture: capture, controlRx: controlRx, monFront: monFront, monBack: monBack)
    }

    /// One mechanism per socket: CURVE when the bus is encrypted, else PLAIN when identities are on, else none.
    private static func secure(_ socket: Socket, _ options: BrokerOptions) throws(ZMQError) {
        if let curve = options.curve {
            try socket.makeCurveServer(secretKey: curve.keys.secretKey)
        } else if options.identities != nil {
            try socket.makePlainServer()
        }
    }

    /// Connections the ZAP handler refused so far (unknown CURVE key, unknown PLAIN name or wrong password).
    public var refusedClients: UInt64 { zap?.refused ?? 0 }

    /// Asks the running loop to stop; it forwards what is already queued, then returns.
    public func stop() {
        control.withLock { c in
            if c == nil {
                c = try? Socket(context, .pair)
                try? c?.connect(controlEndpoint)
            }
            _ = try? c?.send(Array("TERMINATE".utf8))
        }
    }

    /// Runs the proxy on the calling thread until ``stop()``. Call it from a dedicated thread.
    public func run() {
        var loop = Loop(options: options, sockets: sockets, clock: clock, logger: logger, zap: zap)
        loop.run()
        control.withLock { $0?.close(); $0 = nil }
        zap?.stop()
    }

    private struct Loop {
        let options: BrokerOptions
        let s: Sockets
        let clock: any BusClock
        let logger: Logger
        let cache: LastValueCache
        var stats: TrafficStats
        var seqs: [String: UInt64] = [:]
        let started: BusTime
        let topicMsg = Message(), payloadMsg = Message(), extra = Message()
        let src: String
        var gate: Gate?
        let zap: ZAPHandler?
        var handshakeFailures: UInt64 = 0

        init(options: BrokerOptions, sockets: Sockets, clock: any BusClock, logger: Logger, zap: ZAPHandler?) {
            self.options = options
            self.s = sockets
            self.clock = clock
            self.logger = logger
            self.zap = zap
            gate = options.identities.map(Gate.init(policy:))
            cache = LastValueCache(filters: options.stateFilters, limit: options.lastValueLimit, byteLimit: options.lastValueBytes)
            stats = TrafficStats(limit: options.topicStatsLimit)
            started = clock.now
            src = "broker@\(options.host)"
        }

        mutating func run() {
            logger.info("broker running", metadata: ["bus.frontend": "\(options.frontend)", "bus.backend": "\(options.backend)"])
            var poller = Poller([s.front, s.back, s.controlRx, s.monFront, s.monBack])
            var nextStats = clock.now.adding(seconds: options.statsInterval)
            var nextBeat = clock.now
            while true {
                let now = clock.now
                if now >= nextBeat { publishHeartbeat(); nextBeat = now.adding(seconds: options.heartbeatInterval) }
                if now >= nextStats { publishStats(); nextStats = now.adding(seconds: options.statsInterval) }
                let wait = max(1, Int(min(nextBeat, nextStats).microseconds - clock.now.microseconds) / 1000)
                guard let ready = try? poller.poll(timeoutMs: wait) else { break }
                if ready[0] { forward(limit: 4096) }
                if ready[1] { handleSubscriptions() }
                if ready[3] { countConnections(s.monFront, \.publishers) }
                if ready[4] { countConnections(s.monBack, \.subscribers) }
                if ready[2] {
                    // Drain what publishers already queued, then stop.
                    while forward(limit: .max) > 0 {}
                    publishHeartbeat(state: .stopped)
                    break
                }
            }
            for socket in [s.front, s.controlRx, s.monFront, s.monBack] { socket.close() }
            s.capture?.close()
            s.back.close()  // linger flushes queued messages to subscribers
            logger.info("broker stopped", metadata: ["messages.in": "\(stats.totals.messagesIn)"])
        }

        /// Forwards up to `limit` messages from publishers; returns how many it moved.
        @discardableResult
        mutating func forward(limit: Int) -> Int {
            var moved = 0
            while moved < limit, (try? topicMsg.receive(from: s.front, dontWait: true)) == true {
                moved += 1
                let gotPayload = topicMsg.more && (try? payloadMsg.receive(from: s.front)) == true
                guard gotPayload, !payloadMsg.more else {
                    // Drain this message's remaining frames only (a one-frame message has none: never block on the next).
                    var more = gotPayload && payloadMsg.more
                    while more, (try? extra.receive(from: s.front)) == true { more = extra.more }
                    refuse(.frames)
                    continue
                }
                guard payloadMsg.count <= options.maxMessageSize else { refuse(.tooLarge); continue }
                guard topicMsg.count <= options.maxTopicSize else { refuse(.topicTooLarge); continue }
                if gate != nil, let (identity, reason) = gate!.check(user: topicMsg.property("User-Id"), topic: topicMsg.buffer, payload: payloadMsg.buffer) {
                    refuse(reason, identity: identity)
                    continue
                }
                let topic = topicMsg.buffer
                let hash = fnv1a(topic)
                let size = topic.count + payloadMsg.count
                if stats.record(hash: hash, topic: topic, bytes: size, isState: cache.isState) {
                    cache.store(hash: hash, topic: topicMsg, payload: payloadMsg)
                }
                if let capture = s.capture {
                    extra.copy(from: topicMsg)
                    _ = try? extra.send(to: capture, more: true, dontWait: true)
                    extra.copy(from: payloadMsg)
                    _ = try? extra.send(to: capture, more: false, dontWait: true)
                }
                _ = try? topicMsg.send(to: s.back, more: true)
                _ = try? payloadMsg.send(to: s.back, more: false)
                stats.sent(bytes: size)
            }
            return moved
        }

        /// Counts a refused message (the topic frame is still in `topicMsg`) and logs the first of each kind.
        mutating func refuse(_ reason: Refusal, identity: String? = nil) {
            let who = identity ?? topicMsg.property("User-Id").map { String(cString: $0) } ?? "(none)"
            if stats.refuse(identity: who, topic: topicMsg.buffer, reason: reason) {
                logger.warning("message refused (logged once per identity and reason; counted in sys.broker.stats)",
                               metadata: ["identity": "\(who)", "reason": "\(reason.rawValue)",
                                          "topic": "\(String(decoding: topicMsg.buffer.prefix(128), as: UTF8.self))"])
            }
        }

        /// A subscription arrived: hand the new subscriber the last value of every state topic under its prefix.
        mutating func handleSubscriptions() {
            while (try? extra.receive(from: s.back, dontWait: true)) == true {
                let b = extra.buffer
                guard b.count >= 1, b[0] == 1 else { continue }
                let prefix = UnsafeRawBufferPointer(rebasing: b[1...])
                for slot in cache.matching(prefix) {
                    topicMsg.copy(from: slot.topicMsg)
                    payloadMsg.copy(from: slot.payloadMsg)
                    let size = topicMsg.count + payloadMsg.count
                    _ = try? topicMsg.send(to: s.back, more: true)
                    _ = try? payloadMsg.send(to: s.back, more: false)
                    stats.sent(bytes: size)
                    stats.totals.replayed += 1
                }
            }
        }

        mutating func countConnections(_ monitor: Socket, _ field: WritableKeyPath<BrokerStats, Int>) {
            while let frames = try? monitor.receiveFrames(dontWait: true) {
                switch frames.first.flatMap(Socket.monitorEvent) {
                case .accepted: stats.totals[keyPath: field] += 1
                case .disconnected: stats.totals[keyPath: field] = max(0, stats.totals[keyPath: field] - 1)
                case .handshakeFailed: handshakeFailures += 1
                default: break
                }
            }
        }

        /// Publishes one of the broker's own messages to subscribers and keeps it as a last value.
        mutating func inject<M: BusMessage>(_ topic: Topic, _ message: M) {
            guard let data = try? JSONEncoder().encode(message) else { return }
            let seq = (seqs[topic.rawValue] ?? 0) + 1
            seqs[topic.rawValue] = seq
            let payload = EnvelopeCodec.encode(type: M.typeName, src: src, seq: seq, ts: clock.now, data: Array(data))
            let t = Array(topic.rawValue.utf8)
            let tm = Message(bytes: t), pm = Message(bytes: payload)
            let hash = t.withUnsafeBytes { fnv1a($0) }
            cache.store(hash: hash, topic: tm, payload: pm)
            _ = try? tm.send(to: s.back, more: true)
            _ = try? pm.send(to: s.back, more: false)
            stats.sent(bytes: t.count + payload.count)
        }

        mutating func publishStats() {
            var snapshot = stats.snapshot(top: 50, uptime: started.seconds(until: clock.now), lastValues: cache.count)
            snapshot.lastValueBytes = cache.bytes
            snapshot.lastValuesRefused = cache.refused
            // A ZAP refusal also fails the handshake: count each failed connection once.
            snapshot.authFailures = max(handshakeFailures, zap?.refused ?? 0)
            inject(.brokerStats, snapshot)
        }

        mutating func publishHeartbeat(state: PluginState = .running) {
            var counters = BusCounters()
            counters.received = stats.totals.messagesIn
            counters.published = stats.totals.messagesOut
            counters.rejected = stats.totals.dropped
            let beat = Heartbeat(plugin: "broker", host: options.host, pid: ProcInfo.pid, state: state,
                                 uptime: started.seconds(until: clock.now), rss: ProcInfo.rss(pid: ProcInfo.pid) ?? 0, bus: counters)
            inject(.heartbeat(plugin: "broker"), beat)
        }
    }
}
