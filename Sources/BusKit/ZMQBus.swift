import BusWire
import Synchronization
public import ZeroMQ

/// The bus over real libzmq sockets, through the broker.
///
/// Publishing: an XPUB socket connected to the broker's frontend. Using XPUB rather than PUB lets the kit see the
/// broker's subscribe-all arrive, so it knows when the broker is really there: until then (and while the broker is
/// away) messages wait in a bounded backlog instead of vanishing; overflow drops the oldest and is counted.
///
/// Subscribing: one SUB socket connected to the backend, owned by an I/O thread that decodes envelopes, refines
/// ZeroMQ's byte-prefix match with ``TopicFilter/matches(_:)``, drops duplicates, counts gaps, and feeds each
/// subscription's bounded buffer.
public final class ZMQBus: Bus {
    /// Where the broker is and how much may queue.
    public struct Options: Sendable {
        /// The broker's frontend (publishers connect here).
        public var frontend: String
        /// The broker's backend (subscribers connect here).
        public var backend: String
        /// Messages queued per socket before libzmq drops (per subscriber at the broker).
        public var highWaterMark: Int32 = 100_000
        /// The largest envelope accepted or sent.
        public var maxMessageSize: Int = EnvelopeCodec.defaultMaxSize
        /// Messages held while the broker is unreachable.
        public var backlogLimit: Int = 10_000
        /// CURVE: this host's key pair and the broker's public key; nil for plaintext (loopback and ipc only).
        public var curve: (keys: CurveKeyPair, serverKey: String)?
        /// PLAIN: this identity's name and password, for a broker that checks identities on a local endpoint.
        public var plain: (username: String, password: String)?
        /// Envelopes stamped more than this many seconds ahead of this process's clock (or the system's, whichever
        /// is later) are refused and counted in ``BusCounters/future``: a forged envelope from the future would
        /// otherwise make every later genuine message of its publisher and topic look like a duplicate.
        public var maxClockAhead = 5.0

        public init(frontend: String, backend: String) {
            self.frontend = frontend
            self.backend = backend
        }
    }

    private enum Command { case subscribe(String), unsubscribe(String), stop(Double) }

    private struct Shared {
        var table = SubscriberTable()
        var commands: [Command] = []
        var closed = false
    }

    public let source: String
    private let options: Options
    private let clock: any BusClock
    private let context = Context()
    private let publisher: Mutex<Publisher>
    private let shared = Mutex(Shared())
    private let wake: Mutex<Socket>
    private let rejected = Atomic<UInt64>(0)
    private let future = Atomic<UInt64>(0)
    private let thread = Mutex<OSThread?>(nil)

    /// Connects to the broker. libzmq connects in the background and reconnects by itself.
    /// - Throws: ``BusError`` of kind `transport` when an endpoint is malformed.
    public init(source: String, options: Options, clock: any BusClock = SystemClock()) throws(BusError) {
        self.source = source
        self.options = options
        self.clock = clock
        do {
            let pub = try Socket(context, .xpub)
            try Self.configure(pub, options)
            try Self.authenticate(pub, options)
            try pub.set(.sendHighWaterMark, options.highWaterMark)
            try pub.connect(options.frontend)
            publisher = Mutex(Publisher(socket: pub, backlogLimit: options.backlogLimit))

            let sub = try Socket(context, .sub)
            try Self.configure(sub, options)
            try Self.authenticate(sub, options)
            try sub.set(.receiveHighWaterMark, options.highWaterMark)
            try sub.set(.maxMessageSize, Int64(options.maxMessageSize + 4096))
            try sub.connect(options.backend)

            let name = "inproc://bus-wake-\(UInt64.random(in: 0...UInt64.max))"
            let rx = try Socket(context, .pair)
            try rx.bind(name)
            let tx = try Socket(context, .pair)
            try tx.connect(name)
            wake = Mutex(tx)
            let loop = IOLoop(sub: sub, wake: rx)
            let t = OSThread(name: "bus-io") { [self] in run(loop) }
            thread.withLock { $0 = t }
        } catch {
            throw BusError(.transport, "cannot open the bus (\(options.frontend), \(options.backend)): \(error)")
        }
    }

    private static func configure(_ s: Socket, _ o: Options) throws(ZMQError) {
        try s.set(.linger, 0)
        try s.set(.reconnectInterval, 100)
        try s.set(.reconnectIntervalMax, 2000)
        try s.set(.heartbeatInterval, 1000)
        try s.set(.heartbeatTimeout, 3000)
    }

    private static func authenticate(_ s: Socket, _ o: Options) throws(ZMQError) {
        if let curve = o.curve {
            try s.makeCurveClient(curve.keys, serverKey: curve.serverKey)
        } else if let plain = o.plain {
            try s.makePlainClient(username: plain.username, password: plain.password)
        }
    }

    deinit { close(flushSeconds: 0) }

    public func publish(_ topic: Topic, type: String, data: [UInt8]) throws(BusError) {
        do throws(WireError) { try EnvelopeCodec.validateObject(data) } catch {
            rejected.add(1, ordering: .relaxed)
            throw .wire(error)
        }
        try publishValidated(topic, type: type, data: data)
    }

    /// Publishes without re-validating `data` (the caller produced it from a typed value).
    func publishValidated(_ topic: Topic, type: String, data: [UInt8]) throws(BusError) {
        let ts = clock.now
        let limit = options.maxMessageSize
        let from = source
        let key = topic.rawValue
        try publisher.withLock { (p) throws(BusError) in
            guard !p.closed else { throw BusError(.closed, "the bus is closed") }
            let seq = (p.seqs[key] ?? 0) + 1
            let bytes = EnvelopeCodec.encode(type: type, src: from, seq: seq, ts: ts, data: data)
            guard bytes.count <= limit else {
                rejected.add(1, ordering: .relaxed)
                throw BusError(.tooLarge, "\(topic): \(bytes.count) bytes exceeds the \(limit)-byte limit")
            }
            p.seqs[key] = seq
            p.send(topic: Array(topic.rawValue.utf8), payload: bytes)
        }
    }

    public func subscribe(_ filters: [TopicFilter], bufferSize: Int) -> Subscription {
        let (stream, ended) = shared.withLock { s -> (AsyncStream<[Envelope]>, SubscriberTable.Entry?) in
            let (id, stream) = s.table.add(filters, bufferSize: bufferSize) { [weak self] in self?.poke() }
            if s.closed { return (stream, s.table.remove(id)) }
            s.commands += filters.map { .subscribe($0.rawValue) }
            return (stream, nil)
        }
        if let ended { ended.continuation.finish() } else { poke() }
        return Subscription(stream: stream)
    }

    private func poke() {
        wake.withLock { _ = try? $0.send([0], dontWait: true) }
    }

    public var counters: BusCounters {
        var c = shared.withLock { $0.table.counters }
        let p = publisher.withLock { ($0.published, $0.dropped) }
        c.published = p.0
        c.dropped += p.1
        c.rejected = rejected.load(ordering: .relaxed)
        c.future = future.load(ordering: .relaxed)
        return c
    }

    /// Whether the broker has acknowledged this publisher.
    public var isConnected: Bool { publisher.withLock { $0.ready } }

    public func waitUntilConnected(timeoutSeconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeoutSeconds * 1000))
        // Look once more after the deadline: on a busy machine the sleep may end long after it, and the
        // acknowledgement may have arrived meanwhile.
        while true {
            if publisher.withLock({ p in p.service(); return p.ready }) { return true }
            if ContinuousClock.now >= deadline || Task.isCancelled { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    public func close(flushSeconds: Double) {
        let first = shared.withLock { s -> Bool in
            defer { s.closed = true }
            if !s.closed { s.commands.append(.stop(flushSeconds)) }
            return !s.closed
        }
        guard first else { return }
        poke()
        thread.withLock { $0 }?.join()
        let entries = shared.withLock { $0.table.removeAll() }
        entries.forEach { $0.continuation.finish() }
    }

    // MARK: - The I/O thread

    private struct IOLoop: @unchecked Sendable {  // handed to the I/O thread once, then used only there
        let sub: Socket
        let wake: Socket
    }

    private func run(_ io: IOLoop) {
        var poller = Poller([io.sub, io.wake])
        let topicMsg = Message(), payloadMsg = Message()
        let system = SystemClock()
        var batch: [Envelope] = []
        var flush = 0.0
        loop: while true {
            let ready = (try? poller.poll(timeoutMs: 100)) ?? [false, false]
            if ready[0] {
                batch.removeAll(keepingCapacity: true)
                let horizon = max(clock.now, system.now).adding(seconds: options.maxClockAhead)
                while batch.count < 4096, (try? topicMsg.receive(from: io.sub, dontWait: true)) == true {
                    guard let e = decode(topicMsg, payloadMsg, io.sub) else { continue }
                    if e.ts > horizon { future.add(1, ordering: .relaxed); continue }
                    batch.append(e)
                }
                if !batch.isEmpty { shared.withLock { s in for e in batch { s.table.deliver(e) }; s.table.flush() } }
            }
            if ready[1] { while (try? io.wake.receiveFrames(dontWait: true)) != nil {} }
            let commands = shared.withLock { s in
                defer { s.commands.removeAll() }
                return s.commands + s.table.removeEnded().flatMap { $0.filters.map { Command.unsubscribe($0.rawValue) } }
            }
            for command in commands {
                switch command {
                case .subscribe(let p): try? io.sub.subscribe(p)
                case .unsubscribe(let p): try? io.sub.unsubscribe(p)
                case .stop(let seconds): flush = seconds; break loop
                }
            }
            publisher.withLock { $0.service() }
        }
        // Give queued messages a chance to reach the broker before closing.
        let deadline = ContinuousClock.now + .milliseconds(Int64(flush * 1000))
        while ContinuousClock.now < deadline, publisher.withLock({ p in p.service(); return !p.backlog.isEmpty && p.ready }) {
            _ = try? poller.poll(timeoutMs: 5)
        }
        publisher.withLock { $0.close(lingerMs: Int32(flush * 1000)) }
        io.sub.close()
        io.wake.close()
    }

    /// Reads the payload frame after `topic` and decodes it; malformed messages are counted and skipped.
    private func decode(_ topic: Message, _ payload: Message, _ sub: Socket) -> Envelope? {
        guard topic.more, (try? payload.receive(from: sub)) == true, !payload.more,
            let name = utf8String(topic.buffer)
        else {
            while sub.hasMore, (try? payload.receive(from: sub)) == true {}
            rejected.add(1, ordering: .relaxed)
            return nil
        }
        do {
            return try EnvelopeCodec.decode(topic: name, bytes: payload.buffer, maxSize: options.maxMessageSize)
        } catch {
            rejected.add(1, ordering: .relaxed)
            return nil
        }
    }
}
