import CivilTime

/// BTC 1-minute closes on a dense minute grid (NaN where a bar is missing), from one or more candle CSVs.
public struct MinuteSeries: Sendable {
    /// Start of the first bar, Unix seconds (a multiple of 60).
    public let start: Int64
    /// Close of bar `i` (which starts at `start + 60·i`); NaN for a missing bar.
    public var closes: [Double]

    /// A series from bars already in memory (tests): `(start ts, close)` pairs, any order; later pairs win.
    public init(bars: [(Int64, Double)]) {
        guard let first = bars.map(\.0).min(), let last = bars.map(\.0).max() else { start = 0; closes = []; return }
        start = first - ((first % 60) + 60) % 60
        closes = [Double](repeating: .nan, count: Int((last - start) / 60) + 1)
        for (ts, c) in bars { closes[Int((ts - start) / 60)] = c }
    }

    /// Reads `ts,…,close` candle files (`.gz` or plain) and merges them.
    /// - Throws: ``ModelError`` naming the file and line of a bad row.
    public init(paths: [String]) throws(ModelError) {
        var bars: [(Int64, Double)] = []
        for path in paths {
            let csv = try CSVFile(path: path)
            let ts = try csv.column("ts"), close = try csv.column("close")
            try csv.forEachRow { (row: borrowing CSVRow) throws(ModelError) in
                guard let t = row.int(ts), let c = row.double(close), c > 0 else {
                    throw ModelError("\(path):\(row.line): not a candle row")
                }
                bars.append((t, c))
            }
        }
        self.init(bars: bars)
    }

    /// Number of minutes on the grid.
    public var count: Int { closes.count }
    /// The grid index of the bar starting at `ts` (nil outside the grid or off it).
    public func index(ofBarStarting ts: Int64) -> Int? {
        guard ts >= start, (ts - start) % 60 == 0 else { return nil }
        let i = Int((ts - start) / 60)
        return i < closes.count ? i : nil
    }
    /// The close of the bar that ends at `ts` (starts at `ts − 60`), when present.
    public func close(endingAt ts: Int64) -> Double? {
        guard let i = index(ofBarStarting: ts - 60), !closes[i].isNaN else { return nil }
        return closes[i]
    }
}

/// The historical REC.IO momentum: weights 0.30/0.25/0.20/0.15/0.05/0.05 on the fractional change of the close
/// against the closes 1, 2, 3, 4, 15 and 30 minutes earlier, × 10,000, rounded (the live score × 100 unit). Lags
/// whose close is missing are left out and the weights of the rest renormalised.
public enum HistoricalMomentum {
    /// The lags in minutes.
    public static let lags = [1, 2, 3, 4, 15, 30]
    /// Their weights.
    public static let weights = [0.30, 0.25, 0.20, 0.15, 0.05, 0.05]

    /// The momentum at grid index `i`, or nil when the close or every lag is missing.
    @inline(__always)
    public static func at(_ i: Int, closes: UnsafeBufferPointer<Double>) -> Int? {
        let c = closes[i]
        if c.isNaN { return nil }
        var sum = 0.0, wsum = 0.0
        for k in 0..<6 {
            let j = i - lags[k]
            if j < 0 { continue }
            let p = closes[j]
            if p.isNaN { continue }
            sum += weights[k] * (c - p) / p; wsum += weights[k]
        }
        if wsum == 0 { return nil }
        return Int((sum / wsum * 10_000).rounded())
    }

    /// Momentum for every grid index (nil where it cannot be computed).
    public static func series(_ s: MinuteSeries) -> [Int?] {
        s.closes.withUnsafeBufferPointer { buf in (0..<buf.count).map { at($0, closes: buf) } }
    }
}

/// Civil dates from Unix seconds (UTC), and the reverse for ISO-8601 text.
public enum UTCDate {
    /// The year of a Unix second.
    public static func year(_ ts: Int64) -> Int { Int(CivilDate.civil(days: CivilDate.floorDiv(ts, 86_400)).year) }

    /// `2025-04-14T23:00:00+00:00` / `…Z` → Unix seconds (offsets honoured); nil when not in that shape.
    public static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 19 else { return nil }
        func num(_ from: Int, _ n: Int) -> Int64? {
            var v: Int64 = 0
            for k in from..<(from + n) { let d = b[k] &- 48; guard d < 10 else { return nil }; v = v * 10 + Int64(d) }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2), let s = num(17, 2)
        else { return nil }
        var ts = CivilDate.days(year: y, month: mo, day: d) * 86_400 + h * 3_600 + mi * 60 + s
        var k = 19
        if k < b.count && b[k] == UInt8(ascii: ".") { k += 1; while k < b.count && b[k] &- 48 < 10 { k += 1 } }
        if k + 6 <= b.count && (b[k] == UInt8(ascii: "+") || b[k] == UInt8(ascii: "-")), let oh = num(k + 1, 2), let om = num(k + 4, 2) {
            ts -= (b[k] == UInt8(ascii: "+") ? 1 : -1) * (oh * 3_600 + om * 60)
        }
        return ts
    }
}
