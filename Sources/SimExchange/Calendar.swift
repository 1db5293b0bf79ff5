import CivilTime

/// The simulator's dates: hourly event names and titles in US Eastern time, RFC 3339 times, without Foundation.
public enum SimCalendar {
    /// A civil date and time of day.
    public struct Civil: Equatable, Sendable {
        public var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
    }

    /// The civil UTC time of a Unix second.
    public static func utc(_ second: Int64) -> Civil {
        let days = CivilDate.floorDiv(second, 86_400)
        let rem = Int(second - days * 86_400)
        let (y, m, d) = CivilDate.civil(days: days)
        return Civil(year: Int(y), month: Int(m), day: Int(d), hour: rem / 3600, minute: rem / 60 % 60, second: rem % 60)
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Kalshi's event suffix for an hourly close: `YYMMMDDHH` in US Eastern time, e.g. `26SEP0920`.
    public static func eventSuffix(closeSecond: Int64) -> String { EasternTime.eventCode(closeSecond: closeSecond) }

    /// "8pm EDT on Sep 9, 2026"-style words for market titles and rules.
    static func easternWords(closeSecond: Int64) -> (hour: String, date: String) {
        let e = EasternTime.local(closeSecond), dst = e.daylight
        let h12 = e.hour % 12 == 0 ? 12 : e.hour % 12
        return ("\(h12)\(e.hour < 12 ? "am" : "pm") \(dst ? "EDT" : "EST")", "\(monthNames[e.month - 1]) \(e.day), \(e.year)")
    }

    /// RFC 3339 UTC with whole seconds: `2026-09-10T00:00:00Z`.
    public static func rfc3339(millis: Int64) -> String {
        let c = utc(millis >= 0 ? millis / 1000 : (millis - 999) / 1000)
        let ms = Int(((millis % 1000) + 1000) % 1000)
        let base = "\(c.year)-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(c.second))"
        return ms == 0 ? base + "Z" : base + "." + String(String(ms + 1000).dropFirst()) + "Z"
    }

    static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
