#if canImport(Glibc)
import Glibc
#endif

/// Everything `bus.conf` says, typed and validated. See README.md for every key, its type and default.
public struct BusConfiguration: Sendable {
    /// `[bus]`: endpoints and limits shared by the broker and every plugin.
    public struct BusSettings: Sendable {
        /// `mode`: sim (default), paper, demo or prod.
        public var mode = RunMode.sim
        /// `frontend`: where publishers connect and the broker's XSUB binds.
        public var frontend = "tcp://127.0.0.1:7100"
        /// `backend`: where subscribers connect and the broker's XPUB binds.
        public var backend = "tcp://127.0.0.1:7101"
        /// `capture`: optional endpoint where the broker mirrors every message on a PUB socket.
        public var capture: String?
        /// `broker_host`: the host that runs the broker.
        public var brokerHost = "local"
        /// `high_water_mark`: messages queued per socket before libzmq drops for that peer.
        public var highWaterMark = 100_000
        /// `max_message_size`: the largest envelope, in bytes.
        public var maxMessageSize = 1 << 20
        /// `stats_interval`: seconds between broker statistics.
        public var statsInterval = 5.0
        /// `heartbeat_interval`: seconds between plugin heartbeats.
        public var heartbeatInterval = 1.0
        /// `clock`: `system` (default), or `simulator` to follow a `recio sim --speed N` on this host through the file it
        /// writes (`sim_clock_file`, default `$RECIO_HOME/sim/clock.json`).
        public var clock = "system"
        /// `sim_clock_file`: where `recio sim` writes its clock when `clock = simulator`.
        public var simClockFile: String?
        /// `curve`: `auto` (default: on when an endpoint is not loopback or ipc), `on` or `off` (loopback and ipc only).
        public var curve = "auto"
        /// `keys`: the CURVE key folder (default `$RECIO_HOME/keys`).
        public var keys: String?
        /// `identities`: `on` makes every connection authenticate as its own identity (PLAIN on local endpoints,
        /// the CURVE key's name elsewhere) and the broker check each message's `src` and topic against it
        /// (default); `off` admits any local process and checks nothing.
        public var identities = true
        /// `max_topic_size`: the largest topic frame the broker forwards, in bytes.
        public var maxTopicSize = 256
        /// `last_values_max_size`: the most bytes of last values the broker keeps.
        public var lastValuesMaxSize = 64 << 20
        public init() {}

        /// Whether connections are encrypted and checked against the broker's allow-list.
        public var curveRequired: Bool {
            curve == "on" || (curve == "auto" && !(Self.isLocal(frontend) && Self.isLocal(backend)))
        }

        /// Loopback TCP, ipc or inproc: the only places plaintext is allowed.
        public static func isLocal(_ endpoint: String) -> Bool {
            if endpoint.hasPrefix("ipc://") || endpoint.hasPrefix("inproc://") { return true }
            guard endpoint.hasPrefix("tcp://") else { return false }
            let host = endpoint.dropFirst(6).split(separator: ":").dropLast().joined(separator: ":")
            return host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host.hasPrefix("127.")
        }

    }

    /// `[launcher]`: restart policy and log files.
    public struct LauncherSettings: Sendable {
        /// `restart_initial`: first restart delay in seconds; it doubles per consecutive failure.
        public var restartInitial = 0.5
        /// `restart_max`: the longest restart delay.
        public var restartMax = 30.0
        /// `restart_jitter`: fraction of random spread added to each delay (0…1).
        public var restartJitter = 0.2
        /// `max_failures`: consecutive short-lived runs after which a plugin is marked fatal.
        public var maxFailures = 8
        /// `stable_after`: a run at least this long resets the failure count.
        public var stableAfter = 30.0
        /// `stop_timeout`: seconds between SIGTERM and SIGKILL on shutdown.
        public var stopTimeout = 10.0
        /// `log_max_size`: a log file is rotated at this size.
        public var logMaxSize = 10 << 20
        /// `log_retention`: rotated logs older than this are deleted.
        public var logRetention = 7 * 86_400.0
        /// `log_total_cap`: all logs together stay under this size (oldest rotated files go first).
        public var logTotalCap = 500 << 20
        public init() {}
    }

    /// `[plugin.<name>]`: one plugin.
    public struct PluginSettings: Sendable {
        public var name: String
        /// `enabled`: whether `recio up` starts it.
        public var enabled = true
        /// `host`: which host runs it.
        public var host = "local"
        /// `command`: how to start it; default `recio plugin <name>`. Words split on spaces.
        public var command: [String]?
        /// The line of the section header.
        public var line: Int
    }

    /// The file this came from.
    public let path: String
    public let file: ConfigFile
    public var bus = BusSettings()
    public var launcher = LauncherSettings()
    public var plugins: [PluginSettings] = []
    /// Who may publish what, with the `[acl.<name>]` grants.
    public var permissions = Permissions()

    /// Loads and validates `path`.
    /// - Parameter pluginKeys: the keys each built-in plugin reads; sections of other plugins must give a `command`
    ///   and may hold any key (the plugin reads them itself).
    /// - Throws: ``ConfigErrors`` naming file, line and key for a missing file, syntax errors, unknown sections or
    ///   keys, and bad values, all at once.
    public static func load(path: String, pluginKeys: [String: Set<String>]) throws(ConfigErrors) -> BusConfiguration {
        guard let text = readTextFile(path) else {
            throw ConfigErrors(errors: [ConfigError(file: path, line: nil, key: nil,
                message: "cannot read the file (\(String(cString: strerror(errno)))); start from the bus.conf in the repository")])
        }
        return try BusConfiguration(file: ConfigFile(path: path, text: text), pluginKeys: pluginKeys)
    }

    /// Validates a parsed file.
    public init(file: ConfigFile, pluginKeys: [String: Set<String>]) throws(ConfigErrors) {
        self.path = file.path
        self.file = file
        var errors: [ConfigError] = []

        var b = SectionReader(file: file, name: "bus")
        switch RunMode.parse(b.string("mode", default: bus.mode.rawValue)) {
        case .success(let mode): bus.mode = mode
        case .failure(let why): b.fail("mode", line: b.raw("mode")?.line, why.message)
        }
        bus.frontend = Self.endpoint(&b, "frontend", bus.frontend)
        bus.backend = Self.endpoint(&b, "backend", bus.backend)
        bus.capture = b.optionalString("capture")
        bus.brokerHost = b.string("broker_host", default: bus.brokerHost)
        bus.highWaterMark = b.int("high_water_mark", default: bus.highWaterMark, range: 0...50_000_000)
        bus.maxMessageSize = b.bytes("max_message_size", default: bus.maxMessageSize, range: 1024...(256 << 20))
        bus.statsInterval = b.seconds("stats_interval", default: bus.statsInterval, range: 0.1...3600)
        bus.heartbeatInterval = b.seconds("heartbeat_interval", default: bus.heartbeatInterval, range: 0.05...60)
        bus.clock = b.string("clock", default: bus.clock)
        if !["system", "simulator"].contains(bus.clock) {
            b.fail("clock", line: b.raw("clock")?.line, "must be system or simulator, got '\(bus.clock)'")
        } else if bus.clock == "simulator" && bus.mode != .sim {
            b.fail("clock", line: b.raw("clock")?.line, "clock = simulator needs mode = sim")
        }
        bus.simClockFile = b.optionalString("sim_clock_file")
        bus.curve = b.string("curve", default: bus.curve)
        if !["auto", "on", "off"].contains(bus.curve) {
            b.fail("curve", line: b.raw("curve")?.line, "must be auto, on or off, got '\(bus.curve)'")
        } else if bus.curve == "off" && !(BusSettings.isLocal(bus.frontend) && BusSettings.isLocal(bus.backend)) {
            b.fail("curve", line: b.raw("curve")?.line, "plaintext is allowed only on loopback and ipc endpoints; use curve = auto or on")
        }
        bus.keys = b.optionalString("keys")
        bus.identities = b.bool("identities", default: bus.identities)
        bus.maxTopicSize = b.bytes("max_topic_size", default: bus.maxTopicSize, range: 16...65_536)
        bus.lastValuesMaxSize = b.bytes("last_values_max_size", default: bus.lastValuesMaxSize, range: 1 << 16...(16 << 30))
        if let capture = bus.capture, !BusSettings.isLocal(capture), !bus.curveRequired {
            b.fail("capture", line: b.raw("capture")?.line, "a capture endpoint that is not loopback or ipc needs CURVE (curve = auto or on)")
        }
        errors += b.finish()
        permissions.granted = Self.readGrants(file, &errors)

        var l = SectionReader(file: file, name: "launcher")
        launcher.restartInitial = l.seconds("restart_initial", default: launcher.restartInitial, range: 0.01...600)
        launcher.restartMax = l.seconds("restart_max", default: launcher.restartMax, range: 0.01...86_400)
        launcher.restartJitter = l.seconds("restart_jitter", default: launcher.restartJitter, range: 0...1)
        launcher.maxFailures = l.int("max_failures", default: launcher.maxFailures, range: 1...1000)
        launcher.stableAfter = l.seconds("stable_after", default: launcher.stableAfter, range: 0.1...86_400)
        launcher.stopTimeout = l.seconds("stop_timeout", default: launcher.stopTimeout, range: 0.1...600)
        launcher.logMaxSize = l.bytes("log_max_size", default: launcher.logMaxSize, range: 1024...(1 << 40))
        launcher.logRetention = l.seconds("log_retention", default: launcher.logRetention, range: 1...(3650 * 86_400.0))
        launcher.logTotalCap = l.bytes("log_total_cap", default: launcher.logTotalCap, range: 4096...(1 << 42))
        errors += l.finish()

        for section in file.sections where !["bus", "launcher"].contains(section.name) && !section.name.hasPrefix("acl.") {
            guard section.name.hasPrefix("plugin."), section.name.count > 7 else {
                errors.append(ConfigError(file: path, line: section.line, key: nil,
                    message: "unknown section [\(section.name)]; expected [bus], [launcher], [plugin.<name>] or [acl.<name>]"))
                continue
            }
            let name = String(section.name.dropFirst(7))
            var p = SectionReader(file: file, name: section.name)
            var settings = PluginSettings(name: name, line: section.line)
            settings.enabled = p.bool("enabled", default: true)
            settings.host = p.string("host", default: "local")
            settings.command = p.optionalString("command").map { $0.split(separator: " ").map(String.init) }
            if let keys = pluginKeys[name] {
                for k in keys { _ = p.raw(k) }
                errors += p.finish()
            } else {
                errors += p.errors
                if settings.command == nil {
                    errors.append(ConfigError(file: path, line: section.line, key: nil,
                        message: "unknown plugin '\(name)': built-in plugins are \(pluginKeys.keys.sorted().joined(separator: ", ")); others need a command"))
                }
            }
            plugins.append(settings)
        }
        guard errors.isEmpty else { throw ConfigErrors(errors: errors) }
    }

    private static func endpoint(_ r: inout SectionReader, _ key: String, _ fallback: String) -> String {
        let v = r.string(key, default: fallback)
        if !(v.hasPrefix("tcp://") || v.hasPrefix("ipc://") || v.hasPrefix("inproc://")) {
            r.fail(key, line: r.raw(key)?.line, "expected tcp://HOST:PORT, ipc://PATH or inproc://NAME, got '\(v)'")
        }
        return v
    }

    /// A reader over `[plugin.<name>]` for the plugin's own keys.
    public func pluginSection(_ name: String) -> SectionReader { SectionReader(file: file, name: "plugin.\(name)") }

    /// The plugins `host` runs, in file order.
    public func plugins(on host: String) -> [PluginSettings] { plugins.filter { $0.enabled && $0.host == host } }

    /// Bus options for a plugin's or a tool's connection, with this host's CURVE keys when the bus needs them, or,
    /// when identities are on over local endpoints, `identity`'s PLAIN credentials (made if missing).
    public func connectionOptions(identity: String, home: String = ProcInfo.recioHome) throws(BusError) -> ZMQBus.Options {
        var o = ZMQBus.Options(frontend: bus.frontend, backend: bus.backend)
        o.highWaterMark = Int32(bus.highWaterMark)
        o.maxMessageSize = bus.maxMessageSize
        if bus.curveRequired {
            let store = keyStore(home: home)
            o.curve = (try store.pair("client"), try store.brokerPublicKey())
        } else if bus.identities {
            o.plain = (identity, try identityStore(home: home).password(for: identity))
        }
        return o
    }

    /// Where this configuration's mode keeps its files under `home`.
    public func layout(home: String = ProcInfo.recioHome) -> DataLayout { DataLayout(home: home, mode: bus.mode) }

    /// The PLAIN credentials folder, `$RECIO_HOME/<mode>/keys`.
    public func identityStore(home: String = ProcInfo.recioHome) -> IdentityStore {
        IdentityStore(folder: layout(home: home).identityKeys)
    }

    /// The CURVE key folder.
    public func keyStore(home: String = ProcInfo.recioHome) -> CurveKeyStore {
        CurveKeyStore(folder: bus.keys ?? CurveKeyStore.defaultFolder(home: home))
    }
}

/// Reads a whole text file with plain POSIX calls; nil when it cannot be read.
func readTextFile(_ path: String) -> String? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = fread(&chunk, 1, chunk.count, f)
        if n > 0 { bytes += chunk[0..<n] }
        if n < chunk.count { break }
    }
    return String(decoding: bytes, as: UTF8.self)
}
