/// Kalshi 1-minute candles of many markets: per market, the rows' end times and YES bid/ask closes in cents.
/// A row exists only for minutes in which something changed; ``quote(_:atOrBefore:)`` takes the latest row.
public struct KalshiCandles: Sendable {
    /// Row range per market ticker.
    public private(set) var ranges: [String: Range<Int>] = [:]
    /// End of each row's minute, Unix seconds.
    public private(set) var ends: [Int64] = []
    /// YES bid and ask closes in cents.
    public private(set) var bids: [Int16] = [], asks: [Int16] = []

    /// Candles from rows already in memory (tests): `(ticker, end ts, bid, ask)`, grouped by ticker, ascending time.
    public init(rows: [(String, Int64, Int, Int)]) {
        for (i, r) in rows.enumerated() {
            ranges[r.0] = (ranges[r.0]?.lowerBound ?? i)..<(i + 1)
            ends.append(r.1); bids.append(Int16(r.2)); asks.append(Int16(r.3))
        }
    }

    /// Reads `kalshi_kxbtcd_1m_candles_….csv.gz` (sorted by `market_ticker,timestamp_s`).
    /// - Throws: ``ModelError`` naming the file and line of a bad row.
    public init(path: String) throws(ModelError) {
        let csv = try CSVFile(path: path)
        let t = try csv.column("market_ticker"), ts = try csv.column("timestamp_s")
        let bid = try csv.column("yes_bid_close_cents"), ask = try csv.column("yes_ask_close_cents")
        var current: [UInt8] = [], currentName = "", first = 0
        var ranges: [String: Range<Int>] = [:], ends: [Int64] = [], bids: [Int16] = [], asks: [Int16] = []
        try csv.forEachRow { (row: borrowing CSVRow) throws(ModelError) in
            if !row.equals(t, current) {
                if !currentName.isEmpty { ranges[currentName] = first..<ends.count }
                current = row.bytes(t); currentName = row.string(t); first = ends.count
            }
            guard let e = row.int(ts), let b = row.int(bid), let a = row.int(ask) else {
                throw ModelError("\(path):\(row.line): not a candle row")
            }
            ends.append(e); bids.append(Int16(b)); asks.append(Int16(a))
        }
        if !currentName.isEmpty { ranges[currentName] = first..<ends.count }
        self.ranges = ranges; self.ends = ends; self.bids = bids; self.asks = asks
    }

    /// The YES bid and ask (cents) of the latest row of `ticker` ending at or before `ts`.
    public func quote(_ ticker: String, atOrBefore ts: Int64) -> (bid: Int, ask: Int)? {
        guard let r = ranges[ticker] else { return nil }
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi { let mid = (lo + hi) / 2; if ends[mid] <= ts { lo = mid + 1 } else { hi = mid } }
        guard lo > r.lowerBound else { return nil }
        return (Int(bids[lo - 1]), Int(asks[lo - 1]))
    }
}

/// One settled market: ticker, result, strike, close.
public struct KalshiOutcome: Sendable, Hashable {
    /// The market ticker.
    public var ticker: String
    /// Whether it settled YES.
    public var yes: Bool
    /// The strike (YES above it).
    public var strike: Double
    /// The close, Unix seconds.
    public var closeTs: Int64

    /// An outcome.
    public init(ticker: String, yes: Bool, strike: Double, closeTs: Int64) {
        self.ticker = ticker; self.yes = yes; self.strike = strike; self.closeTs = closeTs
    }

    /// Reads `kalshi_kxbtcd_outcomes_….csv` (`market_ticker,result,…,kalshi_strike_price,…,market_close_time_iso`);
    /// markets without a yes/no result are skipped. - Throws: ``ModelError`` naming the file and line.
    public static func read(path: String) throws(ModelError) -> [KalshiOutcome] {
        let csv = try CSVFile(path: path)
        let t = try csv.column("market_ticker"), r = try csv.column("result")
        let k = try csv.column("kalshi_strike_price"), c = try csv.column("market_close_time_iso")
        var out: [KalshiOutcome] = []
        try csv.forEachRow { (row: borrowing CSVRow) throws(ModelError) in
            let result = row.string(r)
            guard result == "yes" || result == "no" else { return }
            guard let strike = row.double(k), let close = UTCDate.parse(row.string(c)) else {
                throw ModelError("\(path):\(row.line): bad strike or close time")
            }
            out.append(KalshiOutcome(ticker: row.string(t), yes: result == "yes", strike: strike, closeTs: close))
        }
        return out
    }
}
