/// A strict, allocation-light JSON scanner over UTF-8 bytes: enough to read the envelope's header fields and to
/// validate and skip any value (the `data` object is kept as raw bytes and decoded only when a consumer asks).
struct JSONScanner {
    let b: UnsafeRawBufferPointer
    var i = 0
    /// Nesting limit; deeper input is refused rather than risking the stack.
    static let maxDepth = 64

    init(_ bytes: UnsafeRawBufferPointer) { b = bytes }

    var atEnd: Bool { i >= b.count }

    mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    mutating func expect(_ c: UInt8) throws(WireError) {
        skipSpace()
        guard i < b.count, b[i] == c else { throw .malformed("expected '\(Character(Unicode.Scalar(c)))' at byte \(i)") }
        i += 1
    }

    /// Consumes `c` if it is next (after whitespace).
    mutating func take(_ c: UInt8) -> Bool {
        skipSpace()
        if i < b.count, b[i] == c { i += 1; return true }
        return false
    }

    /// Reads a string and returns its decoded text.
    mutating func string() throws(WireError) -> String {
        try expect(0x22)
        let start = i
        var simple = true
        while i < b.count, b[i] != 0x22 {
            if b[i] == 0x5C { simple = false; i += 2; continue }
            guard b[i] >= 0x20 else { throw .malformed("control character in string at byte \(i)") }
            i += 1
        }
        guard i < b.count else { throw .malformed("unterminated string") }
        let raw = UnsafeRawBufferPointer(rebasing: b[start..<i])
        i += 1
        if simple {
            guard let s = utf8String(raw) else { throw .malformed("invalid UTF-8 in string") }
            return s
        }
        return try Self.unescape(raw)
    }

    static func unescape(_ raw: UnsafeRawBufferPointer) throws(WireError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var j = 0
        func hex4(_ at: Int) throws(WireError) -> UInt32 {
            guard at + 4 <= raw.count else { throw .malformed("short \\u escape") }
            var v: UInt32 = 0
            for k in at..<(at + 4) {
                let c = raw[k]
                let d: UInt8
                switch c {
                case 48...57: d = c - 48
                case 65...70: d = c - 55
                case 97...102: d = c - 87
                default: throw .malformed("bad \\u escape")
                }
                v = v << 4 | UInt32(d)
            }
            return v
        }
        while j < raw.count {
            let c = raw[j]
            guard c == 0x5C else { out.append(c); j += 1; continue }
            guard j + 1 < raw.count else { throw .malformed("dangling escape") }
            let e = raw[j + 1]
            j += 2
            switch e {
            case 0x22, 0x5C, 0x2F: out.append(e)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var scalar = try hex4(j)
                j += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    guard j + 6 <= raw.count, raw[j] == 0x5C, raw[j + 1] == 0x75 else { throw .malformed("lone surrogate") }
                    let low = try hex4(j + 2)
                    guard (0xDC00..<0xE000).contains(low) else { throw .malformed("bad surrogate pair") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    j += 6
                }
                guard let u = Unicode.Scalar(scalar) else { throw .malformed("invalid code point") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw .malformed("unknown escape \\\(Character(Unicode.Scalar(e)))")
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw .malformed("invalid UTF-8 in string") }
        return s
    }

    /// Reads a non-negative integer that fits in UInt64.
    mutating func unsigned() throws(WireError) -> UInt64 {
        skipSpace()
        let start = i
        var v: UInt64 = 0
        while i < b.count, b[i] >= 48, b[i] <= 57 {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(b[i] - 48))
            guard !o1 && !o2 else { throw .malformed("integer too large at byte \(start)") }
            v = a
            i += 1
        }
        guard i > start else { throw .malformed("expected a non-negative integer at byte \(start)") }
        guard i >= b.count || !Self.numberContinues(b[i]) else { throw .malformed("expected an integer at byte \(start)") }
        return v
    }

    static func numberContinues(_ c: UInt8) -> Bool { c == 0x2E || c == 0x65 || c == 0x45 || (c >= 48 && c <= 57) }

    /// Validates and skips one value of any kind; returns the byte range it occupied.
    mutating func skipValue(depth: Int = 0) throws(WireError) -> Range<Int> {
        guard depth < Self.maxDepth else { throw .malformed("nesting deeper than \(Self.maxDepth)") }
        skipSpace()
        guard i < b.count else { throw .malformed("unexpected end of input") }
        let start = i
        switch b[i] {
        case 0x7B:  // {
            i += 1
            if !take(0x7D) {
                repeat {
                    _ = try string()
                    try expect(0x3A)
                    _ = try skipValue(depth: depth + 1)
                } while take(0x2C)
                try expect(0x7D)
            }
        case 0x5B:  // [
            i += 1
            if !take(0x5D) {
                repeat { _ = try skipValue(depth: depth + 1) } while take(0x2C)
                try expect(0x5D)
            }
        case 0x22: _ = try string()
        case 0x74: try literal("true")
        case 0x66: try literal("false")
        case 0x6E: try literal("null")
        default: try number()
        }
        return start..<i
    }

    mutating func literal(_ word: StaticString) throws(WireError) {
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count else { throw .malformed("truncated literal") }
        for k in 0..<n where b[i + k] != word.utf8Start[k] { throw .malformed("bad literal at byte \(i)") }
        i += n
    }

    mutating func number() throws(WireError) {
        let start = i
        if i < b.count, b[i] == 0x2D { i += 1 }
        func digits() -> Int {
            let s = i
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
            return i - s
        }
        guard digits() > 0 else { throw .malformed("bad number at byte \(start)") }
        if i < b.count, b[i] == 0x2E { i += 1; guard digits() > 0 else { throw .malformed("bad fraction at byte \(start)") } }
        if i < b.count, b[i] == 0x65 || b[i] == 0x45 {
            i += 1
            if i < b.count, b[i] == 0x2B || b[i] == 0x2D { i += 1 }
            guard digits() > 0 else { throw .malformed("bad exponent at byte \(start)") }
        }
    }
}

/// Text from UTF-8 bytes, or nil when they are not valid UTF-8. ASCII (the common case on the bus) takes a fast
/// path; `String(validating:)` is slow because it is generic at run time.
public func utf8String(_ bytes: UnsafeRawBufferPointer) -> String? {
    var ascii = true
    for b in bytes where b >= 0x80 { ascii = false; break }
    if ascii { return String(decoding: bytes, as: UTF8.self) }
    return String(validating: bytes, as: UTF8.self)
}
