import BusWire
import TradingWire

/// The failure detector's decisions, as a pure machine: feed it heartbeats, ticks and launcher statuses with the
/// time they arrived, call ``evaluate(now:)`` about once a second, and publish what it returns.
struct Detector {
    /// What the detector asks the plugin to publish.
    enum Output: Equatable {
        case command(TradingCommand.Action, holder: String, reason: String)
        case alert(Alert.Severity, String)
    }

    let settings: DetectorSettings
    let startedAt: BusTime
    private(set) var beats: [String: (beat: Heartbeat, at: BusTime)] = [:]
    private(set) var restarts: [String: Int] = [:]
    private(set) var lastTick: BusTime?
    private(set) var verdicts: [String: FleetHealth.Verdict] = [:]
    /// Holds in place: holder → (action, reason).
    private(set) var holds: [String: (action: TradingCommand.Action, reason: String)] = [:]
    /// When failures (deaths, restarts) happened, for the cascade window.
    private(set) var failures: [(plugin: String, at: BusTime)] = []
    private(set) var cascadeSince: BusTime?
    private var lastRepeat: BusTime?

    init(settings: DetectorSettings, now: BusTime) {
        self.settings = settings
        startedAt = now
    }

    /// A plugin's heartbeat arrived.
    mutating func heartbeat(_ beat: Heartbeat, at now: BusTime) {
        guard beat.plugin != settings.selfName else { return }
        beats[beat.plugin] = (beat, now)
    }

    /// A BTC tick arrived.
    mutating func tick(at now: BusTime) { lastTick = now }

    /// A launcher's table arrived: a restart count that went up is a failure.
    mutating func launcher(_ status: LauncherStatus, at now: BusTime) {
        for p in status.plugins {
            if let before = restarts[p.name], p.restarts > before { failures.append((p.name, now)) }
            restarts[p.name] = p.restarts
        }
    }

    /// The verdict on `plugin` now.
    func verdict(_ plugin: String, now: BusTime) -> FleetHealth.Verdict {
        guard let seen = beats[plugin] else {
            return now.seconds(since: startedAt) > settings.startupGrace ? .dead : .alive
        }
        if seen.beat.state == .fatal { return .dead }
        let age = now.seconds(since: seen.at)
        if age > settings.deadAfter { return .dead }
        return age > settings.staleAfter ? .stale : .alive
    }

    /// Judges everything at `now` and returns what changed: commands to place or release holds, and alerts.
    mutating func evaluate(now: BusTime) -> [Output] {
        var out: [Output] = []
        let names = Set(beats.keys).union(settings.required).sorted()
        for name in names {
            let v = verdict(name, now: now)
            let before = verdicts[name] ?? .alive
            verdicts[name] = v
            guard v != before else { continue }
            switch v {
            case .dead:
                failures.append((name, now))
                out.append(.alert(.critical, "\(name) is dead: no heartbeat for more than \(Self.text(settings.deadAfter)) s"))
            case .stale: out.append(.alert(.warning, "\(name) is stale: \(settings.staleBeats) heartbeats missed"))
            case .alive: out.append(.alert(.info, "\(name) is back"))
            }
        }
        failures.removeAll { now.seconds(since: $0.at) > settings.cascadeWindow }

        var wanted: [String: (action: TradingCommand.Action, reason: String)] = [:]
        let grace = now.seconds(since: startedAt) <= settings.startupGrace
        if let btc = btcAge(now: now) ?? (grace ? nil : .infinity), btc > settings.btcStaleAfter {
            wanted[Holder.btc] = (.reduce, btc.isFinite ? "BTC price is \(Self.text(btc)) s old" : "no BTC price yet")
        }
        if let books = booksAge(now: now), books > settings.booksStaleAfter {
            wanted[Holder.books] = (.reduce, "order books are \(Self.text(books)) s old")
        }
        for name in settings.required where (verdicts[name] ?? .alive) != .alive {
            wanted[Holder.plugin(name)] = (.reduce, "\(name) is \(verdicts[name]!.rawValue)")
        }
        out += cascade(now: now, wanted: &wanted)

        for (holder, hold) in wanted where holds[holder]?.action != hold.action {
            out.append(.command(hold.action, holder: holder, reason: hold.reason))
        }
        for holder in holds.keys where wanted[holder] == nil {
            out.append(.command(.resume, holder: holder, reason: "recovered"))
        }
        holds = wanted
        // Commands are events: repeat the standing ones so that an executor that restarted learns them again.
        if lastRepeat.map({ now.seconds(since: $0) >= settings.repeatInterval }) ?? true {
            lastRepeat = now
            let fresh = Set(out.compactMap { if case .command(_, let h, _) = $0 { h } else { nil } })
            for (holder, hold) in holds.sorted(by: { $0.key < $1.key }) where !fresh.contains(holder) {
                out.append(.command(hold.action, holder: holder, reason: hold.reason))
            }
            // Releases too: the executor keeps holds across its restarts, and may have missed the first resume
            // (or this detector may have restarted since placing the hold).
            let known = [Holder.btc, Holder.books, Holder.cascade] + settings.required.map(Holder.plugin)
            for holder in known where holds[holder] == nil && !fresh.contains(holder) {
                out.append(.command(.resume, holder: holder, reason: "healthy"))
            }
        }
        return out
    }

    /// Several failures inside the window halt trading with one alert; the halt lifts once no failure has been
    /// seen for the recovery time and every required plugin is alive.
    private mutating func cascade(now: BusTime, wanted: inout [String: (action: TradingCommand.Action, reason: String)]) -> [Output] {
        if failures.count >= settings.cascadeFailures {
            let who = Set(failures.map(\.plugin)).sorted().joined(separator: ", ")
            let reason = "\(failures.count) failures in \(Self.text(settings.cascadeWindow)) s (\(who))"
            wanted[Holder.cascade] = (.halt, reason)
            if cascadeSince == nil {
                cascadeSince = now
                return [.alert(.critical, "cascade: \(reason); trading halted until the fleet is healthy again")]
            }
            cascadeSince = now
            return []
        }
        guard let since = cascadeSince else { return [] }
        let healthy = settings.required.allSatisfy { (verdicts[$0] ?? .alive) == .alive }
        if now.seconds(since: since) < settings.cascadeRecovery || !healthy {
            wanted[Holder.cascade] = holds[Holder.cascade] ?? (.halt, "cascade recovery")
            return []
        }
        cascadeSince = nil
        return [.alert(.info, "cascade over: no failure for \(Self.text(settings.cascadeRecovery)) s; trading resumes")]
    }

    func btcAge(now: BusTime) -> Double? { lastTick.map { now.seconds(since: $0) } }

    /// The market feed's own book age, aged further by how old its heartbeat is.
    func booksAge(now: BusTime) -> Double? {
        guard let feed = beats[settings.marketFeed], let age = feed.beat.dataAges["books"] ?? nil else { return nil }
        return age + now.seconds(since: feed.at)
    }

    /// The summary to publish.
    func health(now: BusTime) -> FleetHealth {
        let names = Set(beats.keys).union(settings.required).sorted()
        let plugins = names.map { name -> FleetHealth.Plugin in
            let seen = beats[name]
            return FleetHealth.Plugin(name: name, host: seen?.beat.host, state: seen?.beat.state, verdict: verdict(name, now: now),
                                      beatAge: seen.map { now.seconds(since: $0.at) }, restarts: restarts[name], rss: seen?.beat.rss,
                                      dataAges: seen?.beat.dataAges ?? [:])
        }
        return FleetHealth(plugins: plugins, btcAge: btcAge(now: now), booksAge: booksAge(now: now),
                           holds: holds.mapValues(\.reason), cascade: cascadeSince != nil, time: now.description)
    }

    static func text(_ seconds: Double) -> String { String(Double(Int((seconds * 10).rounded())) / 10) }
}

/// The holders this detector uses on `sys.control.trading`.
enum Holder {
    static let btc = "failure-detector.btc"
    static let books = "failure-detector.books"
    static let cascade = "failure-detector.cascade"
    static func plugin(_ name: String) -> String { "failure-detector.\(name)" }
}

extension BusTime {
    /// Seconds from `earlier` to this time.
    func seconds(since earlier: BusTime) -> Double { earlier.seconds(until: self) }
}
