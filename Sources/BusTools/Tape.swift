import BusWire
#if canImport(Glibc)
import Glibc
#endif

/// A bus recording: one JSON object per line. The first line is a header
/// `{"recio_tape":1,"created":"…","filters":[…]}`; each further line is
/// `{"t":"<receive time>","topic":"…","env":<the envelope exactly as received>}`.
/// Line-oriented so a recording cut off mid-write loses at most its last line.
public enum Tape {
    /// One recorded message.
    public struct Entry: Sendable, Equatable {
        /// When the recorder received it.
        public var received: BusTime
        public var envelope: Envelope
        public init(received: BusTime, envelope: Envelope) { self.received = received; self.envelope = envelope }
    }

    /// The bytes of one entry's line, newline included.
    public static func line(_ e: Entry) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: #"{"t":""#.utf8)
        e.received.appendRFC3339(to: &out)
        out.append(contentsOf: #"","topic":"#.utf8)
        EnvelopeCodec.appendString(e.envelope.topic, to: &out)
        out.append(contentsOf: #","env":"#.utf8)
        out.append(contentsOf: e.envelope.encoded)
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    /// The header line.
    public static func header(created: BusTime, filters: [TopicFilter]) -> [UInt8] {
        var out = Array(#"{"recio_tape":1,"created":""#.utf8)
        created.appendRFC3339(to: &out)
        out.append(contentsOf: #"","filters":["#.utf8)
        for (i, f) in filters.enumerated() {
            if i > 0 { out.append(0x2C) }
            EnvelopeCodec.appendString(f.rawValue, to: &out)
        }
        out.append(contentsOf: "]}\n".utf8)
        return out
    }

    /// Parses a tape's text. Malformed lines (such as a truncated last line) are skipped and counted.
    public static func parse(_ bytes: [UInt8]) -> (entries: [Entry], skipped: Int) {
        var entries: [Entry] = []
        var skipped = 0
        var first = true
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
            if first { first = false; if line.starts(with: Array(#"{"recio_tape""#.utf8)) { continue } }
            if let e = entry(Array(line)) { entries.append(e) } else { skipped += 1 }
        }
        return (entries, skipped)
    }

    /// Reads a tape file.
    public static func read(path: String) throws(ToolError) -> (entries: [Entry], skipped: Int) {
        guard let f = fopen(path, "rb") else { throw ToolError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            bytes += chunk[0..<n]
            if n < chunk.count { break }
        }
        return parse(bytes)
    }

    /// `{"t":"…","topic":"…","env":{…}}` → entry. The layout is fixed by ``line(_:)``.
    static func entry(_ line: [UInt8]) -> Entry? {
        let tPrefix = Array(#"{"t":""#.utf8), topicKey = Array(#"","topic":"#.utf8), envKey = Array(#","env":"#.utf8)
        guard line.starts(with: tPrefix), line.last == 0x7D, line.count > 40 else { return nil }
        let tEnd = tPrefix.count + 27
        guard line.count > tEnd + topicKey.count, Array(line[tEnd..<(tEnd + topicKey.count)]) == topicKey,
            let received = BusTime(rfc3339: line[tPrefix.count..<tEnd])
        else { return nil }
        // The topic is a JSON string without escapes in practice; find the env key after it.
        let rest = Array(line[(tEnd + topicKey.count)...])
        guard let envAt = rest.firstRange(of: envKey) else { return nil }
        let topicJSON = rest[..<envAt.lowerBound]
        guard topicJSON.count >= 2, topicJSON.first == 0x22, topicJSON.last == 0x22 else { return nil }
        let topic = String(decoding: topicJSON.dropFirst().dropLast(), as: UTF8.self)
        let env = Array(rest[envAt.upperBound..<(rest.count - 1)])
        guard let envelope = try? EnvelopeCodec.decode(topic: topic, bytes: env) else { return nil }
        return Entry(received: received, envelope: envelope)
    }
}

/// Why a terminal tool failed. One error type for BusTools.
public struct ToolError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ message: String) { description = message }
}
