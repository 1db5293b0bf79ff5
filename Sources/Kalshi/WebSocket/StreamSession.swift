import Logging
import Money
import Synchronization

/// A subscription the caller asked for, replayed on every connection.
struct Subscription: Sendable, Hashable {
    var channel: StreamChannel
    var marketTickers: [String]?
}

/// The state of one WebSocket connection: command ids, live subscriptions by `sid`, and the books.
///
/// Commands go out through `writer`; while disconnected they are not sent (the subscriptions are replayed on
/// the next connection, which starts `seq` and `sid` afresh). Market changes asked for while a channel's
/// `subscribe` is unanswered wait for its `sid`, then go out as `update_subscription`.
struct Session {
    private var writer: AsyncStream<String>.Continuation?
    private var nextID = 1
    /// Live subscriptions by `sid`, to renew one whose snapshot request fails.
    private(set) var live: [Int: Subscription] = [:]
    /// The live `sid` of each channel.
    private(set) var sids: [StreamChannel: Int] = [:]
    /// `subscribe` commands in flight: command id → subscription.
    private var pending: [Int: Subscription] = [:]
    /// `update_subscription` actions waiting for the `sid` of an in-flight `subscribe`: command id → actions.
    private var queued: [Int: [(action: String, marketTickers: [String])]] = [:]
    /// `get_snapshot` commands in flight: command id → sid.
    private var snapshotRequests: [Int: Int] = [:]
    var books = OrderBookTracker()
    /// Whether `orderbook_delta` is subscribed with `use_yes_price` true (NO-side prices arrive on the YES leg).
    var useYesPrice = true

    mutating func open(_ writer: AsyncStream<String>.Continuation) {
        self.writer = writer
        nextID = 1
        pending = [:]
        queued = [:]
        live = [:]
        sids = [:]
        snapshotRequests = [:]
    }

    mutating func close() {
        writer?.finish()
        writer = nil
    }

    /// Sends `subscribe` for `s` when connected.
    mutating func send(_ s: Subscription, logger: Logger) {
        guard writer != nil else { return }
        let id = nextID
        pending[id] = s
        send(.subscribe(id: id, channels: [s.channel], marketTickers: s.marketTickers,
                        useYesPrice: s.channel == .orderbookDelta ? useYesPrice : nil), logger: logger)
    }

    /// Sends `update_subscription` (`add_markets` / `delete_markets`) for a live channel, or queues it until the
    /// `sid` of the channel's unanswered `subscribe` is known; false when neither (or disconnected).
    mutating func update(_ channel: StreamChannel, action: String, marketTickers: [String], logger: Logger) -> Bool {
        guard writer != nil else { return false }
        guard let sid = sids[channel] else {
            guard let id = pending.filter({ $0.value.channel == channel }).keys.max() else { return false }
            queued[id, default: []].append((action, marketTickers))
            return true
        }
        send(update: action, marketTickers: marketTickers, sid: sid, logger: logger)
        return true
    }

    /// Sends `update_subscription` and keeps the live subscription's markets in step (a renewal resubscribes them).
    private mutating func send(update action: String, marketTickers: [String], sid: Int, logger: Logger) {
        switch action {
        case "add_markets":
            let held = live[sid]?.marketTickers ?? []
            live[sid]?.marketTickers = held + marketTickers.filter { !held.contains($0) }
        case "delete_markets":
            let held = live[sid]?.marketTickers
            live[sid]?.marketTickers = held?.filter { !marketTickers.contains($0) }
        default: break
        }
        send(.updateSubscription(id: nextID, sid: sid, action: action, marketTickers: marketTickers), logger: logger)
    }

    /// Sends `unsubscribe` for a live channel and forgets its books.
    mutating func unsubscribe(_ channel: StreamChannel, logger: Logger) {
        guard let sid = sids.removeValue(forKey: channel) else { return }
        books.reset(sid: sid)
        live[sid] = nil
        send(.unsubscribe(id: nextID, sids: [sid]), logger: logger)
    }

    /// A NO-side book price as the NO leg's own price, whichever convention the subscription asked for.
    private func noLegPrice(_ p: Dollars) -> Dollars { useYesPrice ? Dollars(cents: 100) - p : p }

    private mutating func send(_ command: StreamCommand, logger: Logger) {
        guard let writer else { return }
        nextID = max(nextID, command.id + 1)
        do { writer.yield(try command.text()) } catch {
            logger.error("cannot encode a Kalshi WebSocket command", metadata: ["error": "\(error)"])
        }
    }

    /// Applies one message; answers the book actions (re-snapshot requests are sent here). `seq` is the frame's
    /// own, for the messages whose case does not carry it (`ok`).
    mutating func apply(_ message: StreamMessage, seq: Int? = nil, logger: Logger) -> [OrderBookTracker.Action] {
        var actions: [OrderBookTracker.Action]
        switch message {
        case .ok(_, let sid?, _) where seq != nil && live[sid]?.channel == .orderbookDelta:
            actions = books.applySequence(sid: sid, seq: seq!)
        case .subscribed(let id, let channel, let sid):
            sids[StreamChannel(rawValue: channel)] = sid
            if let id, let s = pending.removeValue(forKey: id) {
                live[sid] = s
                for q in queued.removeValue(forKey: id) ?? [] { send(update: q.action, marketTickers: q.marketTickers, sid: sid, logger: logger) }
            }
            return []
        case .orderbookSnapshot(let sid, let seq, let snap):
            let no = (snap.noDollarsFp ?? []).map { PriceLevel(price: noLegPrice($0.price), count: $0.count) }
            actions = books.applySnapshot(sid: sid, seq: seq, marketTicker: snap.marketTicker, yes: snap.yesDollarsFp ?? [], no: no)
        case .orderbookDelta(let sid, let seq, let d):
            let price = d.side == .no ? noLegPrice(d.priceDollars) : d.priceDollars
            actions = books.applyDelta(sid: sid, seq: seq, marketTicker: d.marketTicker, side: d.side, price: price, delta: d.deltaFp)
        case .error(let id, let code, let text):
            logger.warning("Kalshi WebSocket command failed", metadata: ["command.id": "\(id ?? 0)", "code": "\(code ?? 0)", "message": "\(text)"])
            if let id, let sid = snapshotRequests.removeValue(forKey: id) { renew(sid, logger: logger) }
            return []
        default:
            return []
        }
        for case .resnapshot(let sid, let tickers) in actions {
            logger.info("order book gap; asking for snapshots", metadata: ["sid": "\(sid)", "markets": "\(tickers)"])
            snapshotRequests[nextID] = sid
            send(.updateSubscription(id: nextID, sid: sid, action: "get_snapshot", marketTickers: tickers), logger: logger)
        }
        return actions
    }

    /// Replaces a subscription whose snapshots cannot be had otherwise: unsubscribe, then subscribe again (the
    /// new subscription starts with fresh snapshots).
    private mutating func renew(_ sid: Int, logger: Logger) {
        guard let s = live.removeValue(forKey: sid) else { return }
        logger.info("renewing a Kalshi subscription for fresh snapshots", metadata: ["sid": "\(sid)", "channel": "\(s.channel)"])
        if sids[s.channel] == sid { sids[s.channel] = nil }
        books.reset(sid: sid)
        send(.unsubscribe(id: nextID, sids: [sid]), logger: logger)
        send(s, logger: logger)
    }
}

/// A flag set from the WebSocket handler and read after it returns.
final class ReceivedFlag: Sendable {
    private let flag = Mutex(false)
    func set() { flag.withLock { $0 = true } }
    var value: Bool { flag.withLock { $0 } }
}
