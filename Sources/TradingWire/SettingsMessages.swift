public import BusWire

/// `settings.<plugin>`: the runtime settings a plugin applies now, as text keyed like its `bus.conf` section (state).
/// The plugin stores the values changed at runtime (in its mode's folder) so they survive a restart.
public struct RuntimeSettings: BusMessage, Hashable {
    public static let typeName = "settings"
    public var plugin: String
    public var values: [String: String]
    /// Where each setting's value comes from: `bus.conf`, `runtime` (changed over the bus in this mode) or
    /// `default`; absent from older plugins and for status values that are not settings.
    public var sources: [String: String]?
    public var time: String
    public init(plugin: String, values: [String: String], sources: [String: String]? = nil, time: String) {
        self.plugin = plugin; self.values = values; self.sources = sources; self.time = time
    }
}

/// `cmd.settings.<plugin>`: change some runtime settings (event). The plugin validates every value and applies all
/// or none: it answers a change by republishing ``RuntimeSettings``, and a refusal with an alert naming the key.
public struct SettingsChange: BusMessage, Hashable {
    public static let typeName = "cmd.settings"
    public var plugin: String
    public var values: [String: String]
    public var requester: String
    public var time: String
    public init(plugin: String, values: [String: String], requester: String, time: String) {
        self.plugin = plugin; self.values = values; self.requester = requester; self.time = time
    }
}
