import Money
import BusKit
import BusWire
import Foundation
import Logging
import Synchronization
import TradingWire

/// The plugin's shared parts: the dashboard state, sessions, the login limiter, the browsers, the answers awaited
/// from the bus. Handlers and the bus loop meet here.
final class WebCore: Sendable {
    let settings: WebSettings
    let bus: any Bus
    let clock: any BusClock
    let logger: Logger
    let mode: RunMode
    let password: WebPassword?
    let policy: AuthPolicy
    let state = Mutex(DashboardState())
    let sessions: Mutex<SessionTable>
    let limiter: Mutex<LoginLimiter>
    let hub = PushHub()
    let orderAnswers = ReplyBox<OrderEvent>()
    let queryAnswers = ReplyBox<TradeQueryResult>()
    let accountAnswers = ReplyBox<AccountQueryResult>()
    /// The user's actions, appended to `audit_file`.
    let auditLog: AuditLog
    /// The buy size and display mode shared by the user's devices.
    let preferences: PreferenceStore
    /// Trades whose close this plugin is sending now: a second `POST /api/close` for one of them is refused.
    let closing = Mutex(Set<String>())
    private let coalescer: Mutex<PushCoalescer>
    private let flushScheduled = Atomic<Bool>(false)

    init(settings: WebSettings, bus: any Bus, clock: any BusClock, logger: Logger, mode: RunMode, password: WebPassword?) {
        self.settings = settings; self.bus = bus; self.clock = clock; self.logger = logger; self.mode = mode
        self.password = password
        policy = AuthPolicy(requiresLogin: settings.requiresLogin, publicName: settings.publicName, address: settings.address)
        sessions = Mutex(SessionTable(ttl: settings.sessionTTL))
        limiter = Mutex(LoginLimiter(maxFailures: settings.loginMaxFailures, window: settings.loginWindow))
        coalescer = Mutex(PushCoalescer(interval: settings.pushInterval))
        auditLog = AuditLog(path: settings.auditFile)
        preferences = PreferenceStore(path: settings.preferencesFile)
    }

    /// What the plugin subscribes to.
    static let filters: [TopicFilter] = [
        .btcPrice, .strikeTables, .watchlists, TopicFilter(.openTrades), TopicFilter(.supervisedTrades), TopicFilter(.tradeUpdate),
        TopicFilter(.tradeStats), TopicFilter(.tradeQueryReply(requester: "web")), .orderEvents, .account, .venue,
        .heartbeats, TopicFilter(.brokerStats), .launcherStatuses, .alerts, TopicFilter(.tradingState),
    ] + [(try? TopicFilter(validating: "settings.")).map { [$0] } ?? []].flatMap { $0 }

    /// Unix seconds now, on the plugin's clock.
    var nowSeconds: Double { Double(clock.now.microseconds) / 1e6 }

    /// Takes one envelope from the bus: answers go to their waiters, the rest into the state and out to browsers.
    func receive(_ e: Envelope) {
        if e.topic == Topic.orderEvent(source: "web").rawValue, let event = try? e.decode(OrderEvent.self) {
            orderAnswers.deliver(event.key, event)
        }
        if e.topic == Topic.accountQueryReply(requester: "web").rawValue {
            if let reply = try? e.decode(AccountQueryResult.self) { accountAnswers.deliver(reply.requestID, reply) }
            return
        }
        if e.topic == Topic.tradeQueryReply(requester: "web").rawValue {
            if let reply = try? e.decode(TradeQueryResult.self) { queryAnswers.deliver(reply.requestID, reply) }
            return
        }
        let now = clock.now
        let change = state.withLock { $0.apply(e, now: now) }
        switch change {
        case .state(let topic):
            if coalescer.withLock({ $0.offer(topic, now: now) }) { pushState(topic) } else { scheduleFlush() }
        case .event(let topic):
            if let m = state.withLock({ $0.recent[DashboardState.eventKind(topic) ?? ""]?.last }) {
                hub.broadcast(PushFrame.message("e", m))
            }
        case .none:
            break
        }
    }

    /// Pushes the latest value of `topic` (and the price history with each tick).
    private func pushState(_ topic: String) {
        guard let m = state.withLock({ $0.latest[topic] }) else { return }
        hub.broadcast(PushFrame.message("s", m))
    }

    /// Starts one flush task when none is waiting: it sleeps until the next coalesced push is due, pushes, and ends
    /// when nothing waits. No timer runs while nothing changes.
    private func scheduleFlush() {
        guard !flushScheduled.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Task {
            while true {
                let wait = coalescer.withLock { c in c.nextDue.map { clock.now.seconds(until: $0) } }
                guard let wait else { break }
                if wait > 0 { try? await clock.sleep(seconds: wait) }
                let due = coalescer.withLock { $0.due(now: clock.now) }
                for t in due { pushState(t) }
            }
            flushScheduled.store(false, ordering: .releasing)
            if coalescer.withLock({ $0.hasPending }) { scheduleFlush() }
        }
    }

    /// Everything a browser that just connected needs: hello, the price history, the preferences, every latest value,
    /// recent events.
    func snapshotFrames(csrf: String?) -> [String] {
        let s = state.withLock { $0 }
        var frames = [PushFrame.hello(mode: mode.rawValue, csrf: csrf, now: clock.now), PushFrame.history(s.prices), preferences.frame]
        frames += s.latest.values.sorted { $0.topic < $1.topic }.map { PushFrame.message("s", $0) }
        for kind in ["alert", "fill", "settlement", "order", "trade"] {
            frames += s.events(kind).suffix(50).map { PushFrame.message("e", $0, replay: true) }
        }
        return frames
    }

    /// The session of a request's cookie.
    func session(token: String?) -> WebSession? {
        let now = nowSeconds
        return sessions.withLock { $0.lookup(token, now: now) }
    }

    /// A new session.
    func newSession(authenticated: Bool) -> WebSession {
        let now = nowSeconds
        return sessions.withLock { $0.create(authenticated: authenticated, now: now) }
    }

    /// Publishes a message, logging a failure; true when it went out.
    @discardableResult
    func publish<M: BusMessage>(_ topic: Topic, _ message: M) -> Bool {
        do { try bus.publish(topic, message); return true } catch {
            logger.error("cannot publish \(topic): \(error)")
            return false
        }
    }
}
