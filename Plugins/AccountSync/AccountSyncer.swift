import BusKit
import BusWire
import Kalshi
import Logging
import MarketWire
import Money
import TradingWire

/// The account's state and what happens to it: REST catch-ups and WebSocket pushes go into the store, and what is
/// new is published once; positions and trades feed the ``Reconciler``, whose reports (and alerts) are published.
///
/// Pub/sub is at-most-once, so the stored venue orders, fills and settlements are published again (same topics;
/// receivers are idempotent) when the trade manager may have missed them: those of a market the reconciliation
/// finds in disagreement, before the confirming recheck, and those of the last `republish_window` when the trade
/// manager (re)appears (``TradeManagerWatch``), each at most once per `republish_interval`.
actor AccountSyncer {
    /// Seconds of overlap when reading fills and settlements incrementally (`min_ts`); the store drops repeats.
    static let overlap: Int64 = 300
    /// The most orders (and fills, and settlements) one republish sends.
    static let republishLimit = 500

    let rest: KalshiRESTClient
    let store: AccountStore
    let context: PluginContext
    let settings: AccountSyncSettings
    let recheck: AsyncStream<Double>.Continuation
    /// Asks the plugin to republish the recent window a little later (nil: at once, as tests do).
    let republishSoon: AsyncStream<Void>.Continuation?
    var reconciler: Reconciler
    var watch: TradeManagerWatch
    /// Malformed `trade.state.open` messages seen.
    private(set) var malformed = 0
    /// Venue messages published again, in all.
    private(set) var republished = 0

    init(rest: KalshiRESTClient, store: AccountStore, context: PluginContext, settings: AccountSyncSettings,
         recheck: AsyncStream<Double>.Continuation, republishSoon: AsyncStream<Void>.Continuation? = nil) {
        self.rest = rest; self.store = store; self.context = context; self.settings = settings; self.recheck = recheck
        self.republishSoon = republishSoon
        let s = settings
        reconciler = Reconciler(grace: s.inFlightGrace, recheckDelay: s.recheckDelay, republishInterval: s.republishInterval,
                                includes: { s.reconciles($0) })
        watch = TradeManagerWatch(silence: s.republishSilence, minInterval: s.republishInterval)
    }

    var now: BusTime { context.clock.now }

    // MARK: REST catch-up

    /// Reads `kinds` from the venue; answers the kinds that failed (to be retried).
    func catchUp(_ kinds: Set<RefreshKind>) async -> Set<RefreshKind> {
        var failed: Set<RefreshKind> = []
        var newOrderIDs: [String] = []
        if kinds.contains(.fills) {
            do { newOrderIDs = try await readFills() } catch { failed.insert(report(.fills, error)) }
        }
        if kinds.contains(.allOrders) {
            do { for o in try await rest.orders() { try await save(order: o) } } catch { failed.insert(report(.allOrders, error)) }
        } else if kinds.contains(.orders) || !newOrderIDs.isEmpty {
            do { try await readOrders(extra: newOrderIDs) } catch { failed.insert(report(.orders, error)) }
        }
        if kinds.contains(.settlements) {
            do { try await readSettlements() } catch { failed.insert(report(.settlements, error)) }
        }
        if kinds.contains(.positions) {
            do { try await readPositions() } catch { failed.insert(report(.positions, error)) }
        }
        if kinds.contains(.balance) {
            do { try await readBalance() } catch { failed.insert(report(.balance, error)) }
        }
        if failed.isEmpty {
            context.health.saw("venue", at: now)
            if context.health.current != .running { context.health.set(.running) }
        } else {
            context.health.set(.degraded, note: "cannot read \(failed.map { "\($0)" }.sorted().joined(separator: ", ")) from Kalshi")
        }
        if kinds.contains(.positions) && !failed.contains(.positions) { await reconcile() }
        return failed
    }

    /// Logs a failed read; answers its kind.
    private func report(_ kind: RefreshKind, _ error: any Error) -> RefreshKind {
        context.logger.warning("cannot read the Kalshi account", metadata: ["what": "\(kind)", "error": "\(error)"])
        return kind
    }

    /// New fills since the newest stored one (less an overlap); answers the order ids of new fills not stored.
    private func readFills() async throws -> [String] {
        let since = try await store.latestFillTs().map { $0 - Self.overlap }
        var unknown: [String] = []
        for f in try await rest.fills(minTs: since).compactMap(VenueMapping.fill).sorted(by: { $0.ts < $1.ts }) {
            guard try await save(fill: f) else { continue }
            if try await store.hasOrder(f.orderID) == false { unknown.append(f.orderID) }
        }
        return unknown
    }

    /// Resting orders, stored resting orders that are no longer resting, and the orders named in `extra`.
    private func readOrders(extra: [String]) async throws {
        let resting = try await rest.orders(status: .resting)
        for o in resting { try await save(order: o) }
        let seen = Set(resting.map(\.orderId))
        for id in Set(try await store.restingOrderIDs() + extra).subtracting(seen).sorted() {
            // One order Kalshi cannot answer for (gone, say) must not hold back the others; it is asked again next time.
            do { try await save(order: try await rest.order(id)) } catch is CancellationError { throw CancellationError() } catch {
                context.logger.warning("cannot read a Kalshi order", metadata: ["order.id": "\(id)", "error": "\(error)"])
            }
        }
    }

    private func readSettlements() async throws {
        let since = try await store.latestSettlementTs().map { $0 - Self.overlap }
        for s in try await rest.settlements(minTs: since).compactMap(VenueMapping.settlement).sorted(by: { $0.settledTs < $1.settledTs }) {
            try await save(settlement: s)
        }
    }

    private func readPositions() async throws {
        let positions = VenueMapping.positions(try await rest.positions())
        let time = now.description
        _ = try await store.replacePositions(positions, time: time)
        venuePositions(positions)
        publish(.accountPositions, AccountPositions(positions: positions, time: time))
    }

    /// A venue positions snapshot for the reconciliation.
    func venuePositions(_ positions: [VenuePosition]) { reconciler.venuePositions(positions) }

    private func readBalance() async throws {
        let balance = VenueMapping.balance(try await rest.balance(), mode: settings.mode.rawValue, time: now.description)
        _ = try await store.recordBalance(balance)
        publish(.accountBalance, balance)
    }

    // MARK: pushes and stored rows

    /// Stores a fill and publishes it when new; true when new.
    @discardableResult
    func save(fill: VenueFill) async throws -> Bool {
        guard try await store.insert(fill) else { return false }
        reconciler.sawFill(ticker: fill.ticker, now: now)
        publish(.venueFill, fill)
        return true
    }

    /// Stores a settlement and publishes it when new; true when new.
    @discardableResult
    func save(settlement: VenueSettlement) async throws -> Bool {
        guard try await store.insert(settlement) else { return false }
        reconciler.marketSettled(ticker: settlement.ticker)
        publish(.venueSettlement, settlement)
        return true
    }

    /// Stores an order and publishes it when new or changed.
    func save(order: Order) async throws {
        guard let update = VenueMapping.order(order) else { return }
        try await save(order: update)
    }

    /// Stores an order update and publishes it when new or changed.
    func save(order update: VenueOrderUpdate) async throws {
        if try await store.upsert(update) { publish(.venueOrder, update) }
    }

    /// Applies a WebSocket message; answers what it asks to be read again.
    func push(_ message: StreamMessage) async -> Set<RefreshKind> {
        do {
            switch message {
            case .fill(_, let f):
                guard let fill = VenueMapping.fill(f) else { return [.fills] }
                guard try await save(fill: fill) else { return [] }
                let known = try await store.hasOrder(fill.orderID)
                return known ? [.positions, .balance] : [.positions, .balance, .orders]
            case .userOrder(_, let o):
                guard let update = VenueMapping.order(o) else { return [.orders] }
                try await save(order: update)
                return []
            case .marketPosition:
                return [.positions, .balance, .settlements]
            default:
                return []
            }
        } catch {
            context.logger.warning("cannot store a Kalshi push", metadata: ["error": "\(error)"])
            return [.fills, .orders]
        }
    }

    // MARK: reconciliation

    /// A market lifecycle message: a determined or settled market is in flight until the venue pays it out.
    func lifecycle(_ envelope: Envelope) {
        guard let event = try? envelope.decode(MarketLifecycleEvent.self) else {
            malformed += 1
            context.logger.warning("malformed market.lifecycle", metadata: ["count": "\(malformed)"])
            return
        }
        if event.eventType == "determined" || event.eventType == "settled" { reconciler.marketDetermined(ticker: event.marketTicker, now: now) }
    }

    /// The trade manager's open trades; the first one may make the start-up check possible. When the trade manager
    /// appears, restarts or comes back after a silence, the recent venue messages are published again.
    func openTrades(_ envelope: Envelope) async {
        do {
            let open = try envelope.decode(OpenTrades.self)
            let wasReady = reconciler.isReady
            reconciler.openTrades(open)
            context.health.saw("trades", at: now)
            if watch.saw(src: envelope.src, seq: envelope.seq, now: now) {
                if let republishSoon { republishSoon.yield() } else { await republishRecent() }
            }
            if !wasReady && reconciler.isReady { await reconcile() }
        } catch {
            malformed += 1
            context.health.rejected(topic: envelope.topic, reason: "\(error)")
            context.logger.warning("malformed trade.state.open", metadata: ["count": "\(malformed)", "error": "\(error)"])
        }
    }

    /// One reconciliation: publishes its report (and an alert for a new failure), publishes again the venue
    /// messages of the markets it names, then schedules a recheck.
    func reconcile() async {
        let outcome = reconciler.check(now: now)
        if let report = outcome.report { publish(.reconciliation, report) }
        if outcome.alert, let report = outcome.report {
            let list = report.mismatches.map { "\($0.ticker): trades \($0.trades), venue \($0.venue)" }.joined(separator: "; ")
            context.logger.error("reconciliation failed", metadata: ["mismatches": "\(list)"])
            publish(.alert(source: "account-sync"), Alert(source: "account-sync", severity: .critical,
                                                         message: "positions disagree with the trades: \(list)", plugin: context.name))
        }
        for ticker in outcome.republish { await republish(ticker: ticker, why: "its positions disagree with the trades") }
        if let delay = outcome.recheckAfter { recheck.yield(delay) }
    }

    // MARK: republishing

    /// Publishes again the venue orders, fills and settlements of the last `republish_window`.
    func republishRecent() async { await republish(ticker: nil, why: "the trade manager appeared, restarted or came back") }

    /// Publishes again the stored venue orders, fills and settlements of `ticker` (of every market when nil)
    /// from the last `republish_window`, on their usual topics: orders and fills in the order they happened (an
    /// order before its fills of the same second, so an entry's fills come before its close), then settlements.
    func republish(ticker: String?, why: String) async {
        let recent: RecentVenue
        do { recent = try await store.recent(ticker: ticker, window: Int64(settings.republishWindow), limit: Self.republishLimit) } catch {
            context.logger.warning("cannot read the venue messages to publish again", metadata: ["error": "\(error)"])
            return
        }
        guard !recent.isEmpty else { return }
        var fills = recent.fills[...]
        for o in recent.orders {
            while let f = fills.first, f.ts < o.ts {
                publish(.venueFill, f)
                fills = fills.dropFirst()
            }
            publish(.venueOrder, o)
        }
        for f in fills { publish(.venueFill, f) }
        for s in recent.settlements { publish(.venueSettlement, s) }
        republished += recent.orders.count + recent.fills.count + recent.settlements.count
        context.logger.info("venue messages published again", metadata: [
            "market": "\(ticker ?? "*")", "why": "\(why)", "orders": "\(recent.orders.count)", "fills": "\(recent.fills.count)",
            "settlements": "\(recent.settlements.count)",
        ])
    }

    func publish<M: BusMessage>(_ topic: Topic, _ message: M) {
        do { try context.bus.publish(topic, message) } catch {
            context.logger.error("cannot publish", metadata: ["topic": "\(topic)", "error": "\(error)"])
        }
    }
}
