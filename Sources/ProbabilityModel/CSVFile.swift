import CZlib

/// A CSV file held as bytes (gzip or plain: zlib reads both), read row by row without a String per field.
public struct CSVFile: Sendable {
    /// The path, for messages.
    public let path: String
    /// The column names of the header line.
    public let header: [String]
    let bytes: [UInt8]
    let bodyStart: Int

    /// Reads `path` whole. - Throws: ``ModelError`` when the file cannot be opened or decompressed.
    public init(path: String) throws(ModelError) {
        guard let file = gzopen(path, "rb") else { throw ModelError("\(path): cannot open") }
        defer { gzclose(file) }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if n < 0 { throw ModelError("\(path): read error (corrupt gzip?)") }
            if n == 0 { break }
            data.append(contentsOf: buffer[0..<Int(n)])
        }
        self.init(path: path, bytes: data)
    }

    /// A CSV from bytes already in memory (tests).
    public init(path: String, bytes: [UInt8]) {
        self.path = path; self.bytes = bytes
        let end = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        var line = bytes[0..<end]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        header = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        bodyStart = min(bytes.count, end + 1)
    }

    /// The index of column `name`. - Throws: ``ModelError`` naming the file when it is missing.
    public func column(_ name: String) throws(ModelError) -> Int {
        guard let i = header.firstIndex(of: name) else { throw ModelError("\(path):1: no column '\(name)' in the header") }
        return i
    }

    /// Calls `body` for every non-empty data line; the row is valid only during the call.
    public func forEachRow(_ body: (borrowing CSVRow) throws(ModelError) -> Void) throws(ModelError) {
        try bytes.withUnsafeBufferPointer { (buf: UnsafeBufferPointer<UInt8>) throws(ModelError) in
            var row = CSVRow(base: buf, starts: [], ends: [], line: 1)
            row.starts.reserveCapacity(32); row.ends.reserveCapacity(32)
            var i = bodyStart
            let n = buf.count
            while i < n {
                row.line += 1
                row.starts.removeAll(keepingCapacity: true); row.ends.removeAll(keepingCapacity: true)
                var start = i
                while i < n && buf[i] != 10 {
                    if buf[i] == 44 { row.starts.append(start); row.ends.append(i); start = i + 1 }
                    i += 1
                }
                var end = i
                if end > start && buf[end - 1] == 13 { end -= 1 }
                row.starts.append(start); row.ends.append(end)
                i += 1
                if row.starts.count == 1 && end == start { continue }
                try body(row)
            }
        }
    }
}

/// One CSV line: its fields as byte ranges of the file.
public struct CSVRow: ~Copyable {
    let base: UnsafeBufferPointer<UInt8>
    var starts: [Int], ends: [Int]
    /// The 1-based line number.
    public var line: Int

    /// Fields on this line.
    public var count: Int { starts.count }
    /// Whether field `i` is missing or empty.
    public func isEmpty(_ i: Int) -> Bool { i >= starts.count || starts[i] == ends[i] }
    /// Field `i` as text.
    public func string(_ i: Int) -> String {
        i < starts.count ? String(decoding: UnsafeBufferPointer(rebasing: base[starts[i]..<ends[i]]), as: UTF8.self) : ""
    }
    /// Whether field `i` holds exactly `bytes`.
    public func equals(_ i: Int, _ bytes: [UInt8]) -> Bool {
        guard i < starts.count, ends[i] - starts[i] == bytes.count else { return false }
        for k in 0..<bytes.count where base[starts[i] + k] != bytes[k] { return false }
        return true
    }
    /// Field `i` as bytes.
    public func bytes(_ i: Int) -> [UInt8] { i < starts.count ? Array(base[starts[i]..<ends[i]]) : [] }

    /// Field `i` as an integer.
    public func int(_ i: Int) -> Int64? {
        guard i < starts.count, starts[i] < ends[i] else { return nil }
        var k = starts[i], negative = false
        if base[k] == 45 { negative = true; k += 1 }
        guard k < ends[i] else { return nil }
        var v: Int64 = 0
        while k < ends[i] {
            let d = base[k] &- 48
            guard d < 10 else { return nil }
            v = v * 10 + Int64(d); k += 1
        }
        return negative ? -v : v
    }

    /// Field `i` as a number: plain decimals fast, anything else (exponents) through the standard parser.
    public func double(_ i: Int) -> Double? {
        guard i < starts.count, starts[i] < ends[i] else { return nil }
        var k = starts[i], negative = false
        if base[k] == 45 { negative = true; k += 1 } else if base[k] == 43 { k += 1 }
        var mantissa: Int64 = 0, scale = 0, digits = 0, seenDot = false
        while k < ends[i] {
            let c = base[k]
            if c == 46 && !seenDot { seenDot = true } else {
                let d = c &- 48
                guard d < 10, digits < 18 else { return Double(string(i)) }
                mantissa = mantissa * 10 + Int64(d); digits += 1
                if seenDot { scale += 1 }
            }
            k += 1
        }
        guard digits > 0 else { return nil }
        let v = Double(mantissa) / CSVRow.powers[scale]
        return negative ? -v : v
    }

    static let powers: [Double] = (0...18).map { p in (0..<p).reduce(1.0) { r, _ in r * 10 } }
}
