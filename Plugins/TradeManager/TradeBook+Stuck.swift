public import BusWire
import Money
public import TradingWire

extension TradeBook {
    /// The source of probe intents.
    public static let probeSource = "trade-manager"
    /// A probe's `expires_ts`: the first second of 1970, stale on any clock, so no probe is ever acted on.
    public static let probeExpiry: Int64 = 1

    /// Probes for trades waiting on an answer that may never come: a `pending` entry or a `closing` trade unchanged
    /// for `after` seconds (the intent was lost on its way, or the executor restarted before it acted). A probe
    /// repeats the waiting intent's key with an expiry already passed, so the executor answers it without placing
    /// an order: from its journal when it acted on the key (resolving an unknown outcome at the venue by
    /// `client_order_id` first), or refused as stale when it never received it, which it journals so the lost
    /// intent can never be acted on later. The answer moves the trade on: a refused close reopens the trade, a
    /// refused entry ends it. Each key is probed at most once every `after` seconds.
    public mutating func probes(now: BusTime, after: Double) -> [OrderIntent] {
        var out: [OrderIntent] = []
        probedAt = probedAt.filter { live.contains($0.key) }
        for t in liveTrades(where: { $0.record.status == .pending || $0.record.status == .closing }) {
            guard let changed = BusTime(rfc3339: Array(t.record.updatedTime.utf8)), changed.adding(seconds: after) <= now,
                probedAt[t.id].map({ $0.adding(seconds: after) <= now }) ?? true else { continue }
            let r = t.record, closing = r.status == .closing
            guard let key = closing ? t.closeKey : r.id else { continue }
            probedAt[t.id] = now
            out.append(OrderIntent(
                key: key, source: Self.probeSource, purpose: closing ? .close : .entry, tradeID: closing ? r.id : nil,
                ticker: r.ticker, eventTicker: r.eventTicker, side: closing ? r.side.opposite : r.side,
                count: closing ? r.count : r.requestedCount, limitPrice: Dollars(cents: 1), strategy: r.strategy, method: "probe",
                reason: "no answer for \(Int(after)) s: asking the executor what became of \(key)", createdTime: now.description,
                expiresTs: Self.probeExpiry))
        }
        return out
    }
}
