import CivilTime

/// A point in time as whole microseconds since the Unix epoch, UTC: the resolution of the envelope's `ts`.
public struct BusTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microseconds: Int64

    /// A time from microseconds since the epoch.
    public init(microseconds: Int64) { self.microseconds = microseconds }

    /// A time from whole seconds since the epoch.
    public init(seconds: Int64) { self.microseconds = seconds * 1_000_000 }

    public static func < (a: BusTime, b: BusTime) -> Bool { a.microseconds < b.microseconds }

    /// Seconds from `self` to `later`, as a float for display and rates (never for money).
    public func seconds(until later: BusTime) -> Double { Double(later.microseconds - microseconds) / 1e6 }

    /// Whole Unix seconds (rounded down).
    public var unixSeconds: Int64 { microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000 }

    /// This time moved by `seconds`.
    public func adding(seconds: Double) -> BusTime { BusTime(microseconds: microseconds + Int64(seconds * 1e6)) }

    /// RFC 3339 with exactly six fractional digits and `Z`: `2025-05-15T22:00:00.000000Z`.
    public var description: String { String(decoding: rfc3339Bytes, as: UTF8.self) }

    /// The RFC 3339 text as UTF-8 bytes (what the codec writes).
    public var rfc3339Bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(27)
        appendRFC3339(to: &out)
        return out
    }

    /// Appends the RFC 3339 text to `out` without allocating intermediate strings.
    public func appendRFC3339(to out: inout [UInt8]) {
        let (secs, micros) = microseconds.floorDivided(by: 1_000_000)
        let (days, secOfDay) = secs.floorDivided(by: 86_400)
        let (y, m, d) = CivilDate.civil(days: days)
        func put(_ v: Int64, _ width: Int) {
            let end = out.count + width
            out.append(contentsOf: repeatElement(48, count: width))
            var x = v
            for i in stride(from: end - 1, through: end - width, by: -1) { out[i] = UInt8(48 + x % 10); x /= 10 }
        }
        put(y, 4); out.append(45); put(m, 2); out.append(45); put(d, 2); out.append(84)
        put(secOfDay / 3600, 2); out.append(58); put(secOfDay / 60 % 60, 2); out.append(58); put(secOfDay % 60, 2)
        out.append(46); put(micros, 6); out.append(90)
    }

    /// Parses RFC 3339 (`Z` or `±hh:mm` offset, 0–9 fractional digits; beyond microseconds is truncated).
    public init?(rfc3339 text: some Collection<UInt8>) {
        let b = Array(text)
        func num(_ at: Int, _ n: Int) -> Int64? {
            guard at + n <= b.count else { return nil }
            var v: Int64 = 0
            for i in at..<(at + n) {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                v = v * 10 + Int64(b[i] - 48)
            }
            return v
        }
        guard b.count >= 20, let y = num(0, 4), b[4] == 45, let mo = num(5, 2), b[7] == 45, let d = num(8, 2),
            b[10] == 84 || b[10] == 116 || b[10] == 32, let h = num(11, 2), b[13] == 58, let mi = num(14, 2), b[16] == 58,
            let s = num(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
        else { return nil }
        var i = 19
        var micros: Int64 = 0
        if i < b.count && b[i] == 46 {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 6 { micros = micros * 10 + Int64(b[i] - 48) }
                digits += 1; i += 1
            }
            guard digits > 0 else { return nil }
            if digits < 6 { for _ in digits..<6 { micros *= 10 } }
        }
        guard i < b.count else { return nil }
        var offset: Int64 = 0
        switch b[i] {
        case 90, 122: i += 1
        case 43, 45:
            guard let oh = num(i + 1, 2), b.count > i + 3, b[i + 3] == 58, let om = num(i + 4, 2) else { return nil }
            offset = (oh * 60 + om) * 60 * (b[i] == 45 ? -1 : 1)
            i += 6
        default: return nil
        }
        guard i == b.count else { return nil }
        let days = CivilDate.days(year: y, month: mo, day: d)
        microseconds = ((days * 86_400 + h * 3600 + mi * 60 + s) - offset) * 1_000_000 + micros
    }
}

extension Int64 {
    /// Floor division with a non-negative remainder, for times before the epoch.
    func floorDivided(by d: Int64) -> (Int64, Int64) {
        let q = self / d, r = self % d
        return r < 0 ? (q - 1, r + d) : (q, r)
    }
}
