public import Money
public import TradingWire

/// A market of an event as the strike table needs it.
public struct StrikeMarket: Sendable, Hashable {
    /// The market ticker.
    public var ticker: String
    /// The floor strike: YES wins above it.
    public var strike: Dollars
    /// A market.
    public init(ticker: String, strike: Dollars) { self.ticker = ticker; self.strike = strike }
}

/// A market's top of book and volume.
public struct StrikeQuote: Sendable, Hashable {
    /// Best bids and asks per leg; nil where empty.
    public var yesBid: Dollars?, yesAsk: Dollars?, noBid: Dollars?, noAsk: Dollars?
    /// Contracts offered at the asks.
    public var yesAskSize: Contracts?, noAskSize: Contracts?
    /// Contracts traded so far.
    public var volume: Contracts?
    /// A quote.
    public init(yesBid: Dollars? = nil, yesAsk: Dollars? = nil, noBid: Dollars? = nil, noAsk: Dollars? = nil,
                yesAskSize: Contracts? = nil, noAskSize: Contracts? = nil, volume: Contracts? = nil) {
        self.yesBid = yesBid; self.yesAsk = yesAsk; self.noBid = noBid; self.noAsk = noAsk
        self.yesAskSize = yesAskSize; self.noAskSize = noAskSize; self.volume = volume
    }
}

/// An event as the strike table needs it: its markets **sorted by ascending strike**.
public struct StrikeEvent: Sendable, Hashable {
    /// `KXBTCD`.
    public var series: String
    /// The event ticker.
    public var eventTicker: String
    /// The close, Unix seconds.
    public var closeTs: Int64
    /// The gap between strikes.
    public var strikeSpacing: Dollars?
    /// The markets, ascending strike.
    public var markets: [StrikeMarket]
    /// An event (the markets are sorted here).
    public init(series: String, eventTicker: String, closeTs: Int64, strikeSpacing: Dollars?, markets: [StrikeMarket]) {
        self.series = series; self.eventTicker = eventTicker; self.closeTs = closeTs; self.strikeSpacing = strikeSpacing
        self.markets = markets.sorted { $0.strike < $1.strike }
    }
}

/// Builds the strike table of an event: the `strikeCount` strikes nearest the price, each with its distance,
/// P(YES), fair values to the cent (half up), book, edges (fair − ask) and active side (YES at or below the price,
/// NO above).
public struct StrikeTableBuilder: Sendable {
    /// How many strikes (21).
    public var strikeCount: Int
    /// A builder.
    public init(strikeCount: Int = 21) { self.strikeCount = strikeCount }

    /// The index range of the `strikeCount` markets nearest `price` (markets ascending).
    public func nearest(_ markets: [StrikeMarket], to price: Dollars) -> Range<Int> {
        var lo = 0, hi = markets.count
        while lo < hi { let mid = (lo + hi) / 2; if markets[mid].strike < price { lo = mid + 1 } else { hi = mid } }
        var a = lo, b = lo  // [a, b) chosen; grow towards the closer neighbour
        while b - a < strikeCount && (a > 0 || b < markets.count) {
            if a == 0 { b += 1 } else if b == markets.count { a -= 1 } else if (price - markets[a - 1].strike) <= (markets[b].strike - price) {
                a -= 1
            } else { b += 1 }
        }
        return a..<b
    }

    /// The table at `now` (Unix seconds, fractional) for `price`; `time` is written as the table's time.
    public func build(event: StrikeEvent, quotes: [String: StrikeQuote], price: Dollars, momentum: Int?, now: Double,
                      sigma: Double? = nil, averageSoFar: Double? = nil, model: some ProbabilityModel, time: String) -> StrikeTable {
        let ttc = max(0, Double(event.closeTs) - now)
        let input = ModelInput(price: Double(price.micros) / 1e6, secondsToClose: ttc, momentum: momentum, sigma: sigma,
                               averageSoFar: averageSoFar)
        let range = nearest(event.markets, to: price)
        var rows: [StrikeRow] = []
        rows.reserveCapacity(range.count)
        for i in range {
            let m = event.markets[i]
            let p = min(1, max(0, model.probabilityAbove(strike: Double(m.strike.micros) / 1e6, input: input)))
            rows.append(Self.row(market: m, quote: quotes[m.ticker], price: price, spacing: event.strikeSpacing, probabilityYes: p))
        }
        return StrikeTable(series: event.series, eventTicker: event.eventTicker, model: model.name, btcPrice: price, momentum: momentum,
                           ttcSeconds: Int64(ttc.rounded(.down)), closeTs: event.closeTs, strikeSpacing: event.strikeSpacing,
                           rows: rows, time: time)
    }

    /// One row.
    public static func row(market m: StrikeMarket, quote q: StrikeQuote?, price: Dollars, spacing: Dollars?, probabilityYes p: Double) -> StrikeRow {
        let distance = price - m.strike
        let fairYes = Dollars(cents: centsHalfUp(p)), fairNo = Dollars(cents: centsHalfUp(1 - p))
        let active: TradeSide = m.strike <= price ? .yes : .no
        return StrikeRow(
            ticker: m.ticker, strike: m.strike, distance: distance,
            distanceSpacings: spacing.flatMap { DecimalText.ratio(distance.micros, $0.micros) },
            probabilityYes: p, winProbability: active == .yes ? p : 1 - p, fairYes: fairYes, fairNo: fairNo,
            yesBid: q?.yesBid, yesAsk: q?.yesAsk, noBid: q?.noBid, noAsk: q?.noAsk, yesAskSize: q?.yesAskSize, noAskSize: q?.noAskSize,
            edgeYes: q?.yesAsk.map { fairYes - $0 }, edgeNo: q?.noAsk.map { fairNo - $0 }, activeSide: active, volume: q?.volume)
    }

    /// A probability in whole cents, half up (0.505 → 51); a hair of tolerance absorbs binary rounding.
    @inline(__always)
    public static func centsHalfUp(_ p: Double) -> Int64 { Int64(min(100, max(0, (p * 100 + 0.5 + 1e-9).rounded(.down)))) }
}

/// Decimal strings without Foundation formatting.
public enum DecimalText {
    /// `a / b` to two decimals, half away from zero (`"1.25"`, `"-0.50"`); nil when `b` is 0.
    public static func ratio(_ a: Int64, _ b: Int64) -> String? {
        guard b != 0 else { return nil }
        let negative = (a < 0) != (b < 0)
        let (ua, ub) = (a.magnitude, b.magnitude)
        let hundredths = (ua * 200 / ub + 1) / 2
        let whole = hundredths / 100, frac = hundredths % 100
        let f = frac < 10 ? "0\(frac)" : "\(frac)"
        return (negative && hundredths > 0 ? "-" : "") + "\(whole).\(f)"
    }
}
