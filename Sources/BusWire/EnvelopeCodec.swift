/// Writes and reads the envelope, the second frame of every message.
///
/// The header is written by hand (no `JSONEncoder` on the hot path) and read with a strict scanner that
/// validates the whole document, so a malformed message is refused with a reason instead of half-read.
public enum EnvelopeCodec {
    /// The envelope version this code writes and reads.
    public static let version: UInt64 = 1
    /// The default largest envelope accepted, in bytes (the broker and the kit enforce it).
    public static let defaultMaxSize = 1 << 20

    /// Encodes an envelope. `data` must already be a JSON object's UTF-8 text.
    public static func encode(type: String, src: String, seq: UInt64, ts: BusTime, data: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(72 + type.utf8.count + src.utf8.count + data.count)
        out.append(contentsOf: #"{"v":1,"type":"#.utf8)
        appendString(type, to: &out)
        out.append(contentsOf: #","src":"#.utf8)
        appendString(src, to: &out)
        out.append(contentsOf: #","seq":"#.utf8)
        appendDecimal(seq, to: &out)
        out.append(contentsOf: #","ts":""#.utf8)
        ts.appendRFC3339(to: &out)
        out.append(contentsOf: #"","data":"#.utf8)
        out.append(contentsOf: data)
        out.append(0x7D)
        return out
    }

    /// Decodes an envelope received on `topic`.
    /// - Throws: ``WireError`` when the bytes are not one JSON object with `v` = 1, string `type` and `src`,
    ///   integer `seq`, RFC 3339 `ts` and an object `data`, or are larger than `maxSize`.
    public static func decode(topic: String, bytes: UnsafeRawBufferPointer, maxSize: Int = defaultMaxSize) throws(WireError) -> Envelope {
        guard bytes.count <= maxSize else { throw WireError(.tooLarge, "\(bytes.count) bytes exceeds the \(maxSize)-byte limit") }
        var s = JSONScanner(bytes)
        var v: UInt64?, type: String?, src: String?, seq: UInt64?, ts: BusTime?, data: Range<Int>?
        var seen: UInt8 = 0
        try s.expect(0x7B)
        if !s.take(0x7D) {
            repeat {
                let key = try s.string()
                try s.expect(0x3A)
                // A header key given twice is refused: the broker checks the first `src`, so a reader must never
                // act on a second one.
                let bit: UInt8 = switch key { case "v": 1; case "type": 2; case "src": 4; case "seq": 8; case "ts": 16; case "data": 32; default: 0 }
                guard seen & bit == 0 else { throw .malformed("\(key) appears twice") }
                seen |= bit
                switch key {
                case "v": v = try s.unsigned()
                case "type": type = try s.string()
                case "src": src = try s.string()
                case "seq": seq = try s.unsigned()
                case "ts":
                    let text = try s.string()
                    guard let t = BusTime(rfc3339: text.utf8) else { throw .malformed("ts '\(text)' is not RFC 3339") }
                    ts = t
                case "data":
                    s.skipSpace()
                    guard !s.atEnd, bytes[s.i] == 0x7B else { throw .malformed("data is not an object") }
                    data = try s.skipValue()
                default: _ = try s.skipValue()  // unknown keys are allowed, for forward compatibility
                }
            } while s.take(0x2C)
            try s.expect(0x7D)
        }
        s.skipSpace()
        guard s.atEnd else { throw .malformed("trailing bytes after the envelope") }
        guard let v else { throw .malformed("missing v") }
        guard v == version else { throw WireError(.unsupportedVersion, "envelope version \(v); this build reads \(version)") }
        guard let type, !type.isEmpty else { throw .malformed("missing type") }
        guard let src, !src.isEmpty else { throw .malformed("missing src") }
        guard let seq else { throw .malformed("missing seq") }
        guard let ts else { throw .malformed("missing ts") }
        guard let data else { throw .malformed("missing data") }
        return Envelope(topic: topic, type: type, src: src, seq: seq, ts: ts, data: Array(bytes[data]))
    }

    /// The envelope's `src` without decoding the rest: what the broker checks against the sender's identity.
    /// Reads the top-level keys up to the first `src` (this encoder writes it third), skipping the values before
    /// it; nil when there is none or the bytes up to it are not a JSON object. A second `src` later in the
    /// envelope makes ``decode(topic:bytes:maxSize:)`` refuse it, so the first is the one every reader sees.
    public static func source(of bytes: UnsafeRawBufferPointer) -> String? {
        var s = JSONScanner(bytes)
        do throws(WireError) {
            try s.expect(0x7B)
            repeat {
                let key = try s.string()
                try s.expect(0x3A)
                if key == "src" { return try s.string() }
                _ = try s.skipValue()
            } while s.take(0x2C)
        } catch { return nil }
        return nil
    }

    /// Decodes an envelope from an array of bytes.
    public static func decode(topic: String, bytes: [UInt8], maxSize: Int = defaultMaxSize) throws(WireError) -> Envelope {
        try withBytes(bytes) { (b) throws(WireError) in try decode(topic: topic, bytes: b, maxSize: maxSize) }
    }

    /// Appends `s` as a JSON string literal.
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        for c in s.utf8 {
            switch c {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 15)]])
            default: out.append(c)
            }
        }
        out.append(0x22)
    }

    static func appendDecimal(_ v: UInt64, to out: inout [UInt8]) {
        if v == 0 { out.append(48); return }
        let start = out.count
        var x = v
        while x > 0 { out.append(UInt8(48 + x % 10)); x /= 10 }
        out[start...].reverse()
    }

    /// Checks that `bytes` is exactly one JSON object (what `data` must be).
    public static func validateObject(_ bytes: [UInt8]) throws(WireError) {
        try withBytes(bytes) { (b) throws(WireError) in
            var s = JSONScanner(b)
            s.skipSpace()
            guard !s.atEnd, b[s.i] == 0x7B else { throw WireError(.badPayload, "data must be a JSON object") }
            _ = try s.skipValue()
            s.skipSpace()
            guard s.atEnd else { throw WireError(.badPayload, "trailing bytes after the data object") }
        }
    }
}

/// `Array.withUnsafeBytes` with a typed throw (the standard library's version rethrows `any Error`).
func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(WireError) -> R) throws(WireError) -> R {
    let result: Result<R, WireError> = bytes.withUnsafeBytes { b in
        do throws(WireError) { return .success(try body(b)) } catch { return .failure(error) }
    }
    return try result.get()
}
