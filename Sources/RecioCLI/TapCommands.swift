import ArgumentParser
import BusKit
import BusTools
import BusWire
import UnixSignals

/// `recio tap`: prints messages as they pass.
struct TapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tap", abstract: "Print messages as they pass (topic, src, seq, age, data).",
        discussion: "Filters: 'price.' is a subtree; 'sys.heartbeat.web' is that topic and its subtree; none means everything.")

    @Argument(help: "Topic filters.") var filters: [String] = []
    @Option(help: "Stop after N messages.") var count: Int?
    @Flag(help: "Print each message as one JSON line (topic plus envelope).") var json = false
    @Option(help: "Print only this field of data (dot path; numbers index arrays).") var field: String?
    @Option(help: "Stop after S seconds without a message (exit 1 if nothing arrived).") var timeout: Double?
    @OptionGroup var bus: BusOptions

    func run() async throws {
        let connection = try bus.connect(as: "tap")
        let subscription = connection.subscribe(try parseFilters(filters))
        let watchdog = Watchdog(bus: connection, seconds: nil, idle: timeout)
        let path = field.map(FieldPath.init)
        let clock = SystemClock()
        var seen = 0
        for await e in subscription {
            watchdog.touch()
            seen += 1
            if json {
                var line = Array(#"{"topic":"#.utf8)
                EnvelopeCodec.appendString(e.topic, to: &line)
                line += Array(#","envelope":"#.utf8) + e.encoded + [0x7D]
                print(String(decoding: line, as: UTF8.self))
            } else if let path {
                print(path.extract(from: e.data) ?? "null")
            } else {
                let age = Int(e.ts.seconds(until: clock.now) * 1000)
                print("\(e.topic)  src=\(e.src) seq=\(e.seq) age=\(age)ms  \(e.dataText)")
            }
            if let count, seen >= count { break }
        }
        watchdog.cancel()
        let c = connection.counters
        connection.close(flushSeconds: 0)
        printError("tap: \(seen) messages, \(c.gaps) missing (gaps), \(c.duplicates) duplicates dropped, \(c.rejected) malformed, \(c.dropped) dropped")
        if seen == 0 && watchdog.didTimeOut { throw ExitCode(1) }
    }
}

/// `recio pub`: publishes a message.
struct PubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pub", abstract: "Publish a JSON object on a topic.")

    @Argument(help: "The topic, such as settings.auto-entry.") var topic: String
    @Argument(help: "The data: one JSON object.") var json: String
    @Option(help: "The envelope type.") var type = "user.message"
    @Option(help: "Publish this many times.") var count = 1
    @Option(help: "Messages per second when count > 1 (0: as fast as possible).") var rate: Double = 10
    @OptionGroup var bus: BusOptions

    func run() async throws {
        let t: Topic
        do { t = try Topic(validating: topic) } catch { throw ValidationError("\(error)") }
        let data = Array(json.utf8)
        do { try EnvelopeCodec.validateObject(data) } catch { throw ValidationError("the data must be one JSON object: \(error)") }
        let connection = try bus.connect(as: "pub")
        defer { connection.close(flushSeconds: 5) }
        let config = try bus.load()
        guard await connection.waitUntilConnected(timeoutSeconds: 5) else {
            throw ValidationError("the broker at \(config.bus.frontend) is not answering; is `recio up` running?")
        }
        for i in 0..<max(count, 1) {
            try connection.publish(t, type: type, data: data)
            if rate > 0 && i + 1 < count { try await Task.sleep(for: .microseconds(Int64(1e6 / rate))) }
        }
    }
}

/// `recio record`: writes every message with its receive time to a file.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "record", abstract: "Record messages to a tape file.")

    @Argument(help: "The tape file to write.") var file: String
    @Argument(help: "Topic filters (none: everything).") var filters: [String] = []
    @Option(help: "Stop after S seconds.") var duration: Double?
    @Option(help: "Stop after N messages.") var count: Int?
    @OptionGroup var bus: BusOptions

    func run() async throws {
        let parsed = try parseFilters(filters)
        let connection = try bus.connect(as: "record")
        let writer = try TapeWriter(path: file, filters: parsed, created: SystemClock().now)
        let watchdog = Watchdog(bus: connection, seconds: duration, idle: nil)
        let interrupt = Task {
            for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) { connection.close(flushSeconds: 0); break }
        }
        await Recorder(bus: connection, filters: parsed).record(into: writer, count: count ?? .max)
        interrupt.cancel()
        watchdog.cancel()
        connection.close(flushSeconds: 0)
        printError("record: \(writer.count) messages written to \(file)")
    }
}

/// `recio play`: republishes a tape with its original spacing.
struct PlayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play", abstract: "Republish a tape with the original spacing.",
        discussion: """
            Each message keeps its order, topic, type and data; it goes out under play's own identity (src play@<host>), \
            stamped with the time it is sent. Order intents, commands (cmd.), trading controls (sys.control.) and \
            settings are left out unless named with --include, so a replay never places an order.
            """)

    @Argument(help: "The tape file.") var file: String
    @Option(help: "Speed-up factor (2 = twice as fast, 0 = as fast as possible).") var rate: Double = 1
    @Flag(help: "Start again at the end.") var loop = false
    @Option(help: "Start this many seconds into the tape.") var start: Double = 0
    @Option(help: "Replay this protected topic or subtree too (order.intent., cmd., sys.control., settings.); repeatable.")
    var include: [String] = []
    @OptionGroup var bus: BusOptions

    func run() async throws {
        let tape = try Tape.read(path: file)
        if tape.skipped > 0 { printError("play: skipped \(tape.skipped) unreadable lines") }
        var player = Player(options: try bus.load().connectionOptions(identity: "play"))
        player.include = try include.map { t in
            do { return try TopicFilter(validating: t) } catch { throw ValidationError("--include \(t): \(error)") }
        }
        player.rate = rate
        player.loop = loop
        player.start = start
        player.host = bus.host
        let n = try await player.play(tape.entries)
        printError("play: \(n) messages published")
    }
}
