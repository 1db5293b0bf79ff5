public import Foundation
public import Money

/// Names of Kalshi's hourly BTC events and markets.
///
/// An event ticker is `SERIES-YYMMMDDHH`, the close hour in US Eastern local time (EST or EDT, whichever is in
/// force): close 2025-05-15 22:00 EDT (2025-05-16 02:00 UTC) is `KXBTCD-25MAY1522`. A `KXBTCD` market ticker
/// appends `-T` and the floor strike: `KXBTCD-25MAY1522-T106249.99`. Ticker text is informational; a market's
/// `floor_strike` and `close_time` are authoritative.
public enum EventNaming {
    /// Series of the hourly "above/below" BTC markets.
    public static let hourlyBTC = "KXBTCD"

    static let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]

    /// Kalshi's clock: America/New_York, with daylight saving.
    public static let eastern: TimeZone = TimeZone(identifier: "America/New_York")!

    static var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = eastern
        return c
    }

    /// The event ticker of the event closing at `close` (an instant on the hour).
    public static func eventTicker(series: String = hourlyBTC, closingAt close: Date) -> String {
        let p = calendar.dateComponents([.year, .month, .day, .hour], from: close)
        let yy = (p.year ?? 0) % 100, month = months[(p.month ?? 1) - 1]
        return series + "-" + twoDigits(yy) + month + twoDigits(p.day ?? 0) + twoDigits(p.hour ?? 0)
    }

    /// The market ticker for `floorStrike` in `eventTicker`: `EVENT-T106249.99`.
    public static func marketTicker(eventTicker: String, floorStrike: Dollars) -> String {
        eventTicker + "-T" + strikeText(floorStrike)
    }

    /// The market ticker of a `greater` market built from its `floor_strike`, or nil when it has none.
    public static func marketTicker(for market: Market) -> String? {
        guard let event = market.eventTicker, let strike = market.floorStrike else { return nil }
        return marketTicker(eventTicker: event, floorStrike: strike)
    }

    /// A strike as tickers write it: no trailing zeros, no trailing point (`106249.99`, `80100`).
    public static func strikeText(_ strike: Dollars) -> String {
        var s = strike.description
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// The parts of an event ticker, or nil when it does not have the `SERIES-YYMMMDDHH` shape.
    public static func parse(eventTicker: String) -> (series: String, year: Int, month: Int, day: Int, hour: Int)? {
        guard let dash = eventTicker.lastIndex(of: "-") else { return nil }
        let series = String(eventTicker[..<dash])
        let code = Array(eventTicker[eventTicker.index(after: dash)...])
        guard code.count == 9, !series.isEmpty,
            let yy = Int(String(code[0..<2])), let month = months.firstIndex(of: String(code[2..<5])),
            let day = Int(String(code[5..<7])), let hour = Int(String(code[7..<9])),
            code[0..<2].allSatisfy(\.isNumber), code[5..<9].allSatisfy(\.isNumber)
        else { return nil }
        return (series, 2000 + yy, month + 1, day, hour)
    }

    /// The close instant an event ticker names, in America/New_York.
    ///
    /// On the night clocks fall back the 01:00 hour happens twice; the ticker cannot tell them apart and the
    /// earlier (EDT) instant is returned. Confirm with the market's `close_time`. Nil for an hour that does not
    /// exist (02:00 on the spring-forward day) or a malformed ticker.
    public static func closeTime(eventTicker: String) -> Date? {
        guard let p = parse(eventTicker: eventTicker) else { return nil }
        let components = DateComponents(year: p.year, month: p.month, day: p.day, hour: p.hour)
        guard let date = calendar.date(from: components) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day, .hour], from: date)
        guard back.hour == p.hour, back.day == p.day else { return nil }
        // Foundation may pick the later of two ambiguous instants; prefer the earlier.
        let earlier = date.addingTimeInterval(-3600)
        return calendar.dateComponents([.hour, .day], from: earlier) == calendar.dateComponents([.hour, .day], from: date)
            ? earlier : date
    }

    /// The strike spacing of an event: the most common gap between its sorted distinct floor strikes (the
    /// smallest such gap on a tie). Nil with fewer than two strikes. Derived, never assumed.
    public static func strikeSpacing(of markets: [Market]) -> Dollars? {
        let strikes = Set(markets.compactMap(\.floorStrike)).sorted()
        guard strikes.count >= 2 else { return nil }
        var counts: [Dollars: Int] = [:]
        for (a, b) in zip(strikes, strikes.dropFirst()) { counts[b - a, default: 0] += 1 }
        return counts.max { l, r in l.value != r.value ? l.value < r.value : l.key > r.key }?.key
    }

    private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
