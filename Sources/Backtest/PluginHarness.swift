import AutoEntry
import BusKit
import BusWire
import Foundation
import Logging
import MarketWire
import Model
import Synchronization
import TradeManager
import TradeSupervisor
import TradingWire

/// The live plugins — model, auto-entry, trade-supervisor, trade-manager — running in this process over one
/// ``InMemoryBus`` on a ``TestClock`` the caller moves, with a venue standing in for the executor: it answers every
/// `order.intent.` on `order.event.<source>`. The trade manager's database and the runtime-settings files live in
/// a temporary folder, never in `$RECIO_HOME`.
public final class PluginHarness: Sendable {
    /// The bus every plugin is on.
    public let bus: InMemoryBus
    /// The clock every plugin reads.
    public let clock: TestClock
    let folder: String
    let tasks: Mutex<[Task<Void, Never>]> = Mutex([])
    let updates = Mutex<[String: TradeRecord]>([:])
    let order = Mutex<[String]>([])

    /// Answers an intent at a time, or nil to leave it unanswered.
    public typealias Venue = @Sendable (OrderIntent, BusTime) -> OrderEvent?

    /// Starts the four plugins from `sections` (`[plugin.model]`, `[plugin.auto-entry]`, `[plugin.trade-supervisor]`
    /// text; `settings_file` and `database` are set here) at `start`, with `venue` answering intents and `books`
    /// told every `market.book`. - Throws: ``BacktestError`` for bad sections.
    public init(sections: String, start: BusTime, venue: @escaping Venue, books: (@Sendable (MarketTopOfBook) -> Void)? = nil) throws(BacktestError) {
        clock = TestClock(start: start)
        bus = InMemoryBus(source: "harness@local", clock: clock)
        folder = NSTemporaryDirectory() + "recio-harness-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let text = Self.settingsFiles(sections, folder: folder) + "\n[plugin.trade-manager]\ndatabase = \(folder)/trades.sqlite\nopen_publish_interval = 5s\n"
        let keys = [ModelPlugin.name: ModelPlugin.configKeys, AutoEntry.name: AutoEntry.configKeys,
                    TradeSupervisor.name: TradeSupervisor.configKeys, TradeManager.name: TradeManager.configKeys]
        let configuration: BusConfiguration
        do { configuration = try BusConfiguration(file: ConfigFile(path: "harness.conf", text: text), pluginKeys: keys) } catch {
            throw BacktestError("harness configuration: \(error)")
        }
        let bus = self.bus, clock = self.clock
        func context(_ name: String) -> PluginContext {
            var logger = Logger(label: "harness.\(name)")
            logger.logLevel = .error
            return PluginContext(name: name, host: "local", configuration: configuration, bus: bus, clock: clock, health: Health(), logger: logger)
        }
        let plugins: [any Plugin]
        do {
            plugins = [try ModelPlugin(context: context(ModelPlugin.name)), try AutoEntry(context: context(AutoEntry.name)),
                       try TradeSupervisor(context: context(TradeSupervisor.name)), try TradeManager(context: context(TradeManager.name))]
        } catch { throw BacktestError("cannot start the plugins: \(error)") }
        let intents = bus.subscribe([.orderIntents, .marketBooks]), trades = bus.subscribe([TopicFilter(.tradeUpdate)])
        var started: [Task<Void, Never>] = plugins.map { p in Task { _ = try? await p.run() } }
        started.append(Task {
            for await e in intents {
                if e.type == MarketTopOfBook.typeName { if let b = try? e.decode(MarketTopOfBook.self) { books?(b) }; continue }
                guard let intent = try? e.decode(OrderIntent.self), let answer = venue(intent, clock.now) else { continue }
                try? bus.publish(.orderEvent(source: intent.source), answer)
            }
        })
        started.append(Task { [self] in
            for await e in trades {
                guard let u = try? e.decode(TradeUpdate.self) else { continue }
                order.withLock { if !$0.contains(u.trade.id) { $0.append(u.trade.id) } }
                updates.withLock { $0[u.trade.id] = u.trade }
            }
        })
        tasks.withLock { $0 = started }
    }

    /// `sections` with every plugin's `settings_file` pointed into `folder`.
    static func settingsFiles(_ sections: String, folder: String) -> String {
        var out: [String] = []
        for line in sections.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("settings_file") || t.hasPrefix("database") { continue }
            out.append(String(line))
            if t.hasPrefix("[plugin.auto-entry]") || t.hasPrefix("[plugin.trade-supervisor]") {
                out.append("settings_file = \(folder)/\(t.dropFirst(8).dropLast()).json")
            }
        }
        return out.joined(separator: "\n")
    }

    /// Publishes one feed input on its topic.
    public func publish(_ input: FeedInput) {
        switch input {
        case .series(let s): try? bus.publish(.marketSeries(s.series), s)
        case .event(let e): try? bus.publish(.marketEvent(e.eventTicker), e)
        case .book(let b): try? bus.publish(.marketBook(b.marketTicker), b)
        case .lifecycle(let l): try? bus.publish(.marketLifecycle(l.marketTicker), l)
        case .momentum(let m): try? bus.publish(.btcMomentum, m)
        case .tick(let t): try? bus.publish(.btcTick, t)
        }
    }

    /// Waits until the plugins are idle: every timer loop asleep and nothing published for `quietPolls` polls a
    /// millisecond apart (a trade-manager database write in flight publishes when it ends).
    public func settle(timers: Int = 4, quietPolls: Int = 8) async {
        var last = bus.counters.published, quiet = 0
        for _ in 0..<20_000 {
            for _ in 0..<4 { await Task.yield() }
            try? await Task.sleep(for: .milliseconds(1))
            let now = bus.counters.published
            if now == last && clock.sleeperCount >= timers { quiet += 1 } else { quiet = 0; last = now }
            if quiet >= quietPolls { return }
        }
        if ProcessInfo.processInfo.environment["RECIO_HARNESS_DEBUG"] != nil { print("settle gave up: sleepers \(clock.sleeperCount)") }
    }

    /// Moves the clock to `time` (never back) and lets the woken timers run.
    public func advance(to time: BusTime) async {
        let dt = clock.now.seconds(until: time)
        if dt > 0 { clock.advance(seconds: dt) }
        await settle()
    }

    /// Every trade the trade manager published, latest state, in order of first appearance.
    public var trades: [TradeRecord] {
        let ids = order.withLock { $0 }
        let all = updates.withLock { $0 }
        return ids.compactMap { all[$0] }
    }

    /// Stops every plugin and removes the temporary folder.
    public func stop() async {
        let list = tasks.withLock { $0 }
        list.forEach { $0.cancel() }
        bus.close(flushSeconds: 0)
        // Timer loops sleep on the test clock, which ignores cancellation: wake them so they see it.
        for _ in 0..<3 {
            clock.advance(seconds: 3_600)
            for _ in 0..<20 { await Task.yield() }
        }
        try? FileManager.default.removeItem(atPath: folder)
    }
}
