import Money

/// A replay of candles expanded to one price per second, deterministically.
///
/// Within each bar the path runs open → first extreme → second extreme → close, touching each of the bar's four
/// prices exactly: a rising bar (close ≥ open) dips to its low first, a falling bar spikes to its high first,
/// the usual reading of an OHLC bar. When the extremes are reached depends only on the bar's start time; between
/// waypoints the price moves linearly with a small seeded wiggle, kept within the bar's low and high. A missing
/// bar holds the previous close.
///
/// ```swift
/// let replay = try CandleReplay(candles: CandleCSV.read(path: "btc_usd_1m_….csv.gz"), startingAt: simStart)
/// replay.value(atSecond: simStart)   // the first bar's open
/// ```
public struct CandleReplay: PriceProcess {
    /// The bars, sorted by start.
    public let candles: [Candle]
    /// Seconds per bar (60 for 1-minute files).
    public let barSeconds: Int64
    /// Added to a bar's data time to give simulated time.
    public let timeShift: Int64

    /// A replay of `candles` (sorted by start) of `barSeconds` each; when `startingAt` is given, the first bar
    /// is moved to that second (the whole file shifts with it), else the data plays at its own times.
    public init(candles: [Candle], barSeconds: Int64 = 60, startingAt: Int64? = nil) throws(PriceSimError) {
        guard !candles.isEmpty else { throw PriceSimError("a replay needs at least one candle") }
        guard barSeconds >= 4 else { throw PriceSimError("bars must last at least 4 seconds") }
        for (a, b) in zip(candles, candles.dropFirst()) where b.start <= a.start {
            throw PriceSimError("candles are not sorted: \(b.start) follows \(a.start)")
        }
        self.candles = candles
        self.barSeconds = barSeconds
        timeShift = startingAt.map { $0 - candles[0].start } ?? 0
    }

    /// The first simulated second with a value.
    public var firstSecond: Int64 { candles[0].start + timeShift }
    /// The first simulated second past the end.
    public var endSecond: Int64 { candles[candles.count - 1].start + barSeconds + timeShift }

    public func value(atSecond second: Int64) -> Dollars? {
        let t = second - timeShift
        guard t >= candles[0].start, t < candles[candles.count - 1].start + barSeconds else { return nil }
        // The last bar starting at or before t.
        var lo = 0, hi = candles.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if candles[mid].start <= t { lo = mid } else { hi = mid - 1 }
        }
        let bar = candles[lo]
        let k = t - bar.start
        return k < barSeconds ? Self.path(bar, barSeconds: barSeconds, at: k) : bar.close
    }

    /// The waypoints of a bar: (second within the bar, price).
    static func waypoints(_ bar: Candle, barSeconds n: Int64) -> [(Int64, Dollars)] {
        let t1 = 1 + Int64(mix(bar.start, 1) % UInt64((n - 2) / 2))
        let t2 = t1 + 1 + Int64(mix(bar.start, 2) % UInt64(n - 2 - t1))
        let (first, second) = bar.close >= bar.open ? (bar.low, bar.high) : (bar.high, bar.low)
        return [(0, bar.open), (t1, first), (t2, second), (n - 1, bar.close)]
    }

    static func path(_ bar: Candle, barSeconds n: Int64, at k: Int64) -> Dollars {
        let points = waypoints(bar, barSeconds: n)
        var i = 0
        while i < points.count - 2, points[i + 1].0 <= k { i += 1 }
        let (ka, pa) = points[i], (kb, pb) = points[i + 1]
        if k == ka { return pa }
        if k == kb { return pb }
        let span = kb - ka, step = k - ka
        let linear = pa.micros + (pb.micros - pa.micros) * step / span
        // A wiggle that vanishes at both waypoints, at most an eighth of the bar's range.
        let amplitude = (bar.high.micros - bar.low.micros) / 8
        let u = Int64(mix(bar.start, k) % 2001) - 1000  // -1000…1000
        let wiggle = amplitude * u / 1000 * 4 * step * (span - step) / (span * span)
        let cents = (linear + wiggle + 5_000).floorDiv(10_000) * 10_000
        return Dollars(micros: min(max(cents, bar.low.micros), bar.high.micros))
    }
}

extension Int64 {
    func floorDiv(_ d: Int64) -> Int64 { self >= 0 ? self / d : -((-self + d - 1) / d) }
}
