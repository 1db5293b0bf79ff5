import Kalshi
import Money
import TradingWire

/// The trades against the venue, as `recio verify` reports them: every client order id once, every fill in a
/// trade, positions to the contract. Pure: the caller reads both sides.
public struct Verification: Codable, Sendable {
    /// Trades in the database.
    public var trades: Int
    /// Orders at the venue.
    public var venueOrders: Int
    /// Fills at the venue.
    public var venueFills: Int
    /// Client order ids the venue holds more than once.
    public var duplicateClientOrderIDs: [String]
    /// Venue fills whose order no trade knows.
    public var unmatchedFills: [String]
    /// Markets whose venue position differs from the trades': ticker → "trades X, venue Y".
    public var positionMismatches: [String: String]
    /// No difference of any kind.
    public var ok: Bool { duplicateClientOrderIDs.isEmpty && unmatchedFills.isEmpty && positionMismatches.isEmpty }

    /// Compares `trades` with the venue's `orders`, `fills` and `positions`.
    public init(trades: [TradeRecord], orders: [Order], fills: [Fill], positions: [MarketPosition]) {
        self.trades = trades.count
        venueOrders = orders.count
        venueFills = fills.count
        var seen: [String: Int] = [:]
        for o in orders { if let id = o.clientOrderId { seen[id, default: 0] += 1 } }
        duplicateClientOrderIDs = seen.filter { $0.value > 1 }.keys.sorted()
        let known = Set(trades.flatMap { [$0.entryOrderID, $0.closeOrderID].compactMap { $0 } })
        unmatchedFills = fills.filter { !known.contains($0.orderId) }.map { $0.tradeId ?? $0.fillId ?? $0.orderId }.sorted()
        let expected = Dictionary(grouping: trades.filter { $0.status.holdsPosition }, by: \.ticker)
            .mapValues { $0.reduce(Contracts.zero) { $0 + ($1.side == .yes ? $1.count : -$1.count) } }
        let held = Dictionary(positions.map { ($0.ticker, $0.positionFp ?? .zero) }, uniquingKeysWith: +)
        var mismatches: [String: String] = [:]
        for ticker in Set(expected.keys).union(held.keys) {
            let want = expected[ticker] ?? .zero, have = held[ticker] ?? .zero
            if want != have { mismatches[ticker] = "trades \(want), venue \(have)" }
        }
        positionMismatches = mismatches
    }

    /// The report as lines for a person, ending in OK or DIFFERENCES FOUND.
    public var text: String {
        var lines = ["trades \(trades), venue orders \(venueOrders), venue fills \(venueFills)"]
        lines.append(duplicateClientOrderIDs.isEmpty ? "client order ids: each once" : "DUPLICATE client order ids: \(duplicateClientOrderIDs)")
        lines.append(unmatchedFills.isEmpty ? "fills: every one in a trade" : "UNMATCHED fills: \(unmatchedFills)")
        lines.append(positionMismatches.isEmpty ? "positions: match to the contract"
                     : "POSITION mismatches: " + positionMismatches.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "; "))
        lines.append(ok ? "OK" : "DIFFERENCES FOUND")
        return lines.joined(separator: "\n")
    }
}
