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
///
/// Pub/sub is at-most-once: a disagreement may only mean the trade manager missed the venue's orders and fills. So
/// each check also names the markets whose stored venue orders, fills and settlements should be published again
/// (``Outcome/republish``) before the confirming recheck: a market that disagrees and is not in flight, or one
/// still in flight that disagreed on the check before too (a trade left `pending` because its answer was missed),
/// at most once per `republishInterval` seconds each. A determined market waiting for its settlement is not named.
public struct Reconciler: Sendable {
    /// What one check decided.
    public struct Outcome: Sendable, Hashable {
        /// The report to publish; nil when the check is inconclusive and the last report stands.
        public var report: ReconciliationReport?
        /// When set, check again after this many seconds (a market disagreed once or is in flight).
        public var recheckAfter: Double?
        /// True when this report is a failure whose mismatches differ from the last alert's: raise an alert.
        public var alert: Bool
        /// Markets whose stored venue orders, fills and settlements to publish again now, sorted.
        public var republish: [String] = []
    }

    /// Seconds a fill keeps its market in flight.
    public let grace: Double
    /// Seconds before a recheck.
    public let recheckDelay: Double
    /// Seconds a determined market may wait for the venue's settlement before its positions count again.
    public let settlingGrace: Double
    /// The fewest seconds between two republishes of one market.
    public let republishInterval: Double
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
    /// Markets that disagreed (in flight or not) on the last check.
    private var disagreed: Set<String> = []
    /// When each market was last named for a republish.
    private var republished: [String: BusTime] = [:]

    /// A reconciler; `includes` says which venue markets take part (every one by default).
    public init(grace: Double = 5, recheckDelay: Double = 5, settlingGrace: Double = 1_800, republishInterval: Double = 30,
                includes: @escaping @Sendable (String) -> Bool = { _ in true }) {
        self.grace = grace; self.recheckDelay = recheckDelay; self.settlingGrace = settlingGrace
        self.republishInterval = republishInterval; self.includes = includes
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
        var disagreeing: Set<String> = []
        var stale: [String] = []
        for ticker in Set(expected.keys).union(venue.keys).sorted() {
            let want = expected[ticker] ?? .zero, have = venue[ticker] ?? .zero
            guard want != have else { continue }
            disagreeing.insert(ticker)
            if moving.contains(ticker) {
                inFlight = true
                if disagreed.contains(ticker) && settling[ticker] == nil { stale.append(ticker) }
            } else if suspects.contains(ticker) {
                confirmed.append(.init(ticker: ticker, trades: want, venue: have))
                stale.append(ticker)
            } else {
                nextSuspects.insert(ticker)
                stale.append(ticker)
            }
        }
        suspects = nextSuspects.union(confirmed.map(\.ticker))
        disagreed = disagreeing
        let republish = due(stale, now: now)
        let recheck = (inFlight || !nextSuspects.isEmpty) ? recheckDelay : nil
        if !confirmed.isEmpty {
            let alert = alerted != confirmed
            alerted = confirmed
            return Outcome(report: ReconciliationReport(status: .failed, startup: !passedOnce, mismatches: confirmed, checkedTime: time),
                           recheckAfter: recheck, alert: alert, republish: republish)
        }
        if recheck != nil {
            // Inconclusive: the last report stands (pending at start-up).
            let report = passedOnce ? nil : ReconciliationReport(status: .pending, startup: true, mismatches: [], checkedTime: time)
            return Outcome(report: alerted == nil ? report : nil, recheckAfter: recheck, alert: false, republish: republish)
        }
        let startup = !passedOnce
        passedOnce = true
        alerted = nil
        return Outcome(report: ReconciliationReport(status: .passed, startup: startup, mismatches: [], checkedTime: time),
                       recheckAfter: nil, alert: false)
    }

    /// The markets of `tickers` not republished within `republishInterval`, now marked as republished.
    private mutating func due(_ tickers: [String], now: BusTime) -> [String] {
        republished = republished.filter { $0.value.seconds(until: now) < republishInterval }
        let out = tickers.filter { republished[$0] == nil }
        for t in out { republished[t] = now }
        return out.sorted()
    }
}
