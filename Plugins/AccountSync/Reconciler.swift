import BusWire
import Money
import TradingWire

/// Compares the positions the trades claim with the venue's, as a pure state machine (the clock is passed in).
///
/// The expected signed position of a market is the sum of the `count` of every trade that holds a position
/// (status open, closing, expired or pending): YES positive, NO negative. Until both a venue snapshot and the first
/// `trade.state.open` are seen, a check reports `pending`. A disagreeing market is failed only when it disagrees on
/// two consecutive checks and is not in flight (a pending or closing trade on it, or a fill seen within `grace`
/// seconds, or a market determined but not yet settled at the venue, for at most `settlingGrace` seconds); otherwise
/// it is rechecked after `recheckDelay`. Reports are `startup` until the first `passed`.
public struct Reconciler: Sendable {
    /// What one check decided.
    public struct Outcome: Sendable, Hashable {
        /// The report to publish; nil when the check is inconclusive and the last report stands.
        public var report: ReconciliationReport?
        /// When set, check again after this many seconds (a market disagreed once or is in flight).
        public var recheckAfter: Double?
        /// True when this report is a failure whose mismatches differ from the last alert's: raise an alert.
        public var alert: Bool
    }

    /// Seconds a fill keeps its market in flight.
    public let grace: Double
    /// Seconds before a recheck.
    public let recheckDelay: Double
    /// Seconds a determined market may wait for the venue's settlement before its positions count again.
    public let settlingGrace: Double
    /// Markets whose venue positions are compared (trades' markets always are).
    let includes: @Sendable (String) -> Bool
    /// Markets whose result is known (the trades are settled) while the venue still shows the position.
    private var settling: [String: BusTime] = [:]

    private var venue: [String: Contracts]?
    private var trades: [TradeRecord]?
    private var lastFill: [String: BusTime] = [:]
    /// Markets that disagreed (not in flight) on the last check.
    private var suspects: Set<String> = []
    private var passedOnce = false
    private var alerted: [ReconciliationReport.Mismatch]?

    /// A reconciler; `includes` says which venue markets take part (every one by default).
    public init(grace: Double = 5, recheckDelay: Double = 5, settlingGrace: Double = 1_800,
                includes: @escaping @Sendable (String) -> Bool = { _ in true }) {
        self.grace = grace; self.recheckDelay = recheckDelay; self.settlingGrace = settlingGrace; self.includes = includes
    }

    /// The market's result is known (`market.lifecycle` determined or settled): until the venue pays it out, its
    /// position is in flight.
    public mutating func marketDetermined(ticker: String, now: BusTime) { if settling[ticker] == nil { settling[ticker] = now } }

    /// The venue settled the market: its position counts again.
    public mutating func marketSettled(ticker: String) { settling[ticker] = nil }

    /// Whether both inputs have been seen.
    public var isReady: Bool { venue != nil && trades != nil }

    /// A venue positions snapshot (replaces the last one).
    public mutating func venuePositions(_ positions: [VenuePosition]) {
        var map: [String: Contracts] = [:]
        for p in positions where includes(p.ticker) { map[p.ticker, default: .zero] = map[p.ticker, default: .zero] + p.position }
        venue = map.filter { $0.value != .zero }
    }

    /// The trade manager's open trades (replaces the last ones).
    public mutating func openTrades(_ open: OpenTrades) { trades = open.trades }

    /// A fill on `ticker` was seen at `now`.
    public mutating func sawFill(ticker: String, now: BusTime) { lastFill[ticker] = now }

    /// The signed position each market should have according to the trades.
    public static func expected(_ trades: [TradeRecord]) -> [String: Contracts] {
        var map: [String: Contracts] = [:]
        for t in trades where t.status.holdsPosition {
            map[t.ticker, default: .zero] = map[t.ticker, default: .zero] + (t.side == .yes ? t.count : -t.count)
        }
        return map.filter { $0.value != .zero }
    }

    /// One check at `now`.
    public mutating func check(now: BusTime) -> Outcome {
        let time = now.description
        guard let venue, let trades else {
            return Outcome(report: ReconciliationReport(status: .pending, startup: true, mismatches: [], checkedTime: time),
                           recheckAfter: nil, alert: false)
        }
        lastFill = lastFill.filter { $0.value.seconds(until: now) < grace }
        settling = settling.filter { $0.value.seconds(until: now) < settlingGrace }
        let expected = Self.expected(trades)
        let moving = Set(trades.filter { $0.status == .pending || $0.status == .closing }.map(\.ticker))
            .union(lastFill.keys).union(settling.keys)
        var confirmed: [ReconciliationReport.Mismatch] = []
        var nextSuspects: Set<String> = []
        var inFlight = false
        for ticker in Set(expected.keys).union(venue.keys).sorted() {
            let want = expected[ticker] ?? .zero, have = venue[ticker] ?? .zero
            guard want != have else { continue }
            if moving.contains(ticker) {
                inFlight = true
            } else if suspects.contains(ticker) {
                confirmed.append(.init(ticker: ticker, trades: want, venue: have))
            } else {
                nextSuspects.insert(ticker)
            }
        }
        suspects = nextSuspects.union(confirmed.map(\.ticker))
        let recheck = (inFlight || !nextSuspects.isEmpty) ? recheckDelay : nil
        if !confirmed.isEmpty {
            let alert = alerted != confirmed
            alerted = confirmed
            return Outcome(report: ReconciliationReport(status: .failed, startup: !passedOnce, mismatches: confirmed, checkedTime: time),
                           recheckAfter: recheck, alert: alert)
        }
        if recheck != nil {
            // Inconclusive: the last report stands (pending at start-up).
            let report = passedOnce ? nil : ReconciliationReport(status: .pending, startup: true, mismatches: [], checkedTime: time)
            return Outcome(report: alerted == nil ? report : nil, recheckAfter: recheck, alert: false)
        }
        let startup = !passedOnce
        passedOnce = true
        alerted = nil
        return Outcome(report: ReconciliationReport(status: .passed, startup: startup, mismatches: [], checkedTime: time),
                       recheckAfter: nil, alert: false)
    }
}
