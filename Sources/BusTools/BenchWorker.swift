import BusKit
import BusWire
import ZeroMQ

/// The processes `recio bench bus` starts: publishers, subscribers and echoers, over raw frames or full envelopes.
///
/// Handshake (the slow-joiner fix): the publisher binds a PULL `control` socket and sends warm-up messages on
/// `bench.w` until the subscriber, having seen one, pushes `ready`; then it sends `count` messages on `bench.d`.
public enum BenchWorker {
    /// What a subscriber measured.
    public struct Result: Codable, Sendable {
        public var received: Int
        public var seconds: Double
        public var rate: Double { seconds > 0 ? Double(max(received - 1, 0)) / seconds : 0 }
    }

    static let warmTopic = Array("bench.w".utf8), dataTopic = Array("bench.d".utf8)

    /// Raw publisher: `count` messages of `size` bytes in total (topic frame included).
    public static func rawPublish(frontend: String, control: String, count: Int, size: Int) throws {
        let ctx = Context()
        let pub = try Socket(ctx, .pub)
        try pub.set(.sendHighWaterMark, 0)
        try pub.set(.linger, -1)
        try pub.connect(frontend)
        try waitForReady(ctx, control) { try pub.send(frames: [warmTopic, [0]]) }
        let payload = [UInt8](repeating: 0x61, count: max(size - dataTopic.count, 1))
        for _ in 0..<count { try pub.send(frames: [dataTopic, payload]) }
        pub.close()
    }

    /// Raw subscriber: counts `count` data messages and times them.
    public static func rawSubscribe(backend: String, control: String, count: Int) throws -> Result {
        let ctx = Context()
        let sub = try Socket(ctx, .sub)
        try sub.set(.receiveHighWaterMark, 0)
        try sub.set(.receiveTimeout, 20_000)
        try sub.subscribe("bench.")
        try sub.connect(backend)
        let ready = try Socket(ctx, .push)
        try ready.connect(control)
        let topic = Message(), body = Message()
        var signalled = false, received = 0
        var first: BusTime?, last = SystemClock().now
        while received < count {
            guard try topic.receive(from: sub), try body.receive(from: sub) else { continue }
            if topic.buffer.elementsEqual(warmTopic) {
                if !signalled { try ready.send(Array("ready".utf8)); signalled = true }
                continue
            }
            received += 1
            last = SystemClock().now
            if first == nil { first = last }
        }
        return Result(received: received, seconds: first.map { $0.seconds(until: last) } ?? 0)
    }

    /// Envelope publisher through the plugin kit.
    public static func envelopePublish(frontend: String, backend: String, control: String, count: Int) async throws {
        var options = ZMQBus.Options(frontend: frontend, backend: backend)
        options.highWaterMark = 0
        let bus = try ZMQBus(source: "bench-pub@local", options: options)
        defer { bus.close(flushSeconds: 60) }
        guard await bus.waitUntilConnected(timeoutSeconds: 10) else { throw ToolError("broker not answering") }
        let warm = try Topic(validating: "bench.w"), data = try Topic(validating: "bench.d")
        try waitForReady(Context(), control) { try bus.publish(warm, type: "bench", data: Array("{}".utf8)) }
        for i in 0..<count { try bus.publish(data, type: "bench", data: Array(#"{"i":\#(i)}"#.utf8)) }
    }

    /// Envelope subscriber through the plugin kit: every message is decoded and checked.
    public static func envelopeSubscribe(frontend: String, backend: String, control: String, count: Int) async throws -> Result {
        var options = ZMQBus.Options(frontend: frontend, backend: backend)
        options.highWaterMark = 0
        let bus = try ZMQBus(source: "bench-sub@local", options: options)
        defer { bus.close(flushSeconds: 0) }
        let ready = try Socket(Context(), .push)
        try ready.connect(control)
        var signalled = false, received = 0
        var first: BusTime?, last = SystemClock().now
        for await e in bus.subscribe([try TopicFilter(validating: "bench.")], bufferSize: 1 << 22) {
            if e.topic == "bench.w" {
                if !signalled { try ready.send(Array("ready".utf8)); signalled = true }
                continue
            }
            received += 1
            last = SystemClock().now
            if first == nil { first = last }
            if received == count { break }
        }
        return Result(received: received, seconds: first.map { $0.seconds(until: last) } ?? 0)
    }

    /// Raw echo: answers every `bench.ping` with the same payload on `bench.pong`, until killed.
    public static func rawEcho(frontend: String, backend: String) throws {
        let ctx = Context()
        let sub = try Socket(ctx, .sub), pub = try Socket(ctx, .pub)
        try sub.subscribe("bench.ping")
        try sub.connect(backend)
        try pub.connect(frontend)
        let topic = Message(), body = Message(), pong = Array("bench.pong".utf8)
        while true {
            guard try topic.receive(from: sub), try body.receive(from: sub) else { continue }
            try pub.send(pong, more: true)
            _ = try body.send(to: pub, more: false)
        }
    }

    /// Envelope echo through the plugin kit, until killed.
    public static func envelopeEcho(frontend: String, backend: String) async throws {
        let bus = try ZMQBus(source: "bench-echo@local", options: .init(frontend: frontend, backend: backend))
        let pong = try Topic(validating: "bench.pong")
        for await e in bus.subscribe([try TopicFilter(validating: "bench.ping")]) {
            try bus.publish(pong, type: e.type, data: e.data)
        }
    }

    /// Runs `warmUp` every millisecond until a `ready` arrives on a PULL bound at `control`.
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
