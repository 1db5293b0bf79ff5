/// Civil dates and US Eastern time without Foundation: enough to name hourly events and write RFC 3339 times.
public enum SimCalendar {
    /// A civil date and time of day.
    public struct Civil: Equatable, Sendable {
        public var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
    }

    /// The civil date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    static func civil(days z0: Int64) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(yoe + era * 400 + (m <= 2 ? 1 : 0)), Int(m), Int(d))
    }

    /// Days since 1970-01-01 of a civil date.
    static func days(year y0: Int, month m: Int, day d: Int) -> Int64 {
        let y = Int64(m <= 2 ? y0 - 1 : y0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64(m > 2 ? m - 3 : m + 9)
        let doy = (153 * mp + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil UTC time of a Unix second.
    public static func utc(_ second: Int64) -> Civil {
        let days = second >= 0 ? second / 86400 : (second - 86399) / 86400
        let rem = Int(second - days * 86400)
        let (y, m, d) = civil(days: days)
        return Civil(year: y, month: m, day: d, hour: rem / 3600, minute: rem / 60 % 60, second: rem % 60)
    }

    /// True when US daylight saving time is in force at this Unix second (second Sunday of March 02:00 EST to
    /// first Sunday of November 02:00 EDT).
    public static func isEasternDaylightTime(_ second: Int64) -> Bool {
        let year = utc(second).year
        func sunday(month: Int, nth: Int) -> Int64 {
            let first = days(year: year, month: month, day: 1)
            let weekday = (first + 4) % 7  // 0 = Sunday; 1970-01-01 was a Thursday
            return first + (7 - weekday) % 7 + Int64(7 * (nth - 1))
        }
        let start = sunday(month: 3, nth: 2) * 86400 + 7 * 3600  // 02:00 EST = 07:00 UTC
        let end = sunday(month: 11, nth: 1) * 86400 + 6 * 3600  // 02:00 EDT = 06:00 UTC
        return second >= start && second < end
    }

    /// The US Eastern local time of a Unix second, and whether it is EDT.
    public static func eastern(_ second: Int64) -> (civil: Civil, daylight: Bool) {
        let dst = isEasternDaylightTime(second)
        return (utc(second + (dst ? -4 : -5) * 3600), dst)
    }

    static let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Kalshi's event suffix for an hourly close: `YYMMMDDHH` in US Eastern time, e.g. `26SEP0920`.
    public static func eventSuffix(closeSecond: Int64) -> String {
        let e = eastern(closeSecond).civil
        return two(e.year % 100) + months[e.month - 1] + two(e.day) + two(e.hour)
    }

    /// "8pm EDT on Sep 9, 2026"-style words for market titles and rules.
    static func easternWords(closeSecond: Int64) -> (hour: String, date: String) {
        let (e, dst) = eastern(closeSecond)
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
