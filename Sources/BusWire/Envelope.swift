#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One message as it travels: the topic frame plus the envelope
/// `{"v":1,"type":…,"src":"<plugin>@<host>","seq":…,"ts":"<RFC 3339 µs UTC>","data":{…}}`.
///
/// `data` stays as raw JSON bytes until a consumer decodes it with ``decode(_:)``, so routing, taps and recorders
/// never pay for decoding payloads they do not read.
public struct Envelope: Sendable, Hashable {
    /// The topic frame.
    public var topic: String
    /// The payload's type name, such as `sys.heartbeat`.
    public var type: String
    /// The publisher, `<plugin>@<host>`.
    public var src: String
    /// The publisher's counter for this topic: 1, 2, 3… Gaps mean lost messages; repeats are duplicates.
    public var seq: UInt64
    /// When the publisher sent it.
    public var ts: BusTime
    /// The `data` object as UTF-8 JSON text.
    public var data: [UInt8]

    /// An envelope from its parts.
    public init(topic: String, type: String, src: String, seq: UInt64, ts: BusTime, data: [UInt8]) {
        self.topic = topic
        self.type = type
        self.src = src
        self.seq = seq
        self.ts = ts
        self.data = data
    }

    /// The `data` object as text.
    public var dataText: String { String(decoding: data, as: UTF8.self) }

    /// Decodes `data` as a typed message.
    /// - Throws: ``WireError`` of kind `badPayload`, naming the type and what did not fit.
    public func decode<M: Decodable>(_ type: M.Type = M.self) throws(WireError) -> M {
        do {
            return try JSONDecoder().decode(M.self, from: Data(data))
        } catch {
            throw WireError(.badPayload, "\(topic): data is not a valid \(M.self): \(error)")
        }
    }

    /// The full envelope JSON (the second frame).
    public var encoded: [UInt8] { EnvelopeCodec.encode(type: type, src: src, seq: seq, ts: ts, data: data) }
}
