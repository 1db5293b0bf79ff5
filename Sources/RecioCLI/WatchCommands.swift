import ArgumentParser
import BusKit
import BusTools
import BusWire
#if canImport(Glibc)
import Glibc
#endif

/// `recio topics`: what is on the bus.
struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics", abstract: "List topics seen, with rate, last seen and publishers.",
        discussion: """
            State topics' last values arrive at once (replayed by the broker), with their original age. Then the \
            messages the broker refused, per identity, topic and reason (from sys.broker.stats).
            """)

    @Option(help: "Listen this many seconds.") var duration: Double = 3
    @Flag(help: "Print JSON lines.") var json = false
    @OptionGroup var bus: BusOptions

    func run() async throws {
        let connection = try bus.connect(as: "topics")
        let watchdog = Watchdog(bus: connection, seconds: duration, idle: nil)
        var rates = RateTracker(window: duration)
        let clock = SystemClock()
        var stats: BrokerStats?
        for await e in connection.subscribe([.all]) {
            rates.record(topic: e.topic, src: e.src, at: e.ts)
            if e.topic == Topic.brokerStats.rawValue, let s = try? e.decode(BrokerStats.self) { stats = s }
        }
        watchdog.cancel()
        let now = clock.now
        let rows = rates.snapshot(now: now)
        let refused = stats?.refused ?? []
        if json {
            for r in rows {
                print(#"{"topic":"\#(r.topic)","count":\#(r.count),"rate":\#(round2(r.rate)),"last_seen_age":\#(round2(r.lastSeen.seconds(until: now))),"publishers":[\#(r.publishers.map { "\"\($0)\"" }.joined(separator: ","))]}"#)
            }
            for r in refused {
                var line: [UInt8] = Array(#"{"refused":"#.utf8)
                EnvelopeCodec.appendString(r.topic, to: &line)
                line += Array(#","identity":"#.utf8)
                EnvelopeCodec.appendString(r.identity, to: &line)
                line += Array(#","reason":"#.utf8)
                EnvelopeCodec.appendString(r.reason, to: &line)
                line += Array(#","messages":\#(r.messages)}"#.utf8)
                print(String(decoding: line, as: UTF8.self))
            }
            return
        }
        let table = [["TOPIC", "COUNT", "RATE/S", "LAST SEEN", "PUBLISHERS"]] + rows.map {
            [$0.topic, "\($0.count)", "\(round2($0.rate))", "\(round2($0.lastSeen.seconds(until: now)))s ago", $0.publishers.joined(separator: ",")]
        }
        printTable(table)
        if !refused.isEmpty || (stats?.authFailures ?? 0) > 0 {
            print("\nrefused by the broker (failed connection handshakes: \(stats?.authFailures ?? 0)):")
            printTable([["IDENTITY", "TOPIC", "REASON", "MESSAGES"]] + refused.map { [$0.identity, $0.topic, $0.reason, "\($0.messages)"] })
        }
    }
}

/// `recio hz`: message rates per topic, once a second.
struct HzCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hz", abstract: "Print per-topic rates every second.")

    @Argument(help: "Topic filters (none: everything).") var filters: [String] = []
    @Option(help: "Averaging window in seconds.") var window: Double = 10
    @Option(help: "Stop after S seconds.") var duration: Double?
    @OptionGroup var bus: BusOptions

    func run() async throws {
        let connection = try bus.connect(as: "hz")
        let subscription = connection.subscribe(try parseFilters(filters))
        let watchdog = Watchdog(bus: connection, seconds: duration, idle: nil)
        var rates = RateTracker(window: window)
        let clock = SystemClock()
        let started = clock.now
        var nextPrint = clock.now.adding(seconds: 1)
        for await e in subscription {
            let now = clock.now
            // Replayed last values predate the run; they say nothing about rates.
            if e.ts >= started { rates.record(topic: e.topic, src: e.src, at: now) }
            if now >= nextPrint {
                nextPrint = now.adding(seconds: 1)
                for r in rates.snapshot(now: now) {
                    print("\(r.topic): \(round2(r.rate))/s  min \(ms(r.minInterval)) max \(ms(r.maxInterval)) mean \(ms(r.meanInterval))  (window \(window)s)")
                }
            }
        }
        watchdog.cancel()
    }

    private func ms(_ s: Double?) -> String { s.map { "\(round2($0 * 1000))ms" } ?? "-" }
}

/// `recio ping`: round trips through the broker to the pong plugin.
struct PingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ping", abstract: "Measure round trips to the pong plugin.")

    @Option(help: "How many pings.") var count = 10
    @Option(help: "Seconds between pings.") var interval: Double = 0.2
    @Option(help: "The ponger's name.") var target = "pong"
    @OptionGroup var bus: BusOptions

    func run() async throws {
        let connection = try bus.connect(as: "ping")
        defer { connection.close(flushSeconds: 0) }
        let me = "ping-\(getpid())"
        let replies = connection.subscribe([.pongs(requester: me)])
        guard await connection.waitUntilConnected(timeoutSeconds: 5) else { throw ValidationError("the broker is not answering") }
        let watchdog = Watchdog(bus: connection, seconds: nil, idle: 5)
        let clock = SystemClock()
        let sender = Task {
            for id in 0..<UInt64(count) {
                try? connection.publish(.ping(target: target), Ping(id: id, requester: me, sentAt: clock.now))
                try? await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
            }
        }
        var rtts: [Double] = []
        for await e in replies {
            guard let p = try? e.decode(Ping.self) else { continue }
            watchdog.touch()
            let rtt = p.sentAt.seconds(until: clock.now) * 1000
            rtts.append(rtt)
            print("pong from \(e.src): id=\(p.id) rtt=\(round2(rtt)) ms")
            if rtts.count >= count { break }
        }
        sender.cancel()
        watchdog.cancel()
        guard !rtts.isEmpty else { throw ValidationError("no answer from '\(target)'; is the plugin running?") }
        let sorted = rtts.sorted()
        print("\(rtts.count)/\(count) answered; p50 \(round2(sorted[sorted.count / 2])) ms, p99 \(round2(sorted[min(sorted.count - 1, sorted.count * 99 / 100)])) ms")
    }
}

func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }

func printTable(_ rows: [[String]]) {
    guard let header = rows.first else { return }
    let widths = header.indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
    for r in rows { print(r.indices.map { r[$0] + String(repeating: " ", count: widths[$0] - r[$0].count) }.joined(separator: "  ")) }
}
