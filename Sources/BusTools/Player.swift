import BusKit
import BusWire

/// Republishes a recording with its original spacing.
///
/// Each message goes out in the original order with its original topic, type and data, under the player's own
/// identity (`play@<host>`, numbered afresh per topic), stamped with the time it is sent. A recording replayed onto
/// a live bus must never place an order or change a setting: topics under ``protected`` are left out unless
/// ``include`` names them.
public struct Player {
    public var options: ZMQBus.Options
    /// Left out of a replay unless asked for: order intents, commands, trading controls and settings.
    public static let protected = ["order.intent.", "cmd.", "sys.control.", "settings."]
    /// Filters under ``protected`` to replay anyway (for example `cmd.settings.auto-entry`).
    public var include: [TopicFilter] = []
    /// Speed-up factor; 0 (or infinity) plays as fast as possible.
    public var rate: Double = 1
    /// Seconds into the tape to start from.
    public var start: Double = 0
    /// Play again from the start when the end is reached.
    public var loop = false
    public var host = "local"
    public var clock: any BusClock = SystemClock()

    public init(options: ZMQBus.Options) { self.options = options }

    /// Plays `entries`; returns how many messages were published (per pass, summed over loops; protected topics
    /// left out are not counted).
    public func play(_ entries: [Tape.Entry], passes: Int = .max) async throws -> Int {
        guard let first = entries.first else { return 0 }
        let origin = first.received.adding(seconds: start)
        let selected = entries.filter { e in
            e.received >= origin
                && (!Self.protected.contains { e.envelope.topic.hasPrefix($0) } || include.contains { $0.matches(e.envelope.topic) })
        }
        let bus = try ZMQBus(source: "play@\(host)", options: options, clock: clock)
        defer { bus.close() }
        guard await bus.waitUntilConnected(timeoutSeconds: 10) else { throw ToolError("the broker at \(options.frontend) is not answering") }
        var published = 0
        var pass = 0
        repeat {
            let wallStart = clock.now
            for e in selected {
                try Task.checkCancellation()
                if rate > 0 && rate.isFinite {
                    let due = wallStart.adding(seconds: origin.seconds(until: e.received) / rate)
                    let wait = clock.now.seconds(until: due)
                    if wait > 0 { try await clock.sleep(seconds: wait) }
                }
                guard let topic = try? Topic(validating: e.envelope.topic) else { continue }
                try bus.publish(topic, type: e.envelope.type, data: e.envelope.data)
                published += 1
            }
            pass += 1
        } while loop && pass < passes
        return published
    }
}

/// Records messages from a bus into a tape. It subscribes when it is made, so what is published after that
/// point (once the subscription has reached the broker) is recorded even if ``record(into:count:)`` starts later.
public struct Recorder {
    public let filters: [TopicFilter]
    public var clock: any BusClock = SystemClock()
    private let subscription: Subscription

    public init(bus: any Bus, filters: [TopicFilter]) {
        self.filters = filters.isEmpty ? [.all] : filters
        subscription = bus.subscribe(self.filters)
    }

    /// Writes messages to `writer` until `count` have been recorded or the task is cancelled. Call it once.
    public func record(into writer: TapeWriter, count: Int = .max) async {
        guard count > 0 else { return }
        for await e in subscription {
            writer.append(Tape.Entry(received: clock.now, envelope: e))
            if writer.count >= count { break }
        }
        writer.flush()
    }
}
