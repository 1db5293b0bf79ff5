import BusKit
import BusWire
import Synchronization
import ZeroMQ

/// The throughput processes `recio bench bus` starts: a publisher and a subscriber, over raw frames or full envelopes.
///
/// Slow-joiner handshake: the publisher binds a PULL `control` socket and sends warm-up messages on `bench.w` every
/// millisecond until the subscriber, having seen one (so its subscription has reached the proxy), pushes `ready`.
/// Only then does it send `count` messages on `bench.d`. The subscriber times from the first to the last of those.
public enum BenchWorker {
    /// What a subscriber measured and checked.
    public struct Result: Codable, Sendable {
        /// Data messages received.
        public var received = 0
        /// Data messages expected.
        public var expected = 0
        /// Messages missing or out of order, from the sequence numbers the publisher wrote.
        public var sequenceErrors = 0
        /// Messages the kit dropped, rejected or saw as gaps (envelope path only).
        public var kitLosses = 0
        /// Seconds from the first data message to the last.
        public var seconds = 0.0
        /// Bytes of one data message on the wire (topic frame plus payload frame).
        public var messageBytes = 0
        /// Messages per second, counted between the first and the last message.
        public var rate: Double { seconds > 0 ? Double(max(received - 1, 0)) / seconds : 0 }
        /// Whether everything sent arrived, in order.
        public var complete: Bool { received == expected && sequenceErrors == 0 && kitLosses == 0 }
    }

    static let warmTopic = Array("bench.w".utf8), dataTopic = Array("bench.d".utf8)
    /// The data object of every envelope message: a small price tick.
    static let tick = Array(#"{"bid":61234.5,"ask":61235.0,"qty":3}"#.utf8)
    /// Seconds a subscriber waits for the next message before it reports what it has.
    static let idleSeconds = 15.0

    /// Raw publisher: `count` messages of `size` bytes in total (topic frame included), each carrying its number.
    public static func rawPublish(frontend: String, control: String, count: Int, size: Int) throws {
        let ctx = Context()
        let pub = try Socket(ctx, .pub)
        try pub.set(.sendHighWaterMark, 0)
        try pub.set(.linger, -1)  // flush everything before the context goes
        try pub.connect(frontend)
        try waitForReady(ctx, control) { try pub.send(frames: [warmTopic, [0]]) }
        var payload = [UInt8](repeating: 0x61, count: max(size - dataTopic.count, 8))
        try dataTopic.withUnsafeBytes { topic in
            try payload.withUnsafeMutableBytes { p in
                for i in 0..<count {
                    p.storeBytes(of: UInt64(i).littleEndian, toByteOffset: 0, as: UInt64.self)
                    try pub.send(topic, more: true)
                    try pub.send(UnsafeRawBufferPointer(p))
                }
            }
        }
        pub.close()
    }

    /// Raw subscriber: receives `count` data messages, checks their numbers and times them.
    public static func rawSubscribe(backend: String, control: String, count: Int) throws -> Result {
        let ctx = Context()
        let sub = try Socket(ctx, .sub)
        try sub.set(.receiveHighWaterMark, 0)
        try sub.set(.receiveTimeout, Int32(idleSeconds * 1000))
        try sub.subscribe("bench.")
        try sub.connect(backend)
        let ready = try Socket(ctx, .push)
        try ready.set(.linger, 1000)
        try ready.connect(control)
        let topic = Message(), body = Message()
        var r = Result(expected: count)
        var signalled = false
        var first: UInt64 = 0, last: UInt64 = 0
        while r.received < count {
            guard try topic.receive(from: sub) else { break }  // idle timeout: report what arrived
            guard topic.more, try body.receive(from: sub) else { break }
            if topic.buffer.elementsEqual(warmTopic) {
                if !signalled { try ready.send(Array("ready".utf8)); signalled = true }
                continue
            }
            last = monotonicNanos()
            if r.received == 0 { first = last; r.messageBytes = topic.count + body.count }
            let b = body.buffer
            let seq = b.count >= 8 ? UInt64(littleEndian: b.loadUnaligned(as: UInt64.self)) : .max
            if seq != UInt64(r.received) { r.sequenceErrors += 1 }
            r.received += 1
        }
        r.seconds = Double(last - first) / 1e9
        return r
    }

    /// The credentials of a bench broker with identities on: `$RECIO_HOME/sim/keys`, `$RECIO_HOME` being its folder.
    static var benchStore: IdentityStore { IdentityStore(folder: IdentityStore.defaultFolder(home: ProcInfo.recioHome, mode: "sim")) }

    /// Envelope publisher through the plugin kit: `count` ticks published with ``ZMQBus/publish(_:type:data:)``.
    public static func envelopePublish(frontend: String, backend: String, control: String, count: Int, identities: Bool = false) async throws {
        var options = ZMQBus.Options(frontend: frontend, backend: backend)
        options.highWaterMark = 0
        if identities { options.plain = ("bench-pub", try benchStore.password(for: "bench-pub")) }
        let bus = try ZMQBus(source: "bench-pub@local", options: options)
        defer { bus.close(flushSeconds: 120) }
        guard await bus.waitUntilConnected(timeoutSeconds: 10) else { throw ToolError("the broker is not answering") }
        let warm = try Topic(validating: "bench.w"), data = try Topic(validating: "bench.d")
        try waitForReady(Context(), control) { try bus.publish(warm, type: "bench.warm", data: Array("{}".utf8)) }
        for _ in 0..<count { try bus.publish(data, type: "tick", data: tick) }
    }

    /// Envelope subscriber through the plugin kit: every message is decoded into an ``Envelope`` and checked.
    public static func envelopeSubscribe(frontend: String, backend: String, control: String, count: Int, identities: Bool = false) async throws -> Result {
        var options = ZMQBus.Options(frontend: frontend, backend: backend)
        options.highWaterMark = 0
        if identities { options.plain = ("bench-sub", try benchStore.password(for: "bench-sub")) }
        let bus = try ZMQBus(source: "bench-sub@local", options: options)
        defer { bus.close(flushSeconds: 0) }
        let ready = try Socket(Context(), .push)
        try ready.set(.linger, 1000)
        try ready.connect(control)
        let progress = Atomic<Int>(0)
        let idle = Task {  // ends the subscription when nothing arrives for a while, so a loss is reported, not hung on
            var seen = -1
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(idleSeconds))
                let now = progress.load(ordering: .relaxed)
                if now == seen { bus.close(flushSeconds: 0); return }
                seen = now
            }
        }
        defer { idle.cancel() }
        var r = Result(expected: count)
        var signalled = false
        var first: UInt64 = 0, last: UInt64 = 0
        for await e in bus.subscribe([try TopicFilter(validating: "bench.")], bufferSize: 1 << 22) {
            progress.add(1, ordering: .relaxed)
            if e.type == "bench.warm" {
                if !signalled { try ready.send(Array("ready".utf8)); signalled = true }
                continue
            }
            last = monotonicNanos()
            if r.received == 0 {
                first = last
                r.messageBytes = e.topic.utf8.count + EnvelopeCodec.encode(type: e.type, src: e.src, seq: e.seq, ts: e.ts, data: e.data).count
            }
            if e.seq != UInt64(r.received + 1) || e.data.count != tick.count { r.sequenceErrors += 1 }
            r.received += 1
            if r.received == count { break }
        }
        let c = bus.counters
        r.kitLosses = Int(c.dropped + c.gaps + c.rejected)
        r.seconds = Double(last - first) / 1e9
        return r
    }

    /// Runs `warmUp` every millisecond until a `ready` arrives on a PULL bound at `control` (at most 60 s).
    static func waitForReady(_ ctx: Context, _ control: String, warmUp: () throws -> Void) throws {
        let pull = try Socket(ctx, .pull)
        try pull.bind(control)
        var poller = Poller([pull])
        for _ in 0..<60_000 {
            try warmUp()
            if try poller.poll(timeoutMs: 1)[0] { _ = try pull.receiveFrames(); return }
        }
        throw ToolError("the subscriber never became ready")
    }
}
