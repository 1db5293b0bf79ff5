/// US Eastern civil time without Foundation: the day and hour statistics group by, and the close instant an
/// hourly event ticker (`KXBTCD-25MAY1522`) names. Pure arithmetic on Unix seconds.
public enum EasternTime {
    /// A US Eastern local date and hour.
    public struct Local: Equatable, Sendable {
        public var year: Int, month: Int, day: Int, hour: Int
        /// `2026-12-01`.
        public var dateText: String { "\(year)-\(two(month))-\(two(day))" }
        /// `14`.
        public var hourText: String { two(hour) }
    }

    /// The Eastern local date and hour of a Unix second.
    public static func local(_ second: Int64) -> Local {
        let shifted = second + (isDaylightTime(second) ? -4 : -5) * 3600
        let days = floorDiv(shifted, 86_400)
        let (y, m, d) = civil(days: days)
        return Local(year: y, month: m, day: d, hour: Int((shifted - days * 86_400) / 3600))
    }

    /// True when US daylight saving time is in force (second Sunday of March 02:00 EST to first Sunday of
    /// November 02:00 EDT).
    public static func isDaylightTime(_ second: Int64) -> Bool {
        let year = civil(days: floorDiv(second, 86_400)).0
        func sunday(month: Int, nth: Int) -> Int64 {
            let first = days(year: year, month: month, day: 1)
            let weekday = ((first + 4) % 7 + 7) % 7  // 0 = Sunday; 1970-01-01 was a Thursday
            return first + (7 - weekday) % 7 + Int64(7 * (nth - 1))
        }
        let start = sunday(month: 3, nth: 2) * 86_400 + 7 * 3600
        let end = sunday(month: 11, nth: 1) * 86_400 + 6 * 3600
        return second >= start && second < end
    }

    private static let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]

    /// The close (Unix seconds) an event ticker `SERIES-YYMMMDDHH` names in US Eastern time, or nil when the
    /// ticker does not have that shape. The market feed's `close_ts` is authoritative; this is the fallback.
    public static func closeTs(eventTicker: String) -> Int64? {
        guard let dash = eventTicker.lastIndex(of: "-") else { return nil }
        let code = Array(eventTicker[eventTicker.index(after: dash)...])
        guard code.count == 9, let yy = Int(String(code[0..<2])), let mi = months.firstIndex(of: String(code[2..<5])),
            let day = Int(String(code[5..<7])), let hour = Int(String(code[7..<9])), hour < 24, (1...31).contains(day)
        else { return nil }
        let localSecond = days(year: 2000 + yy, month: mi + 1, day: day) * 86_400 + Int64(hour) * 3600
        let daylight = localSecond + 4 * 3600
        return isDaylightTime(daylight) ? daylight : localSecond + 5 * 3600
    }

    /// The next top of the hour strictly after `second`.
    public static func nextHour(after second: Int64) -> Int64 { (floorDiv(second, 3600) + 1) * 3600 }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }

    static func civil(days z0: Int64) -> (Int, Int, Int) {
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

    static func days(year y0: Int, month m: Int, day d: Int) -> Int64 {
        let y = Int64(m <= 2 ? y0 - 1 : y0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64(m > 2 ? m - 3 : m + 9)
        let doy = (153 * mp + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

private func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
