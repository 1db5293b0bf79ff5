import BusWire

/// The momentum spike pause (the original's "spike alert"), in momentum × 100 units throughout.
///
/// |momentum| ≥ the spike threshold pauses entries. While paused, every reading at or above the cooldown threshold
/// restarts the calm timer; the pause clears once momentum has stayed below the cooldown threshold for the cooldown
/// period. A missing reading changes nothing.
public struct SpikeAlert: Sendable, Hashable {
    /// True while entries are paused.
    public private(set) var active = false
    /// Since when momentum has been calm while paused.
    public private(set) var calmSince: BusTime?
    /// The reading that set the pause off.
    public private(set) var trigger: Int?

    /// Not paused.
    public init() {}

    /// Feeds one momentum reading.
    public mutating func observe(_ momentum: Int?, now: BusTime, settings: AutoEntrySettings) {
        guard settings.spikeAlertEnabled else { active = false; calmSince = nil; return }
        guard let m = momentum else { update(now: now, settings: settings); return }
        if abs(m) >= settings.spikeThreshold {
            active = true; calmSince = nil; trigger = m
        } else if active {
            if abs(m) >= settings.spikeCooldownThreshold { calmSince = nil } else if calmSince == nil { calmSince = now }
        }
        update(now: now, settings: settings)
    }

    /// Clears the pause when the calm has lasted long enough.
    public mutating func update(now: BusTime, settings: AutoEntrySettings) {
        guard settings.spikeAlertEnabled else { active = false; calmSince = nil; return }
        if active, let since = calmSince, since.seconds(until: now) >= settings.spikeCooldownMinutes * 60 {
            active = false; calmSince = nil; trigger = nil
        }
    }
}
