import BusWire

/// Who may publish what: each identity's topic prefixes, checked by the broker on every message when identities
/// are on (`[bus] identities = on`).
///
/// A grant is a ``TopicFilter`` text: `order.intent.` is the subtree, `sys.control.trading` the topic and its
/// subtree, `""` everything. Every identity may publish its own heartbeat (`sys.heartbeat.<name>`) and alerts
/// (`sys.alert.<name>`); built-in plugins and tools declare the rest here, and `bus.conf` grants more to named
/// identities (`[acl.<name>] publish = prefix, prefix`), such as a strategy written in another language.
public struct Permissions: Sendable, Hashable {
    /// Identity → extra grants from `bus.conf`.
    public var granted: [String: [String]]

    public init(granted: [String: [String]] = [:]) { self.granted = granted }

    /// What each built-in plugin publishes (from each plugin's `publish(` calls), beyond its heartbeat and alerts.
    public static let plugins: [String: [String]] = [
        "pong": ["sys.pong."],
        "price-feed": ["price."],
        "market-feed": ["market."],
        "model": ["model."],
        "auto-entry": ["order.intent.auto-entry", "settings.auto-entry", "cmd.trades.query"],
        "trade-supervisor": ["order.intent.trade-supervisor", "settings.trade-supervisor", "trade.state.supervised"],
        "executor": ["order.event.", "sys.control.state.trading", "venue."],
        "trade-manager": ["trade.", "cmd.trades.expire", "order.intent.trade-manager"],
        "account-sync": ["account.", "venue."],
        "failure-detector": ["sys.control.", "sys.health."],
        "web": ["order.intent.web", "sys.control.trading", "cmd.settings.", "cmd.trades.", "cmd.account.query"],
    ]

    /// What each terminal tool publishes. `pub` is the operator's hand and may publish anything; `play` too, but
    /// it leaves commands, intents, controls and settings out of a recording unless they are asked for by name.
    public static let tools: [String: [String]] = [
        "pub": [""], "play": [""],
        "ping": ["sys.ping."], "trades": ["cmd.trades."],
        "launcher": ["sys.launcher."],
        "tap": [], "topics": [], "hz": [], "record": [],
        "bench": [""], "bench-pub": [""], "bench-sub": [], "bench-ping": ["sys.ping."],
    ]

    /// Every name that gets credentials on a host: the built-in plugins and the tools.
    public static var builtInNames: [String] { (Array(plugins.keys) + Array(tools.keys)).sorted() }

    /// The filters `identity` may publish on.
    public func filters(for identity: String) -> [String] {
        ["sys.heartbeat.\(identity)", "sys.alert.\(identity)"]
            + (Self.plugins[identity] ?? Self.tools[identity] ?? []) + (granted[identity] ?? [])
    }

    /// Whether `identity` may publish on `topic`.
    public func allows(_ identity: String, _ topic: String) -> Bool {
        filters(for: identity).contains { (try? TopicFilter(validating: $0))?.matches(topic) ?? false }
    }
}

extension BusConfiguration {
    /// Reads every `[acl.<name>]` section (`publish = a., b.c`): extra grants for named identities.
    static func readGrants(_ file: ConfigFile, _ errors: inout [ConfigError]) -> [String: [String]] {
        var grants: [String: [String]] = [:]
        for section in file.sections where section.name.hasPrefix("acl.") {
            let name = String(section.name.dropFirst(4))
            var r = SectionReader(file: file, name: section.name)
            if !IdentityStore.isValidName(name) {
                errors.append(ConfigError(file: file.path, line: section.line, key: nil,
                    message: "[\(section.name)]: an identity is letters, digits, '-' and '_'"))
            }
            let text = r.string("publish", default: "")
            var filters: [String] = []
            for part in text.split(separator: ",") {
                let f = part.trimmed(" \t\"")
                do throws(WireError) { filters.append(try TopicFilter(validating: f).rawValue) } catch {
                    r.fail("publish", line: r.raw("publish")?.line, "'\(f)' is not a topic filter: \(error)")
                }
            }
            grants[name] = filters
            errors += r.finish()
        }
        return grants
    }
}

extension StringProtocol {
    fileprivate func trimmed(_ set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
