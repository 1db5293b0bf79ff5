import BusWire

/// Per-topic counts, rates and publishers over a sliding window, from message times passed in (no clock reads).
public struct RateTracker: Sendable {
    /// What is known about one topic.
    public struct TopicRate: Sendable, Equatable {
        public var topic: String
        public var count: Int
        /// Messages per second over the window (from the mean interval; 0 with fewer than two messages).
        public var rate: Double
        /// Shortest, longest and mean gap between messages in the window, in seconds.
        public var minInterval: Double?
        public var maxInterval: Double?
        public var meanInterval: Double?
        public var lastSeen: BusTime
        public var publishers: [String]
    }

    private struct Track {
        var count = 0
        var times: [BusTime] = []
        var last = BusTime(microseconds: 0)
        var publishers: Set<String> = []
    }

    public let window: Double
    private var tracks: [String: Track] = [:]

    public init(window: Double = 10) { self.window = window }

    /// Records a message on `topic` from `src` received at `time`.
    public mutating func record(topic: String, src: String, at time: BusTime) {
        var t = tracks[topic] ?? Track()
        t.count += 1
        t.last = time
        t.publishers.insert(src)
        t.times.append(time)
        let cutoff = time.adding(seconds: -window)
        if let firstKept = t.times.firstIndex(where: { $0 >= cutoff }), firstKept > 0 { t.times.removeFirst(firstKept) }
        tracks[topic] = t
    }

    /// Every topic's figures as of `now`, sorted by topic.
    public func snapshot(now: BusTime) -> [TopicRate] {
        tracks.keys.sorted().map { topic in
            let t = tracks[topic]!
            let recent = t.times.filter { $0.seconds(until: now) <= window }
            let gaps = zip(recent, recent.dropFirst()).map { $0.seconds(until: $1) }
            let mean = gaps.isEmpty ? nil : gaps.reduce(0, +) / Double(gaps.count)
            return TopicRate(topic: topic, count: t.count, rate: mean.map { $0 > 0 ? 1 / $0 : 0 } ?? 0,
                             minInterval: gaps.min(), maxInterval: gaps.max(), meanInterval: mean,
                             lastSeen: t.last, publishers: t.publishers.sorted())
        }
    }
}
