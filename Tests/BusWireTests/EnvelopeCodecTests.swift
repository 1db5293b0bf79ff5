import BusWire
import Testing

@Suite("Envelope codec: exact output, strict input")
struct EnvelopeCodecTests {
    let ts = BusTime(microseconds: 1_747_346_400_123_456)

    @Test("writes the documented shape byte for byte")
    func goldenEncoding() {
        let bytes = EnvelopeCodec.encode(type: "t.x", src: "p@h", seq: 42, ts: ts, data: Array(#"{"a":1}"#.utf8))
        #expect(String(decoding: bytes, as: UTF8.self)
            == #"{"v":1,"type":"t.x","src":"p@h","seq":42,"ts":"2025-05-15T22:00:00.123456Z","data":{"a":1}}"#)
    }

    @Test("round-trips every field, including escaped text")
    func roundTrip() throws {
        let src = "we\"ird\\src\n\u{1}é😀@h"
        let bytes = EnvelopeCodec.encode(type: "sys.heartbeat", src: src, seq: UInt64.max, ts: ts, data: Array(#"{"s":"x\"y","n":[1,2.5e3,-0.1,true,null,{}]}"#.utf8))
        let e = try EnvelopeCodec.decode(topic: "sys.heartbeat.p", bytes: bytes)
        #expect(e.src == src)
        #expect(e.type == "sys.heartbeat")
        #expect(e.seq == UInt64.max)
        #expect(e.ts == ts)
        #expect(e.dataText == #"{"s":"x\"y","n":[1,2.5e3,-0.1,true,null,{}]}"#)
        #expect(e.encoded == bytes)
    }

    @Test("accepts other key orders, whitespace and unknown keys")
    func tolerantOfLayout() throws {
        let text = #" { "data" : { } , "extra":[1,{"k":"v"}], "ts":"2025-05-15T22:00:00Z","seq":7,"src":"s@h","type":"t","v":1 } "#
        let e = try EnvelopeCodec.decode(topic: "x", bytes: Array(text.utf8))
        #expect(e.seq == 7)
        #expect(e.dataText == "{ }")
    }

    @Test("refuses malformed envelopes with a reason", arguments: [
        "", "[]", "{}", "null", #"{"v":1}"#,
        #"{"v":2,"type":"t","src":"s","seq":1,"ts":"2025-05-15T22:00:00Z","data":{}}"#,
        #"{"v":1,"type":"t","src":"s","seq":-1,"ts":"2025-05-15T22:00:00Z","data":{}}"#,
        #"{"v":1,"type":"t","src":"s","seq":1.5,"ts":"2025-05-15T22:00:00Z","data":{}}"#,
        #"{"v":1,"type":"t","src":"s","seq":1,"ts":"yesterday","data":{}}"#,
        #"{"v":1,"type":"t","src":"s","seq":1,"ts":"2025-05-15T22:00:00Z","data":[]}"#,
        #"{"v":1,"type":"t","src":"s","seq":1,"ts":"2025-05-15T22:00:00Z","data":{}} x"#,
        #"{"v":1,"type":"t","src":"s","seq":1,"ts":"2025-05-15T22:00:00Z","data":{"a":tru}}"#,
        #"{"v":1,"type":"t","src":"s","seq":1,"ts":"2025-05-15T22:00:00Z","data":{"a":"\q"}}"#,
        #"{"v":1,"type":"t","src":"s","seq":99999999999999999999999,"ts":"2025-05-15T22:00:00Z","data":{}}"#,
        #"{"v":1,"type":"","src":"s","seq":1,"ts":"2025-05-15T22:00:00Z","data":{}}"#,
    ])
    func refusesMalformed(_ text: String) {
        #expect(throws: WireError.self) { try EnvelopeCodec.decode(topic: "x", bytes: Array(text.utf8)) }
    }

    @Test("every truncation of a valid envelope is refused, never half-read")
    func truncationsAreRefused() {
        let bytes = EnvelopeCodec.encode(type: "t", src: "s@h", seq: 1, ts: ts, data: Array(#"{"a":[1,{"b":"c"}]}"#.utf8))
        for n in 0..<bytes.count {
            #expect(throws: WireError.self) { try EnvelopeCodec.decode(topic: "x", bytes: Array(bytes[0..<n])) }
        }
    }

    @Test("random bytes and deep nesting never crash")
    func randomInputIsSafe() {
        var rng = SplitMix(seed: 7)
        let alphabet = Array(#"{}[]":,0123456789.eE-+truefalsn\ abv"#.utf8)
        for _ in 0..<20_000 {
            let n = Int(rng.next() % 64)
            let bytes = (0..<n).map { _ in rng.next() % 4 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            _ = try? EnvelopeCodec.decode(topic: "x", bytes: bytes)
        }
        let deep = #"{"v":1,"type":"t","src":"s","seq":1,"ts":"2025-05-15T22:00:00Z","data":{"a":"# + String(repeating: "[", count: 100_000) + "}}"
        #expect(throws: WireError.self) { try EnvelopeCodec.decode(topic: "x", bytes: Array(deep.utf8)) }
    }

    @Test("refuses envelopes over the size limit")
    func sizeLimit() {
        let bytes = EnvelopeCodec.encode(type: "t", src: "s", seq: 1, ts: ts, data: Array(("{\"a\":\"" + String(repeating: "x", count: 2000) + "\"}").utf8))
        #expect(throws: WireError.self) { try EnvelopeCodec.decode(topic: "x", bytes: bytes, maxSize: 1000) }
    }

    @Test("typed payloads decode from data, and a wrong shape is a badPayload error")
    func typedDecode() throws {
        let beat = Heartbeat(plugin: "p", host: "h", pid: 1, state: .running, uptime: 1.5, rss: 10, dataAges: ["price": 0.25, "book": nil])
        let data = try JSONEncoderShim.encode(beat)
        let e = try EnvelopeCodec.decode(topic: "sys.heartbeat.p", bytes: EnvelopeCodec.encode(type: Heartbeat.typeName, src: "p@h", seq: 1, ts: ts, data: data))
        #expect(try e.decode(Heartbeat.self) == beat)
        do {
            _ = try e.decode(Ping.self)
            Issue.record("decoding a heartbeat as a ping should fail")
        } catch {
            #expect(error.kind == .badPayload)
        }
    }
}

/// A small deterministic generator so random tests repeat exactly.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

import Foundation
enum JSONEncoderShim {
    static func encode<T: Encodable>(_ v: T) throws -> [UInt8] { Array(try JSONEncoder().encode(v)) }
}
