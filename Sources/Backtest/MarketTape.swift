import Money
import ProbabilityModel

/// Kalshi KXBTCD 1-minute candles grouped by market and event, with each market's outcome: what a backtest replays.
///
/// A candle row's time is the **end** of its minute; rows exist only for minutes in which something changed, so a
/// market's quote at time t is its latest row ending at or before t. Prices are cents: YES ask 100 means no YES ask
/// (nobody sells), YES bid 0 means no YES bid.
public struct MarketTape: Sendable {
    /// One market: ticker, strike, outcome, rows.
    public struct Market: Sendable, Hashable {
        /// The market ticker (`KXBTCD-25APR1419-T82499.99`).
        public var ticker: String
        /// Index of its event in ``MarketTape/events``.
        public var event: Int
        /// YES above this.
        public var strike: Dollars
        /// `yes` or `no`, from the outcomes file.
        public var result: String
        /// Its rows in ``MarketTape/rows``.
        public var rows: Range<Int>
    }

    /// One hourly event.
    public struct Event: Sendable, Hashable {
        /// The event ticker (`KXBTCD-25APR1419`).
        public var ticker: String
        /// The close, Unix seconds.
        public var closeTs: Int64
        /// Its markets (indices into ``MarketTape/markets``), ascending strike.
        public var markets: [Int]
        /// The most common gap between neighbouring strikes.
        public var spacing: Dollars?
    }

    /// One candle row: the end of its minute, YES bid/ask closes in cents, contracts traded in the minute.
    public struct Row: Sendable, Hashable {
        /// End of the minute, Unix seconds.
        public var end: Int64
        /// YES bid and ask closes, cents.
        public var bid: Int16, ask: Int16
        /// Contracts traded in the minute (whole contracts).
        public var volume: Int32
        /// A row.
        public init(end: Int64, bid: Int16, ask: Int16, volume: Int32) { self.end = end; self.bid = bid; self.ask = ask; self.volume = volume }
    }

    /// Every market with an outcome and at least one row.
    public private(set) var markets: [Market] = []
    /// Every event, earliest close first.
    public private(set) var events: [Event] = []
    /// Every row, grouped by market, ascending time within a market.
    public private(set) var rows: [Row] = []

    /// A tape from rows in memory (tests): `(ticker, strike, result, close ts, rows)`.
    public init(markets list: [(ticker: String, strike: Dollars, result: String, closeTs: Int64, rows: [Row])]) {
        var byEvent: [String: (close: Int64, markets: [(Dollars, Int)])] = [:]
        for m in list where !m.rows.isEmpty {
            let start = rows.count
            rows += m.rows.sorted { $0.end < $1.end }
            let event = Self.eventTicker(of: m.ticker)
            byEvent[event, default: (close: m.closeTs, markets: [])].markets.append((m.strike, markets.count))
            markets.append(Market(ticker: m.ticker, event: -1, strike: m.strike, result: m.result, rows: start..<rows.count))
        }
        for (ticker, e) in byEvent.sorted(by: { ($0.value.close, $0.key) < ($1.value.close, $1.key) }) {
            let ordered = e.markets.sorted { $0.0 < $1.0 }.map(\.1)
            for i in ordered { markets[i].event = events.count }
            events.append(Event(ticker: ticker, closeTs: e.close, markets: ordered, spacing: Self.spacing(ordered.map { markets[$0].strike })))
        }
    }

    /// Reads a candles file (`market_ticker,…,timestamp_s,…,yes_bid_close_cents,yes_ask_close_cents,volume`) and an
    /// outcomes file (`market_ticker,result,…,kalshi_strike_price,…,market_close_time_iso`); markets without a yes/no
    /// outcome are left out. - Throws: ``BacktestError`` naming the file and line of a bad row.
    public init(candles: String, outcomes: String) throws(BacktestError) {
        let results: [KalshiOutcome]
        do { results = try KalshiOutcome.read(path: outcomes) } catch { throw BacktestError(error.message) }
        var outcome: [String: KalshiOutcome] = [:]
        for o in results { outcome[o.ticker] = o }
        var list: [(ticker: String, strike: Dollars, result: String, closeTs: Int64, rows: [Row])] = []
        do {
            let csv = try CSVFile(path: candles)
            let t = try csv.column("market_ticker"), ts = try csv.column("timestamp_s")
            let bid = try csv.column("yes_bid_close_cents"), ask = try csv.column("yes_ask_close_cents"), vol = try csv.column("volume")
            var current: [UInt8] = [], name = "", pending: [Row] = []
            func flush() {
                if let o = outcome[name], !pending.isEmpty {
                    list.append((name, Dollars(micros: Int64((o.strike * 100).rounded()) * 10_000), o.yes ? "yes" : "no", o.closeTs, pending))
                }
                pending.removeAll(keepingCapacity: true)
            }
            try csv.forEachRow { (row: borrowing CSVRow) throws(ModelError) in
                if !row.equals(t, current) {
                    flush()
                    current = row.bytes(t); name = row.string(t)
                }
                guard let e = row.int(ts), let b = row.int(bid), let a = row.int(ask) else {
                    throw ModelError("\(candles):\(row.line): not a candle row")
                }
                pending.append(Row(end: e, bid: Int16(b), ask: Int16(a), volume: Int32(clamping: row.int(vol) ?? 0)))
            }
            flush()
        } catch { throw BacktestError(error.message) }
        self.init(markets: list)
    }

    /// `KXBTCD-25APR1419-T82499.99` → `KXBTCD-25APR1419`.
    public static func eventTicker(of market: String) -> String {
        guard let dash = market.lastIndex(of: "-") else { return market }
        return String(market[..<dash])
    }

    /// The most common positive gap between neighbouring strikes (ties: the smaller).
    static func spacing(_ strikes: [Dollars]) -> Dollars? {
        var counts: [Int64: Int] = [:]
        for (a, b) in zip(strikes, strikes.dropFirst()) where b > a { counts[b.micros - a.micros, default: 0] += 1 }
        return counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }.map { Dollars(micros: $0.key) }
    }

    /// Rows of all markets ending in [from, to), in time order (ties by market): `(row index, market index)`.
    public func rowsInOrder(from: Int64, to: Int64) -> [(row: Int, market: Int)] {
        var out: [(row: Int, market: Int)] = []
        for (m, market) in markets.enumerated() {
            for r in market.rows where rows[r].end >= from && rows[r].end < to { out.append((r, m)) }
        }
        out.sort { (rows[$0.row].end, $0.market) < (rows[$1.row].end, $1.market) }
        return out
    }
}
