import BusKit
import Foundation
import Money

/// Auto-entry's rules, as one value: read from `[plugin.auto-entry]`, then from the persisted runtime settings, and
/// changed at runtime by `cmd.settings.auto-entry`. Defaults are the original's where it had one.
public struct AutoEntrySettings: Sendable, Hashable {
    /// `auto_entry`: the master switch (default off, as the original).
    public var enabled = false
    /// `kill_switch`: when true nothing is entered, whatever else says (default false).
    public var killSwitch = false
    /// `min_time` / `max_time`: the TTC window in seconds (defaults 0 and 3600).
    public var minTime = 0.0
    /// `max_time`: the TTC window's upper end, seconds (default 3600).
    public var maxTime = 3_600.0
    /// `min_probability`: the active side's minimum win probability, in percent (default 25).
    public var minProbabilityPercent = 25.0
    /// `min_edge`: the active side's minimum edge (fair value − ask), in cents (default 0). Compared exactly: the
    /// original's hidden 0.5¢ slack (`diff ≥ min_differential − 0.5`) is gone; set −0.5 to reproduce it.
    public var minEdge = Dollars.zero
    /// `min_edge_after_fee`: when set, cents per contract the model's fair value must exceed the limit price (ask
    /// plus slippage) plus Kalshi's taker fee by, exactly (default `off`: only `min_edge` applies).
    public var minEdgeAfterFee: Dollars?
    /// `sizing`: `fixed` (`position_size` × `multiplier`, default) or `kelly` (see ``EntrySizing``), the caps on top.
    public var sizing = EntrySizingRule.fixed
    /// `kelly_fraction`: the share of the Kelly stake bought under `sizing = kelly` (default 0.25).
    public var kellyFraction = 0.25
    /// `cooldown`: seconds before a ticker+side is evaluated again (default 10).
    public var cooldown = 10.0
    /// `position_size` × `multiplier` = contracts per entry (defaults 1 and 1).
    public var positionSize = Contracts(whole: 1)
    /// `multiplier`: the size multiplier (default 1).
    public var multiplier = 1
    /// `max_slippage`: cents added to the ask for the limit price (default 0).
    public var maxSlippage = Dollars.zero
    /// `strategy`: the label stored on the trade (default `Hourly HTC`).
    public var strategy = "Hourly HTC"
    /// `allow_re_entry`: when false a ticker+side that had a trade in this event is never entered again (default false).
    public var allowReEntry = false
    /// `max_open_positions`: open or pending trades beyond which nothing is entered (default 10).
    public var maxOpenPositions = 10
    /// `max_risk_per_event` / `max_risk_per_hour`: dollars (count × price) entered per event / in any 60 minutes
    /// (defaults $50 and $100).
    public var maxRiskPerEvent = Dollars(cents: 5_000)
    /// `max_risk_per_hour`: dollars entered in any 60 minutes (default $100).
    public var maxRiskPerHour = Dollars(cents: 10_000)
    /// `balance_reserve`: dollars of balance never spent (default 0).
    public var balanceReserve = Dollars.zero
    /// `spike_alert_enabled`, `spike_alert_momentum_threshold`, `spike_alert_cooldown_threshold`,
    /// `spike_alert_cooldown_minutes`: |momentum × 100| ≥ 40 pauses entries until it stayed below 30 for 15 minutes.
    public var spikeAlertEnabled = true
    /// `spike_alert_momentum_threshold` (default 40).
    public var spikeThreshold = 40
    /// `spike_alert_cooldown_threshold` (default 30).
    public var spikeCooldownThreshold = 30
    /// `spike_alert_cooldown_minutes` (default 15).
    public var spikeCooldownMinutes = 15.0
    /// `repeat_interval`: seconds between repeats of an unanswered intent (default 1).
    public var repeatInterval = 1.0
    /// `intent_ttl`: seconds an intent stays valid (its `expires_ts`), after which it is given up (default 10).
    public var intentTTL = 10.0

    /// Defaults.
    public init() {}

    /// The contracts of one entry.
    public var contracts: Contracts { Contracts(centis: positionSize.centis * Int64(multiplier)) }

    /// Every runtime key.
    static var schema: RuntimeSettingsSchema<AutoEntrySettings> {
        RuntimeSettingsSchema([
            .bool("auto_entry", \.enabled), .bool("kill_switch", \.killSwitch),
            .number("min_time", \.minTime, range: 0...86_400), .number("max_time", \.maxTime, range: 0...86_400),
            .number("min_probability", \.minProbabilityPercent, range: 0...100), cents("min_edge", \.minEdge, range: -100...100),
            .number("cooldown", \.cooldown, range: 0...3_600),
            RuntimeSetting("min_edge_after_fee", apply: { s, text in
                let t = text.trimmingCharacters(in: .whitespaces)
                if t == "off" { s.minEdgeAfterFee = nil; return nil }
                guard let d = Dollars(t), d.micros % 100 == 0, (-100_000_000...100_000_000).contains(d.micros) else {
                    return "expected off or cents from -100 to 100, got '\(text)'"
                }
                s.minEdgeAfterFee = Dollars(micros: d.micros / 100)
                return nil
            }, render: { s in s.minEdgeAfterFee.map { Dollars(micros: $0.micros * 100).formatted(decimals: 4).trimmedDecimal } ?? "off" }),
            .value("sizing", \.sizing, "fixed or kelly", parse: { EntrySizingRule(rawValue: $0) }, format: \.rawValue),
            .number("kelly_fraction", \.kellyFraction, range: 0.01...1),
            .value("position_size", \.positionSize, "contracts from 0.01 to 10000", parse: { t in
                Contracts(t).flatMap { $0.centis > 0 && $0.centis <= 1_000_000 ? $0 : nil }
            }, format: { $0.description }),
            .int("multiplier", \.multiplier, range: 1...100), cents("max_slippage", \.maxSlippage, range: 0...50),
            .string("strategy", \.strategy), .bool("allow_re_entry", \.allowReEntry),
            .int("max_open_positions", \.maxOpenPositions, range: 0...1_000),
            dollars("max_risk_per_event", \.maxRiskPerEvent), dollars("max_risk_per_hour", \.maxRiskPerHour),
            dollars("balance_reserve", \.balanceReserve),
            .bool("spike_alert_enabled", \.spikeAlertEnabled),
            .int("spike_alert_momentum_threshold", \.spikeThreshold, range: 1...100_000),
            .int("spike_alert_cooldown_threshold", \.spikeCooldownThreshold, range: 0...100_000),
            .number("spike_alert_cooldown_minutes", \.spikeCooldownMinutes, range: 0...1_440),
            .number("repeat_interval", \.repeatInterval, range: 0.05...60), .number("intent_ttl", \.intentTTL, range: 1...300),
        ], check: { s in
            var out: [SettingRefusal] = []
            if s.minTime > s.maxTime { out.append(SettingRefusal(key: "min_time", message: "min_time \(s.minTime) is above max_time \(s.maxTime)")) }
            if s.spikeCooldownThreshold > s.spikeThreshold {
                out.append(SettingRefusal(key: "spike_alert_cooldown_threshold", message: "above spike_alert_momentum_threshold"))
            }
            if s.contracts.centis > 1_000_000 { out.append(SettingRefusal(key: "multiplier", message: "position_size × multiplier exceeds 10000")) }
            return out
        })
    }

    /// Cents as a decimal (`-0.5`, `2`) within `range`, stored exactly.
    static func cents(_ key: String, _ path: WritableKeyPath<AutoEntrySettings, Dollars>, range: ClosedRange<Int64>) -> RuntimeSetting<AutoEntrySettings> {
        .value(key, path, "cents from \(range.lowerBound) to \(range.upperBound)", parse: { t in
            Dollars(t).flatMap { d in
                d.micros % 100 == 0 && (range.lowerBound * 1_000_000...range.upperBound * 1_000_000).contains(d.micros)
                    ? Dollars(micros: d.micros / 100) : nil
            }
        }, format: { Dollars(micros: $0.micros * 100).formatted(decimals: 4).trimmedDecimal })
    }

    /// Dollars ≥ 0 (`50`, `12.50`).
    static func dollars(_ key: String, _ path: WritableKeyPath<AutoEntrySettings, Dollars>) -> RuntimeSetting<AutoEntrySettings> {
        .value(key, path, "dollars ≥ 0", parse: { t in Dollars(t).flatMap { $0 >= .zero ? $0 : nil } },
               format: { $0.formatted(decimals: 6).trimmedDecimal })
    }

    /// Reads `[plugin.<plugin>]`: the runtime keys plus `settings_file`; every problem names file, line and key.
    public static func load(configuration: BusConfiguration, plugin: String, home: String) throws(AutoEntryError) -> (AutoEntrySettings, String) {
        switch schema.load(AutoEntrySettings(), configuration: configuration, plugin: plugin, home: home) {
        case .success(let loaded): return loaded
        case .failure(let errors): throw AutoEntryError(configuration: errors.errors)
        }
    }

    /// Every key `[plugin.auto-entry]` may hold.
    static var keys: Set<String> { schema.sectionKeys }
}

/// Auto-entry's one error type: configuration problems (file, line, key) or anything else, in words.
public struct AutoEntryError: Error, Sendable, CustomStringConvertible {
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
