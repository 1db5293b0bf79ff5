/// US Eastern civil time (Kalshi's clock) as arithmetic on Unix seconds: daylight saving, local dates and hours, and
/// the `YYMMMDDHH` code an hourly event ticker (`KXBTCD-25MAY1522`) names its close by.
public enum EasternTime {
    /// A US Eastern local date and time.
    public struct Local: Equatable, Sendable {
        public var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
        /// Whether daylight saving time (EDT) is in force.
        public var daylight: Bool
        /// `2026-12-01`.
        public var dateText: String { "\(year)-\(two(month))-\(two(day))" }
        /// `14`.
        public var hourText: String { two(hour) }
    }

    /// The Eastern local time of a Unix second.
    public static func local(_ second: Int64) -> Local {
        let dst = isDaylightTime(second)
        let shifted = second + (dst ? -4 : -5) * 3600
        let days = CivilDate.floorDiv(shifted, 86_400)
        let (y, m, d) = CivilDate.civil(days: days)
        let rem = Int(shifted - days * 86_400)
        return Local(year: Int(y), month: Int(m), day: Int(d), hour: rem / 3600, minute: rem / 60 % 60, second: rem % 60, daylight: dst)
    }

    /// True when US daylight saving time is in force (second Sunday of March 02:00 EST to first Sunday of
    /// November 02:00 EDT).
    public static func isDaylightTime(_ second: Int64) -> Bool {
        let year = CivilDate.civil(days: CivilDate.floorDiv(second, 86_400)).year
        func sunday(month: Int64, nth: Int64) -> Int64 {
            let first = CivilDate.days(year: year, month: month, day: 1)
            let weekday = ((first + 4) % 7 + 7) % 7  // 0 = Sunday; 1970-01-01 was a Thursday
            return first + (7 - weekday) % 7 + 7 * (nth - 1)
        }
        let start = sunday(month: 3, nth: 2) * 86_400 + 7 * 3600  // 02:00 EST = 07:00 UTC
        let end = sunday(month: 11, nth: 1) * 86_400 + 6 * 3600  // 02:00 EDT = 06:00 UTC
        return second >= start && second < end
    }

    /// Kalshi's month codes.
    public static let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]

    /// The event code of an hourly close: `YYMMMDDHH` in Eastern time, e.g. `26SEP0920`.
    public static func eventCode(closeSecond: Int64) -> String {
        let e = local(closeSecond)
        return two(e.year % 100) + months[e.month - 1] + two(e.day) + two(e.hour)
    }

    /// The close (Unix seconds) an event ticker `SERIES-YYMMMDDHH` names, or nil when the ticker does not have that
    /// shape: the inverse of ``eventCode(closeSecond:)``.
    public static func closeTs(eventTicker: String) -> Int64? {
        guard let dash = eventTicker.lastIndex(of: "-") else { return nil }
        let code = Array(eventTicker[eventTicker.index(after: dash)...])
        guard code.count == 9, let yy = Int64(String(code[0..<2])), let mi = months.firstIndex(of: String(code[2..<5])),
            let day = Int64(String(code[5..<7])), let hour = Int64(String(code[7..<9])), hour < 24, (1...31).contains(day)
        else { return nil }
        let localSecond = CivilDate.days(year: 2000 + yy, month: Int64(mi + 1), day: day) * 86_400 + hour * 3600
        let daylight = localSecond + 4 * 3600
        return isDaylightTime(daylight) ? daylight : localSecond + 5 * 3600
    }

    /// The Unix second of midnight US Eastern starting the civil day `year-month-day` (daylight saving never changes
    /// at midnight, so the offset at that instant is the day's first).
    public static func startOfDay(year: Int64, month: Int64, day: Int64) -> Int64 {
        let localSecond = CivilDate.days(year: year, month: month, day: day) * 86_400
        let daylight = localSecond + 4 * 3600
        return isDaylightTime(daylight) ? daylight : localSecond + 5 * 3600
    }

    /// The Unix second starting the US Eastern day `YYYY-MM-DD`, or nil when the text is not a valid date of that
    /// shape.
    public static func startOfDay(_ text: String) -> Int64? {
        days(text).map { startOfDay(year: $0.year, month: $0.month, day: $0.day) }
    }

    /// The Unix second starting the US Eastern day after `YYYY-MM-DD` (the end of that day, exclusive), or nil for a
    /// bad date.
    public static func endOfDay(_ text: String) -> Int64? {
        guard let d = days(text) else { return nil }
        let next = CivilDate.civil(days: CivilDate.days(year: d.year, month: d.month, day: d.day) + 1)
        return startOfDay(year: next.year, month: next.month, day: next.day)
    }

    /// `YYYY-MM-DD` as numbers, nil unless it names a real date.
    static func days(_ text: String) -> (year: Int64, month: Int64, day: Int64)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.allSatisfy({ $0 == "-" || ("0"..."9").contains($0) }), parts.map(\.count) == [4, 2, 2],
            let y = Int64(parts[0]), let m = Int64(parts[1]), let d = Int64(parts[2]), d >= 1 else { return nil }
        // Day counts round-trip only for real dates (2026-02-30 comes back as March 2nd).
        let back = CivilDate.civil(days: CivilDate.days(year: y, month: m, day: d))
        return back.year == y && back.month == m && back.day == d ? (y, m, d) : nil
    }

    /// The next top of the hour strictly after `second`.
    public static func nextHour(after second: Int64) -> Int64 { (CivilDate.floorDiv(second, 3600) + 1) * 3600 }
}

/// Two digits, zero-padded.
func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
