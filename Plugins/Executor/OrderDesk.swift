import BusKit
import BusWire
import Kalshi
import Logging
import MarketWire
import Money
import TradingWire

/// Where orders go: Kalshi's REST API (sim, demo, prod) or nowhere (paper: fills computed against the live book).
public enum OrderVenue: Sendable {
    /// Real V2 orders through the connector.
    case kalshi(KalshiRESTClient)
    /// No orders leave the process.
    case paper
}

/// The executor's state and every decision's side effects: the journal, the risk gate, the trading holds, paper
/// books. One actor, so checks and reservations never interleave; intents may still run concurrently while one
/// waits on the venue, and a hold applied meanwhile stops every intent not yet sent.
actor OrderDesk {
    let journal: OrderJournal
    let venue: OrderVenue
    let mode: String
    let bus: any Bus
    let clock: any BusClock
    let logger: Logger
    var gate: RiskGate
    var holds: TradingHolds
    var paper = PaperBooks()
    /// Keys being worked on right now (sent, or being resolved): a repeat meanwhile is ignored.
    var working: Set<String> = []
    /// Answers published, by outcome; malformed messages.
    var answers: [OrderOutcome: Int] = [:]
    var malformed = 0
    /// Trading commands refused for their holder.
    var refusedCommands = 0
    /// The US Eastern day the daily-loss hold was placed on.
    var riskDay: String?
    /// How long an order not found by `client_order_id` may still be on its way before it is declared never placed.
    static let notFoundGrace = 30.0

    init(journal: OrderJournal, venue: OrderVenue, mode: String, settings: ExecutorSettings, bus: any Bus, clock: any BusClock,
         logger: Logger) {
        self.journal = journal; self.venue = venue; self.mode = mode; self.bus = bus; self.clock = clock; self.logger = logger
        gate = RiskGate(limits: settings.limits)
        holds = TradingHolds(requireReconciliation: settings.requireReconciliation, now: clock.now)
    }

    /// Start-up: entries never sent are dropped, the user's holds come back, the book of the last two days is
    /// rebuilt from the answers, and orders sent without an answer stay reserved until resolved.
    func start() async throws {
        let dropped = try await journal.dropReceived()
        holds.restore(try await journal.holds())
        for entry in try await journal.answered(since: clock.now.adding(seconds: -2 * 86_400)) {
            if let answer = entry.answer { gate.record(entry.intent, answer: answer, reserved: false, now: entry.updated) }
        }
        let unresolved = try await journal.unresolved()
        for entry in unresolved { gate.reserveInFlight(entry.intent, now: entry.updated) }
        checkDailyLoss()
        logger.info("executor journal opened", metadata: [
            "dropped_unsent": "\(dropped)", "unresolved": "\(unresolved.count)", "holds": "\(holds.commandHolds.map(\.holder))",
        ])
    }

    /// One intent: a repeat is answered from the journal; a new one is journaled, checked, sent once, answered.
    func handle(_ intent: OrderIntent) async {
        guard !intent.key.isEmpty, Topic.isWord(intent.source), !intent.ticker.isEmpty else {
            malformed += 1
            logger.warning("intent without a key, a usable source or a ticker ignored", metadata: ["key": "\(intent.key)", "source": "\(intent.source)"])
            return
        }
        guard !working.contains(intent.key) else { return }  // being sent or resolved: its answer will come
        working.insert(intent.key)
        defer { working.remove(intent.key) }
        let cid = VenueOrders.clientOrderID(for: intent.key)
        do {
            if let entry = try await journal.entry(intent.key) {
                if var answer = entry.answer {
                    answer.replayed = true
                    publish(.orderEvent(source: answer.source), answer)
                }
                return  // sent without an answer: the resolver will answer it
            }
            try await journal.insert(intent, clientOrderID: cid, at: clock.now)
        } catch {
            logger.error("journal unavailable: intent not acted on", metadata: ["key": "\(intent.key)", "error": "\(error)"])
            return
        }
        let order: OrderIntent
        switch gate.check(intent, trading: holds, now: clock.now) {
        case .failure(let rejection):
            logger.info("intent rejected", metadata: ["key": "\(intent.key)", "rule": "\(rejection.rule.rawValue)", "reason": "\(rejection.reason)"])
            await finish(intent, VenueOrders.event(intent, clientOrderID: cid, outcome: .rejected, orderID: nil,
                                                   reason: rejection.reason, mode: mode, now: clock.now), reserved: false)
            return
        case .success(let count): order = VenueOrders.order(intent, count: count)
        }
        if order.count < intent.count {
            logger.info("close capped at what is held", metadata: ["key": "\(intent.key)", "asked": "\(intent.count)", "sent": "\(order.count)"])
        }
        do { try await journal.markSent(order, at: clock.now) } catch {
            await finish(order, VenueOrders.event(order, clientOrderID: cid, outcome: .rejected, orderID: nil,
                                                   reason: "journal unavailable: \(error)", mode: mode, now: clock.now), reserved: true)
            return
        }
        guard holds.allows(order.purpose) else {  // a hold arrived while the journal was written: not sent
            await finish(order, VenueOrders.event(order, clientOrderID: cid, outcome: .rejected, orderID: nil,
                                                   reason: "trading became \(holds.mode.rawValue)\(holds.hard ? " (hard)" : "") before the order was sent (\(holds.holderSummary))",
                                                   mode: mode, now: clock.now), reserved: true)
            return
        }
        switch venue {
        case .paper: await paperFill(order, cid)
        case .kalshi(let rest): await send(order, cid, rest)
        }
    }

    /// Sends the one V2 order of `intent` and answers it; an unknown outcome is answered `error` and resolved later.
    private func send(_ intent: OrderIntent, _ cid: String, _ rest: KalshiRESTClient) async {
        let request = VenueOrders.request(for: intent, clientOrderID: cid)
        do {
            let response = try await rest.createOrder(request)
            var answer = VenueOrders.event(intent, clientOrderID: cid, response: response, mode: mode, now: clock.now)
            if answer.filledCount > .zero, answer.averagePrice == nil || answer.fees == nil,
               let order = try? await rest.order(clientOrderID: cid, ticker: intent.ticker),
               let read = VenueOrders.event(intent, clientOrderID: cid, order: order, mode: mode, now: clock.now) {
                answer = read  // a create answered from a read-back (409 after a retry) carries no prices: the order has them
            }
            await finish(intent, answer, reserved: true)
        } catch {
            if let answer = VenueOrders.event(intent, clientOrderID: cid, error: error, mode: mode, now: clock.now) {
                await finish(intent, answer, reserved: true)
            } else {
                logger.warning("order outcome unknown; resolving by client_order_id", metadata: ["key": "\(intent.key)", "error": "\(error)"])
                await finish(intent, VenueOrders.event(intent, clientOrderID: cid, outcome: .error, orderID: nil,
                                                       reason: "the venue did not answer (\(error)); resolving by client_order_id",
                                                       mode: mode, now: clock.now), reserved: true)
            }
        }
    }

    /// Paper: fills against the cached book, order ids `paper-<n>`, each fill also published as `venue.fill`.
    private func paperFill(_ intent: OrderIntent, _ cid: String) async {
        let (fill, why) = paper.fill(intent)
        let orderID: String
        do { orderID = "paper-\(try await journal.next("paper"))" } catch {
            await finish(intent, VenueOrders.event(intent, clientOrderID: cid, outcome: .rejected, orderID: nil,
                                                   reason: "journal unavailable: \(error)", mode: mode, now: clock.now), reserved: true)
            return
        }
        let now = clock.now
        guard let fill else {
            await finish(intent, VenueOrders.event(intent, clientOrderID: cid, outcome: .cancelled, orderID: orderID, reason: why,
                                                   mode: mode, now: now), reserved: true)
            return
        }
        let answer = VenueOrders.event(intent, clientOrderID: cid, outcome: VenueOrders.outcome(filled: fill.count, requested: intent.count),
                                       orderID: orderID, filled: fill.count, averagePrice: fill.price, fees: fill.fee, mode: mode, now: now)
        guard await finish(intent, answer, reserved: true) else { return }
        publish(.venueFill, VenueFill(fillID: "\(orderID)-1", orderID: orderID, ticker: intent.ticker, side: intent.side, action: "buy",
                                      count: fill.count, price: fill.price, fee: fill.fee, isTaker: true, ts: now.microseconds / 1_000_000))
    }

    /// Journals and publishes an answer; a final one trues up the risk gate. False when the journal refused it
    /// (then nothing is published: the resolver answers it later).
    @discardableResult
    func finish(_ intent: OrderIntent, _ answer: OrderEvent, reserved: Bool) async -> Bool {
        // In a task of its own: an answer the venue gave is journalled even while the plugin is being cancelled.
        let journal = self.journal, now = clock.now
        do { try await Task { try await journal.answer(answer, at: now) }.value } catch {
            logger.error("cannot journal an answer", metadata: ["key": "\(answer.key)", "error": "\(error)"])
            return false
        }
        if answer.outcome != .error {
            gate.record(intent, answer: answer, reserved: reserved, now: now)
            checkDailyLoss()
        }
        answers[answer.outcome, default: 0] += 1
        publish(.orderEvent(source: answer.source), answer)
        return true
    }

    /// Keeps a book for paper fills.
    func update(_ book: MarketTopOfBook) { paper.update(book) }

    func publish<M: BusMessage>(_ topic: Topic, _ message: M) {
        do { try bus.publish(topic, message) } catch {
            logger.error("cannot publish", metadata: ["topic": "\(topic)", "error": "\(error)"])
        }
    }
}
