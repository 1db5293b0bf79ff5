/// Integer fixed-point parsing and formatting shared by ``Dollars`` and ``Contracts``.
enum FixedPoint {
    /// Parses an optional sign, digits, and at most `decimals` fraction digits into an integer scaled by
    /// 10^`decimals`. Refuses exponents, spaces, empty parts and values that overflow.
    static func parse(_ text: some StringProtocol, decimals: Int) -> Int64? {
        var utf8 = Substring(text).utf8[...]
        var negative = false
        if let f = utf8.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") {
            negative = f == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        var value: Int64 = 0
        var fraction = -1  // digits seen after the point; -1 before it
        var digits = 0
        for b in utf8 {
            if b == UInt8(ascii: ".") {
                guard fraction < 0 else { return nil }
                fraction = 0
                continue
            }
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            if fraction >= 0 {
                fraction += 1
                guard fraction <= decimals else { return nil }
            }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(b - UInt8(ascii: "0")))
            guard !o1, !o2 else { return nil }
            value = a
            digits += 1
        }
        guard digits > 0, fraction != 0 else { return nil }
        for _ in 0..<(decimals - max(fraction, 0)) {
            let (m, o) = value.multipliedReportingOverflow(by: 10)
            guard !o else { return nil }
            value = m
        }
        return negative ? -value : value
    }

    /// Divides by 10^`places`, rounding half away from zero.
    static func round(_ value: Int64, dropping places: Int) -> Int64 {
        guard places > 0 else { return value }
        var p: Int64 = 1
        for _ in 0..<places { p *= 10 }
        let q = value / p, r = value % p
        if abs(r) * 2 >= p { return q + (value < 0 ? -1 : 1) }
        return q
    }

    /// Writes `value` (scaled by 10^`scale`) with exactly `decimals` fraction digits; `decimals == scale`.
    static func format(_ value: Int64, decimals: Int, of scale: Int) -> String {
        var p: Int64 = 1
        for _ in 0..<scale { p *= 10 }
        let magnitude = value.magnitude
        let whole = magnitude / UInt64(p), frac = magnitude % UInt64(p)
        var s = value < 0 ? "-" : ""
        s += String(whole)
        if decimals > 0 {
            let f = String(frac)
            s += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return s
    }
}
