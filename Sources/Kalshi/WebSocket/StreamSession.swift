import Logging
import Synchronization

/// A subscription the caller asked for, replayed on every connection.
struct Subscription: Sendable, Hashable {
    var channel: StreamChannel
    var marketTickers: [String]?
}

/// The state of one WebSocket connection: command ids, live subscriptions by `sid`, and the books.
///
/// Commands go out through `writer`; while disconnected they are not sent (the subscriptions are replayed on
/// the next connection, which starts `seq` and `sid` afresh).
struct Session {
    private var writer: AsyncStream<String>.Continuation?
    private var nextID = 1
    /// Live subscriptions by `sid`, to renew one whose snapshot request fails.
    private(set) var live: [Int: Subscription] = [:]
    /// The live `sid` of each channel.
    private(set) var sids: [StreamChannel: Int] = [:]
    private var pending: [Int: Subscription] = [:]
    /// `get_snapshot` commands in flight: command id → sid.
    private var snapshotRequests: [Int: Int] = [:]
    var books = OrderBookTracker()

    mutating func open(_ writer: AsyncStream<String>.Continuation) {
        self.writer = writer
        nextID = 1
        pending = [:]
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
        send(.subscribe(id: id, channels: [s.channel], marketTickers: s.marketTickers), logger: logger)
    }

    /// Sends `update_subscription` (`add_markets` / `delete_markets`) for a live channel; false when not live.
    mutating func update(_ channel: StreamChannel, action: String, marketTickers: [String], logger: Logger) -> Bool {
        guard writer != nil, let sid = sids[channel] else { return false }
        send(.updateSubscription(id: nextID, sid: sid, action: action, marketTickers: marketTickers), logger: logger)
        return true
    }

    /// Sends `unsubscribe` for a live channel and forgets its books.
    mutating func unsubscribe(_ channel: StreamChannel, logger: Logger) {
        guard let sid = sids.removeValue(forKey: channel) else { return }
        books.reset(sid: sid)
        live[sid] = nil
        send(.unsubscribe(id: nextID, sids: [sid]), logger: logger)
    }

    private mutating func send(_ command: StreamCommand, logger: Logger) {
        guard let writer else { return }
        nextID = max(nextID, command.id + 1)
        do { writer.yield(try command.text()) } catch {
            logger.error("cannot encode a Kalshi WebSocket command", metadata: ["error": "\(error)"])
        }
    }

    /// Applies one message; answers the book actions (re-snapshot requests are sent here).
    mutating func apply(_ message: StreamMessage, logger: Logger) -> [OrderBookTracker.Action] {
        var actions: [OrderBookTracker.Action]
        switch message {
        case .subscribed(let id, let channel, let sid):
            sids[StreamChannel(rawValue: channel)] = sid
            if let id, let s = pending.removeValue(forKey: id) { live[sid] = s }
            return []
        case .orderbookSnapshot(let sid, let seq, let snap):
            actions = books.applySnapshot(sid: sid, seq: seq, marketTicker: snap.marketTicker,
                                          yes: snap.yesDollarsFp ?? [], no: snap.noDollarsFp ?? [])
        case .orderbookDelta(let sid, let seq, let d):
            actions = books.applyDelta(sid: sid, seq: seq, marketTicker: d.marketTicker, side: d.side, price: d.priceDollars, delta: d.deltaFp)
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
