import BusKit
import BusWire
import ZeroMQ

/// The round-trip processes `recio bench bus` starts: one pinger and, for raw frames, echoers. The envelope path is
/// answered by the real Pong plugin (`recio plugin pong`).
///
/// The pinger measures all three paths in one process, alternating in blocks of 500 round trips (a fraction of a
/// second each; raw proxy, broker, envelope, in a rotating order), so that a burst of noise on a shared machine lands
/// on every path alike instead of on whichever happened to run at that moment, while each block still measures its
/// path in a steady state.
public enum BenchPing {
    /// Round-trip times of one path, in microseconds.
    public struct Result: Codable, Sendable {
        /// Measured round trips (after warm-up).
        public var count = 0
        /// Median.
        public var p50 = 0.0
        /// 90th percentile.
        public var p90 = 0.0
        /// 99th percentile.
        public var p99 = 0.0
        /// 99.9th percentile.
        public var p999 = 0.0
        /// Fastest.
        public var min = 0.0
        /// Slowest.
        public var max = 0.0

        init(samples: [Double]) {
            let s = samples.sorted()
            count = s.count
            p50 = quantile(s, 0.5)
            p90 = quantile(s, 0.9)
            p99 = quantile(s, 0.99)
            p999 = quantile(s, 0.999)
            min = s.first ?? 0
            max = s.last ?? 0
        }
    }

    /// One run's figures for the three paths.
    public struct Results: Codable, Sendable {
        /// Raw frames through the C proxy.
        public var raw: Result
        /// Raw frames through the broker.
        public var broker: Result
        /// Typed `Ping`s through the broker to the Pong plugin and back, via the plugin kit.
        public var envelope: Result
        /// The same through a broker with identities on (both ends authenticated, every message checked).
        public var identified: Result?
    }

    static let pingTopic = Array("bench.ping".utf8), pongTopic = Array("bench.pong".utf8)

    /// Measures `roundTrips` round trips on each path after `warmUp` discarded ones.
    /// - Parameters:
    ///   - raw: frontend and backend of the raw proxy (a raw echoer listens there).
    ///   - broker: frontend and backend of the broker (a raw echoer and the Pong plugin listen there).
    ///   - identified: frontend and backend of a broker with identities on (the Pong plugin listens there); the
    ///     pinger's credentials are in `$RECIO_HOME/sim/keys`.
    public static func run(raw: (String, String), broker: (String, String), identified: (String, String)? = nil,
                           roundTrips: Int, warmUp: Int) async throws -> Results {
        let viaRaw = try RawPath(frontend: raw.0, backend: raw.1)
        let viaBroker = try RawPath(frontend: broker.0, backend: broker.1)
        let me = "bench-ping", target = Topic.ping(target: "pong")
        var buses: [ZMQBus] = [try ZMQBus(source: "bench-ping@local", options: .init(frontend: broker.0, backend: broker.1))]
        if let identified {
            var o = ZMQBus.Options(frontend: identified.0, backend: identified.1)
            o.plain = (me, try BenchWorker.benchStore.password(for: me))
            buses.append(try ZMQBus(source: "bench-ping@local", options: o))
        }
        defer { buses.forEach { $0.close(flushSeconds: 0) } }
        var replies = buses.map { $0.subscribe([.pongs(requester: me)]).makeAsyncIterator() }
        for bus in buses { guard await bus.waitUntilConnected(timeoutSeconds: 10) else { throw ToolError("the broker is not answering") } }
        try viaRaw.warm("raw proxy")
        try viaBroker.warm("broker")
        // Until the plugin's subscription and ours have reached the broker, pings vanish: send until one returns.
        for (i, bus) in buses.enumerated() {
            let pump = Task {
                for id in 0..<5000 where !Task.isCancelled {
                    try? bus.publish(target, Ping(id: UInt64(id), requester: me, sentAt: SystemClock().now))
                    try? await Task.sleep(for: .milliseconds(2))
                }
                if !Task.isCancelled { bus.close(flushSeconds: 0) }  // nobody answered in 10 s: end the wait below
            }
            let first = await replies[i].next()
            pump.cancel()
            guard first != nil else { throw ToolError("the pong plugin never answered") }
        }
        try await Task.sleep(for: .milliseconds(100))

        // Blocks of `block` round trips per path, the first `settle` of each discarded, paths in a rotating order.
        let paths = 2 + buses.count
        var samples: [[Double]] = Array(repeating: [], count: paths)
        let block = 500, settle = 20
        var id: UInt64 = 1_000_000
        func measure(_ path: Int, _ count: Int, keep: Bool) async throws {
            for n in 0..<count {
                let rtt: Double
                switch path {
                case 0: rtt = try viaRaw.roundTrip()
                case 1: rtt = try viaBroker.roundTrip()
                default:
                    id += 1
                    let t0 = monotonicNanos()
                    try buses[path - 2].publish(target, Ping(id: id, requester: me, sentAt: SystemClock().now))
                    while true {  // skip late answers to warm-up pings
                        guard let e = await replies[path - 2].next() else { throw ToolError("the pong plugin stopped answering") }
                        if (try? e.decode(Ping.self))?.id == id { break }
                    }
                    rtt = Double(monotonicNanos() - t0) / 1000
                }
                if keep && n >= settle { samples[path].append(rtt) }
            }
        }
        for path in 0..<paths { try await measure(path, warmUp, keep: false) }
        var round = 0
        while samples.contains(where: { $0.count < roundTrips }) {
            for k in 0..<paths {
                let path = (round + k) % paths
                try await measure(path, settle + min(block, roundTrips - samples[path].count), keep: true)
            }
            round += 1
        }
        return Results(raw: Result(samples: samples[0]), broker: Result(samples: samples[1]), envelope: Result(samples: samples[2]),
                       identified: paths > 3 ? Result(samples: samples[3]) : nil)
    }

    /// Raw echoer: answers every `bench.ping` with the same payload on `bench.pong`, until stopped.
    public static func rawEcho(frontend: String, backend: String) throws {
        let ctx = Context()
        let sub = try Socket(ctx, .sub), pub = try Socket(ctx, .pub)
        try sub.subscribe("bench.ping")
        try sub.connect(backend)
        try pub.connect(frontend)
        let topic = Message(), body = Message()
        while try topic.receive(from: sub) {  // blocks; only a signal ends this process
            guard topic.more, try body.receive(from: sub) else { continue }
            try pub.send(pongTopic, more: true)
            _ = try body.send(to: pub, more: false)
        }
    }

    /// Ping-pong with raw frames through one proxy: one 64-byte message (topic frame included) on `bench.ping`,
    /// then wait for the `bench.pong`.
    final class RawPath {
        let pub: Socket, sub: Socket
        let body = [UInt8](repeating: 1, count: 64 - pingTopic.count)
        let topic = Message(), reply = Message()

        init(frontend: String, backend: String) throws {
            let ctx = Context()
            pub = try Socket(ctx, .pub)
            sub = try Socket(ctx, .sub)
            try sub.subscribe("bench.pong")
            try pub.connect(frontend)
            try sub.connect(backend)
        }

        /// Until the echoer's subscription and ours have both reached the proxy, pings vanish: retry until one returns.
        func warm(_ name: String) throws {
            try sub.set(.receiveTimeout, 2)
            var answered = false
            for _ in 0..<10_000 where !answered {
                try pub.send(frames: [pingTopic, body])
                answered = try sub.receiveFrames() != nil
            }
            guard answered else { throw ToolError("the echoer behind the \(name) never answered") }
            try sub.set(.receiveTimeout, 5000)
            while try sub.receiveFrames(dontWait: true) != nil {}
        }

        /// One round trip, in microseconds.
        func roundTrip() throws -> Double {
            let t0 = monotonicNanos()
            try pub.send(frames: [pingTopic, body])
            guard try topic.receive(from: sub), topic.more, try reply.receive(from: sub) else {
                throw ToolError("the echoer stopped answering")
            }
            return Double(monotonicNanos() - t0) / 1000
        }
    }
}
