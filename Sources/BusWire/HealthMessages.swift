/// `sys.health.summary`: the failure detector's view of the fleet, about once a second (state).
public struct FleetHealth: BusMessage, Hashable {
    public static let typeName = "sys.health"

    /// The detector's judgement of a plugin from its heartbeats.
    public enum Verdict: String, Codable, Sendable, Hashable {
        /// Beating on time.
        case alive
        /// Three beats missed.
        case stale
        /// Silent for longer than the dead time, reporting `fatal`, or never seen after the start-up grace.
        case dead
    }

    /// One plugin.
    public struct Plugin: Codable, Sendable, Hashable {
        public var name: String
        public var host: String?
        /// The state the plugin itself last reported.
        public var state: PluginState?
        public var verdict: Verdict
        /// Seconds since its last heartbeat; nil if none yet.
        public var beatAge: Double?
        /// Restarts counted by the launcher.
        public var restarts: Int?
        public var rss: Int?
        /// Ages of the inputs it depends on, from its heartbeat.
        public var dataAges: [String: Double?]
        public init(name: String, host: String?, state: PluginState?, verdict: Verdict, beatAge: Double?, restarts: Int?, rss: Int?,
                    dataAges: [String: Double?]) {
            self.name = name; self.host = host; self.state = state; self.verdict = verdict; self.beatAge = beatAge
            self.restarts = restarts; self.rss = rss; self.dataAges = dataAges
        }
        enum CodingKeys: String, CodingKey { case name, host, state, verdict, beatAge = "beat_age", restarts, rss, dataAges = "data_ages" }
    }

    public var plugins: [Plugin]
    /// Seconds since the last BTC tick; nil if none yet.
    public var btcAge: Double?
    /// The market feed's book age from its heartbeat; nil if unknown.
    public var booksAge: Double?
    /// The trading holds this detector keeps in place (holder names), each with its reason.
    public var holds: [String: String]
    /// True while a cascade halt is in force.
    public var cascade: Bool
    public var time: String

    /// A summary.
    public init(plugins: [Plugin], btcAge: Double?, booksAge: Double?, holds: [String: String], cascade: Bool, time: String) {
        self.plugins = plugins; self.btcAge = btcAge; self.booksAge = booksAge; self.holds = holds; self.cascade = cascade; self.time = time
    }
    enum CodingKeys: String, CodingKey { case plugins, btcAge = "btc_age", booksAge = "books_age", holds, cascade, time }
}
