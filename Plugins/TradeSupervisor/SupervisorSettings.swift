import BusKit
import Money

/// The trade supervisor's rules as one value: `[plugin.trade-supervisor]`, then the persisted runtime settings,
/// changed at runtime by `cmd.settings.trade-supervisor`. Defaults are the original's.
public struct SupervisorSettings: Sendable, Hashable {
    /// `auto_stop`: the auto-stop switch (default true).
    public var autoStop = true
    /// `stop_probability`: auto-stop when the trade's win probability is below this, in percent (default 25; the
    /// original's `current_probability`).
    public var stopProbabilityPercent = 25.0
    /// `confirmation_seconds`: the probability must stay below the threshold this long (the original's
    /// verification period; default 10).
    public var confirmationSeconds = 10.0
    /// `min_seconds_since_entry`: no auto-stop before this many seconds since entry (default 60). The original
    /// called it `min_ttc_seconds`, "Minimum Time to Close", but compared it with the time since entry.
    public var minSecondsSinceEntry = 60.0
    /// `max_slippage`: cents above the opposite ask a close may pay (default 2); the limit never exceeds 99¢.
    public var maxSlippage = Dollars(cents: 2)
    /// `momentum_spike_enabled`: the ripcord switch (default true).
    public var ripcordEnabled = true
    /// `momentum_spike_threshold`: momentum × 100 at or beyond which the ripcord closes every trade on the wrong side
    /// (default 35: ≥ +35 closes NO trades, ≤ −35 closes YES trades).
    public var ripcordThreshold = 35
    /// `retry_delay`: seconds after a cancelled or rejected close before another attempt (default 5).
    public var retryDelay = 5.0
    /// `repeat_interval`: seconds between repeats of an unanswered close (default 1).
    public var repeatInterval = 1.0
    /// `intent_ttl`: seconds a close intent stays valid (its `expires_ts`, default 10).
    public var intentTTL = 10.0
    /// `max_data_age`: strike tables and momentum older than this many seconds are not acted on (default 5).
    public var maxDataAge = 5.0

    /// Defaults.
    public init() {}

    /// Every runtime key.
    static var schema: RuntimeSettingsSchema<SupervisorSettings> {
        RuntimeSettingsSchema([
            .bool("auto_stop", \.autoStop), .number("stop_probability", \.stopProbabilityPercent, range: 0...100),
            .number("confirmation_seconds", \.confirmationSeconds, range: 0...3_600),
            .number("min_seconds_since_entry", \.minSecondsSinceEntry, range: 0...86_400),
            .value("max_slippage", \.maxSlippage, "cents from 0 to 98", parse: { t in
                Dollars(t).flatMap { d in
                    d.micros % 100 == 0 && (0...98_000_000).contains(d.micros) ? Dollars(micros: d.micros / 100) : nil
                }
            }, format: { Dollars(micros: $0.micros * 100).formatted(decimals: 4).trimmedDecimal }),
            .bool("momentum_spike_enabled", \.ripcordEnabled),
            .int("momentum_spike_threshold", \.ripcordThreshold, range: 1...100_000),
            .number("retry_delay", \.retryDelay, range: 0...3_600), .number("repeat_interval", \.repeatInterval, range: 0.05...60),
            .number("intent_ttl", \.intentTTL, range: 1...300), .number("max_data_age", \.maxDataAge, range: 0.1...3_600),
        ])
    }

    /// Reads `[plugin.<plugin>]`: the runtime keys plus `settings_file`; every problem names file, line and key.
    public static func load(configuration: BusConfiguration, plugin: String, home: String) throws(TradeSupervisorError) -> (SupervisorSettings, String) {
        switch schema.load(SupervisorSettings(), configuration: configuration, plugin: plugin, home: home) {
        case .success(let loaded): return loaded
        case .failure(let errors): throw TradeSupervisorError(configuration: errors.errors)
        }
    }

    /// Every key `[plugin.trade-supervisor]` may hold.
    static var keys: Set<String> { schema.sectionKeys }
}

/// The trade supervisor's one error type: configuration problems (file, line, key) or anything else, in words.
public struct TradeSupervisorError: Error, Sendable, CustomStringConvertible {
    /// The configuration problems, all at once.
    public let configuration: [ConfigError]
    /// Anything else.
    public let message: String?
    /// Configuration problems.
    public init(configuration: [ConfigError]) { self.configuration = configuration; message = nil }
    /// Another problem.
    public init(_ message: String) { configuration = []; self.message = message }
    /// Every problem, one a line.
    public var description: String { message ?? configuration.map(\.description).joined(separator: "\n") }
}
