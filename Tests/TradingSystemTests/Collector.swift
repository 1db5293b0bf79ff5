import BusKit
import BusWire
import Synchronization
import TradingWire

/// Keeps every envelope a subscription delivers, for a test to inspect.
final class Collector: Sendable {
    private let messages = Mutex<[Envelope]>([])
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// Starts collecting `subscription` in the background.
    init(_ subscription: Subscription) {
        let reader = Task { for await e in subscription { self.add(e) } }
        task.withLock { $0 = reader }
    }

    private func add(_ e: Envelope) { messages.withLock { $0.append(e) } }

    var all: [Envelope] { messages.withLock { $0 } }

    /// Every message on topics starting with `prefix`, decoded.
    func decoded<M: BusMessage>(_ type: M.Type, prefix: String) -> [M] {
        all.filter { $0.topic.hasPrefix(prefix) }.compactMap { try? $0.decode(M.self) }
    }

    /// The latest record of every trade, from `trade.update`.
    var trades: [String: TradeRecord] {
        var latest: [String: TradeRecord] = [:]
        for u in decoded(TradeUpdate.self, prefix: Topic.tradeUpdate.rawValue) { latest[u.trade.id] = u.trade }
        return latest
    }

    /// The latest `trade.state.open`.
    var openTrades: OpenTrades? { decoded(OpenTrades.self, prefix: Topic.openTrades.rawValue).last }

    /// Message counts by topic family and the trades' statuses, for progress lines.
    var summary: String {
        var counts: [String: Int] = [:]
        for e in all { counts[e.topic.split(separator: ".").prefix(2).joined(separator: "."), default: 0] += 1 }
        let trades = self.trades.values.map { "\($0.id.suffix(12)):\($0.status.rawValue)" }.sorted().joined(separator: " ")
        let last = decoded(OrderEvent.self, prefix: "order.event.").last.map { "\($0.outcome.rawValue) \($0.reason ?? "")" } ?? "-"
        let entry = decoded(RuntimeSettings.self, prefix: Topic.settings(plugin: "auto-entry").rawValue).last?.values
            .filter { $0.key.hasPrefix("status.") }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") ?? "-"
        let watch = decoded(Watchlist.self, prefix: "model.watchlist.").suffix(2).map { "\($0.eventTicker):\($0.rows.count)@\($0.ttcSeconds)s" }
        return counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            + " | trades: \(trades) | last event: \(last) | auto-entry: \(entry) | watchlists: \(watch)"
    }

    func stop() { task.withLock { $0?.cancel() } }
}
