import AutoEntry
import BusKit
public import BusTools
import BusWire
import Executor
import Fleet
import Foundation
import MarketFeed
import MarketWire
import Model
import Logging
import Money
import Synchronization
import TradingWire

/// `recio bench pipeline`: how long a BTC tick takes to become an order.
///
/// The decision path runs as it does in production: market-feed (books from the simulator), model, auto-entry and
/// executor are separate processes started by `recio up`, on a real broker, against the simulator at real speed
/// (the broker and the simulator live in the benchmark's process, so that it sees each order arrive at the
/// simulator's HTTP server). The benchmark publishes each tick itself, as the price feed would, and times (1) the
/// auto-entry intent that tick causes reaching a subscriber, and (2) the executor's order reaching the simulator.
/// The baseline is one bus hop (publish → subscriber) on the same broker in the same run. The publishing timestamps
/// of the tick, the model's watchlist and the intent, and the order's arrival on the same clock, split each decision
/// into its stages (see ``Stages``).
public struct PipelineBench: Benchmark {
    public let name = "pipeline"
    /// Measured decisions (after `warmUp`).
    public var decisions = 1_000
    public var warmUp = 50
    /// Least time between two ticks (default 150 ms). Kalshi's Basic tier refills the write bucket for 10 orders a
    /// second and the executor's client keeps to it: ticks closer than 100 ms would time the wait for a token.
    public var spacing: Duration = .milliseconds(150)

    public init() {}

    public func run(_ context: BenchContext) async throws -> [BenchFigure] {
        let arrivals = Arrivals()
        var options = FleetOptions()
        options.speed = 1
        if ProcessInfo.processInfo.environment["RECIO_BENCH_VERBOSE"] != nil { options.logLevel = .info }
        options.exchange.initialBalance = Dollars(cents: 1_000_000_000)
        options.observeRequest = { method, path in
            if method == "POST" && (path.hasSuffix("/portfolio/orders") || path.hasSuffix("/portfolio/events/orders")) { arrivals.record() }
        }
        options.sections = [
            // One entry per tick (the best row; the others wait on max_open_positions), so one order per decision.
            "plugin.auto-entry": [
                "auto_entry": "true", "min_time": "0", "max_time": "3600", "min_probability": "50", "min_edge": "-100",
                "cooldown": "0", "allow_re_entry": "true", "max_open_positions": "1", "position_size": "1",
                "max_risk_per_event": "100000000", "max_risk_per_hour": "100000000", "spike_alert_enabled": "false",
            ],
            // Tables follow the ticks only: a table the model rebuilt for a book change between two ticks would carry the
            // previous tick's price and could take the strike the next tick was meant to decide on.
            "plugin.model": ["watchlist_min_volume": "0", "min_probability": "50", "min_edge": "-0.50", "book_interval": "60"],
            "plugin.executor": [
                "require_reconciliation": "false", "orders_per_minute": "10000", "max_market_contracts": "1000000",
                "max_event_cost": "100000000",
            ],
        ]
        let decisions = self.decisions, warmUp = self.warmUp, spacing = self.spacing
        // The plugins' processes follow the simulator's clock (the file in their $RECIO_HOME); the broker is the
        // fleet's, so `recio up` starts none.
        options.sections["bus"] = ["clock": "simulator", "broker_host": "bench", "heartbeat_interval": "1s"]
        return try await Fleet.run(options) { fleet in
            let plugins: Set<String> = [MarketFeed.name, ModelPlugin.name, AutoEntry.name, Executor.name]
            try fleet.writeClockFile(to: SimulatorClockFile.defaultPath(home: fleet.home))
            let config = fleet.home + "/bus.conf"
            try fleet.configurationText(plugins: plugins).write(toFile: config, atomically: true, encoding: .utf8)
            // The model says `running` at its first tick, which the benchmark sends: the others are waited for.
            let watcher = try HeartbeatWatcher(bus: fleet.busOptions, expected: plugins.subtracting([ModelPlugin.name]))
            let up = try context.processes.spawn([context.executable, "up", "--config", config], guardedBy: context.executable,
                                                 environment: ["RECIO_HOME": fleet.home], graceSeconds: 60)
            defer { context.processes.stop(up, graceSeconds: 65) }
            guard await watcher.allRunning(within: .seconds(60)) != nil else {
                throw BenchFailure("pipeline: not every plugin reported running within 60 s; missing: \(watcher.missing.sorted().joined(separator: ", "))")
            }
            watcher.close()
            // The ticks carry the plugins' own clock (the clock file's, to the microsecond), so that stage times are
            // differences of publishing timestamps read from one clock.
            let feed = try ZMQBus(source: "price-feed@bench", options: fleet.busOptions, clock: fleet.fileClock)
            arrivals.stamp(with: fleet.fileClock)
            let owner = try fleet.connect(as: "trade-manager@bench")
            let tap = try fleet.connect(as: "bench@bench")
            defer { feed.close(flushSeconds: 0); owner.close(flushSeconds: 0); tap.close(flushSeconds: 0) }
            let received = Mutex<[(instant: ContinuousClock.Instant, envelope: Envelope)]>([])
            let answered = Mutex<Set<String>>([])
            let reader = Task {
                for await e in tap.subscribe([.orderIntents, TopicFilter(Topic.btcTick), .watchlists, .orderEvents(source: AutoEntry.name),
                                              TopicFilter(Topic.settings(plugin: AutoEntry.name))]) {
                    if e.type == OrderEvent.typeName {
                        if let key = try? e.decode(OrderEvent.self).key { _ = answered.withLock { $0.insert(key) } }
                        continue
                    }
                    let now = ContinuousClock.now
                    received.withLock { $0.append((now, e)) }
                }
            }
            defer { reader.cancel() }
            _ = await feed.waitUntilConnected(timeoutSeconds: 5)
            _ = await tap.waitUntilConnected(timeoutSeconds: 5)
            // What the trade manager and account sync would say: nothing open, plenty of cash.
            try owner.publish(.openTrades, OpenTrades(trades: [], time: fleet.clock.now.description))
            try owner.publish(.accountBalance, AccountBalance(balance: Dollars(cents: 1_000_000_000), portfolioValue: nil, mode: "sim",
                                                              time: fleet.clock.now.description))

            var toIntent: [Double] = [], toVenue: [Double] = [], hop: [Double] = [], stages = Stages()
            var lastStatus: Envelope?, watchlists = 0
            var made: [OrderIntent] = [], madeKeys: Set<String> = []
            var attempt = 0
            var lastTick: ContinuousClock.Instant?
            context.log("pipeline: waiting for books, then \(warmUp) + \(decisions) decisions")
            while toIntent.count < warmUp + decisions && attempt < 20 * (warmUp + decisions) {
                attempt += 1
                if attempt % 10 == 1 {
                    let reason = (try? lastStatus?.decode(RuntimeSettings.self))?.values["status.reason"] ?? "unknown"
                    context.log("pipeline: tick \(attempt), \(toIntent.count) decisions, \(watchlists) watchlists, \(made.count) intents (last at \(made.last?.btcPrice.map { "\($0)" } ?? "-")), auto-entry: \(reason)")
                }
                // Prices walk a cent at a time around $100,000 so that every tick is new and the table barely moves.
                let price = Dollars(cents: 10_000_000 + Int64(attempt % 200) - 100)
                let ordersBefore = arrivals.count
                let leftovers = received.withLock { r in r.filter { $0.envelope.topic.hasPrefix("order.intent.") } }
                for (_, e) in leftovers {
                    if let intent = try? e.decode(OrderIntent.self), !madeKeys.contains(intent.key) {
                        madeKeys.insert(intent.key)
                        made.append(intent)
                    }
                }
                if !leftovers.isEmpty {
                    made = Array(made.suffix(100))
                    try owner.publish(.openTrades, OpenTrades(trades: made.map(Self.finished), time: fleet.clock.now.description))
                }
                received.withLock { r in
                    if let status = r.last(where: { $0.envelope.topic.hasPrefix("settings.") }) { lastStatus = status.envelope }
                    watchlists += r.filter { $0.envelope.topic.hasPrefix("model.watchlist.") }.count
                    r.removeAll()
                }
                if let last = lastTick, ContinuousClock.now < last + spacing { try? await Task.sleep(until: last + spacing) }
                let start = ContinuousClock.now
                lastTick = start
                try feed.publish(.btcTick, BTCTick(product: "BTC-USD", price: price, bestBid: price, bestAsk: price + Dollars(cents: 1),
                                                   time: fleet.clock.now.description, tradeID: Int64(attempt), source: "bench"))
                var tickAt: ContinuousClock.Instant?, intentAt: ContinuousClock.Instant?, intentKey: String?
                // When each stage published, from the envelopes' own timestamps (every process reads the same clock file).
                var tickTs: BusTime?, watchlistTs: BusTime?, intentTs: BusTime?
                let deadline = start.advanced(by: .seconds(toIntent.isEmpty ? 1 : 2))
                // Each message is decoded once: this process shares the two cores with the fleet it measures.
                var looked = 0
                while intentAt == nil && ContinuousClock.now < deadline {
                    let new = received.withLock { r in r[looked...] }
                    looked += new.count
                    for (instant, e) in new {
                        if e.topic.hasPrefix("order.intent."), let intent = try? e.decode(OrderIntent.self) {
                            if madeKeys.insert(intent.key).inserted { made.append(intent) }
                            if intentAt == nil, intent.btcPrice == price {
                                intentAt = instant
                                intentKey = intent.key
                                intentTs = e.ts
                            }
                        } else if tickAt == nil, e.topic == Topic.btcTick.rawValue, (try? e.decode(BTCTick.self))?.tradeID == Int64(attempt) {
                            tickAt = instant
                            tickTs = e.ts
                        } else if watchlistTs == nil, e.topic.hasPrefix("model.watchlist."), (try? e.decode(Watchlist.self))?.btcPrice == price {
                            watchlistTs = e.ts
                        }
                    }
                    if intentAt == nil { try? await Task.sleep(for: .microseconds(500)) }
                }
                guard let intentAt else {
                    if toIntent.isEmpty && attempt >= 30 {
                        let reason = (try? lastStatus?.decode(RuntimeSettings.self))?.values["status.reason"] ?? "unknown"
                        throw BenchFailure("pipeline: no order intent after \(attempt) ticks; \(watchlists) watchlists seen; auto-entry: \(reason)")
                    }
                    continue
                }
                toIntent.append(micros(intentAt - start))
                if let tickAt { hop.append(micros(tickAt - start)) }
                if let tickTs, let watchlistTs, let intentTs { stages.add(tick: tickTs, watchlist: watchlistTs, intent: intentTs) }
                if let venue = await arrivals.first(after: ordersBefore, within: .seconds(2)) {
                    toVenue.append(micros(venue - start))
                    if let intentTs, let at = arrivals.stamp(ordersBefore) { stages.executor.append(Double(at.microseconds - intentTs.microseconds)) }
                }
                // Auto-entry holds a strike while its order is unanswered: the next tick waits for the executor's answer, so
                // that each decision is timed from a standing start rather than behind the previous order's round trip.
                let answerDeadline = ContinuousClock.now.advanced(by: .seconds(2))
                while let key = intentKey, !answered.withLock({ $0.contains(key) }), ContinuousClock.now < answerDeadline {
                    try? await Task.sleep(for: .microseconds(500))
                }
                // Standing in for the trade manager, after the answer: every trade is over at once, so the next tick may
                // enter the same strike again.
                made = Array(made.suffix(100))
                try owner.publish(.openTrades, OpenTrades(trades: made.map(Self.finished), time: fleet.clock.now.description))
            }
            guard toIntent.count > warmUp else { throw BenchFailure("pipeline: no order intents after \(attempt) ticks") }
            let measured = (Array(toIntent.dropFirst(warmUp)), Array(toVenue.dropFirst(min(warmUp, toVenue.count))), Array(hop.dropFirst(warmUp)))
            return Self.figures(intent: measured.0, venue: measured.1, hop: measured.2) + stages.figures(droppingFirst: warmUp)
        }
    }

    /// A closed trade for an entry intent.
    static func finished(_ i: OrderIntent) -> TradeRecord {
        TradeRecord(id: i.key, status: .closed, ticker: i.ticker, eventTicker: i.eventTicker, strike: i.strike, side: i.side,
                    requestedCount: i.count, count: i.count, entryPrice: i.limitPrice, entryFees: .zero, entryOrderID: nil, closeOrderID: nil,
                    closePrice: nil, closeFees: .zero, exitValue: nil, pnl: .zero, result: .draw, strategy: i.strategy, entryMethod: i.method,
                    closeMethod: "bench", probability: i.probability, edge: i.edge, btcAtEntry: i.btcPrice, btcAtClose: nil,
                    momentum: i.momentum, closeTs: nil, enteredTs: 0, finishedTs: 0, note: nil, updatedTime: i.createdTime)
    }

    static func figures(intent: [Double], venue: [Double], hop: [Double]) -> [BenchFigure] {
        let i = intent.sorted(), v = venue.sorted(), h = hop.sorted()
        let hop50 = quantile(h, 0.5), hop99 = quantile(h, 0.99)
        let note = "\(i.count) decisions; baseline = one bus hop"
        return [
            BenchFigure(name: "tick -> intent p50", runs: [quantile(i, 0.5)], unit: "us", baseline: hop50, baselineName: "hop", note: note),
            BenchFigure(name: "tick -> intent p99", runs: [quantile(i, 0.99)], unit: "us", baseline: hop99, baselineName: "hop",
                        target: .below(5_000), note: note),
            BenchFigure(name: "tick -> venue p50", runs: [quantile(v, 0.5)], unit: "us", baseline: hop50, baselineName: "hop",
                        note: "\(v.count) orders at the simulator"),
            BenchFigure(name: "tick -> venue p99", runs: [quantile(v, 0.99)], unit: "us", baseline: hop99, baselineName: "hop",
                        target: .below(20_000), note: "\(v.count) orders at the simulator"),
        ]
    }
}

/// Where a decision's time goes, from the publishing timestamps of the tick, the model's watchlist and
/// auto-entry's intent, and the order's arrival at the simulator on the same clock: the model's stage (one hop in,
/// the table built, its watchlist published), auto-entry's (one hop in, the decision, the intent published) and the
/// executor's (one hop in, checks, journal, signing, the HTTP request read). No targets: they say which stage makes
/// the end-to-end figures.
struct Stages {
    var published: [Double] = [], model: [Double] = [], autoEntry: [Double] = [], executor: [Double] = []

    mutating func add(tick: BusTime, watchlist: BusTime, intent: BusTime) {
        published.append(Double(intent.microseconds - tick.microseconds))
        model.append(Double(watchlist.microseconds - tick.microseconds))
        autoEntry.append(Double(intent.microseconds - watchlist.microseconds))
    }

    func figures(droppingFirst warmUp: Int) -> [BenchFigure] {
        let note = "publish timestamps; \(max(published.count - warmUp, 0)) decisions"
        let stages = [("tick -> intent published", published), ("model stage", model), ("auto-entry stage", autoEntry),
                      ("executor stage", executor)]
        return stages.flatMap { name, all in
            let v = Array(all.dropFirst(warmUp)).sorted()
            return [BenchFigure(name: "\(name) p50", runs: [quantile(v, 0.5)], unit: "us", note: note),
                    BenchFigure(name: "\(name) p99", runs: [quantile(v, 0.99)], unit: "us", note: note)]
        }
    }
}

/// A duration in microseconds.
func micros(_ d: Duration) -> Double { Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12 }

/// A benchmark that could not measure.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// When orders reached the simulator.
final class Arrivals: Sendable {
    private let times = Mutex<[ContinuousClock.Instant]>([])
    private let stamps = Mutex<(clock: ScaledBusClock?, at: [Int: BusTime])>((nil, [:]))
    /// Arrivals are also stamped on `clock` (the plugins' clock), to compare with the intents' publishing times.
    func stamp(with clock: ScaledBusClock) { stamps.withLock { $0.clock = clock } }
    func record() {
        let index = times.withLock { $0.append(.now); return $0.count - 1 }
        stamps.withLock { s in if let now = s.clock?.now { s.at[index] = now } }
    }
    /// The plugins' clock when arrival `index` came, if it was stamped.
    func stamp(_ index: Int) -> BusTime? { stamps.withLock { $0.at[index] } }
    var count: Int { times.withLock { $0.count } }
    /// The arrival with index `index`, waiting for it at most `limit`.
    func first(after index: Int, within limit: Duration) async -> ContinuousClock.Instant? {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while ContinuousClock.now < deadline {
            if let t = times.withLock({ $0.count > index ? $0[index] : nil }) { return t }
            try? await Task.sleep(for: .microseconds(200))
        }
        return nil
    }
}
