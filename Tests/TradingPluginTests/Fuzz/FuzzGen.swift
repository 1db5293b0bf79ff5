import BusWire
import Foundation

/// SplitMix64: a tiny seeded generator, so every fuzz run with the same seed sends the same bytes.
struct FuzzRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) } }
}

/// Property-based generators of bad input: JSON of the wrong shape for a type, and broken envelopes.
enum FuzzGen {
    /// A random JSON value (nesting at most `depth`), as a Foundation object.
    static func value(_ r: inout FuzzRandom, depth: Int = 3) -> Any {
        switch r.int(0...(depth > 0 ? 7 : 4)) {
        case 0: return NSNull()
        case 1: return r.chance(0.5)
        case 2: return r.int(-1_000_000_000...1_000_000_000)
        case 3: return Double(r.int(-1_000_000...1_000_000)) / 7
        case 4: return text(&r)
        case 5, 6: return (0..<r.int(0...4)).map { _ in value(&r, depth: depth - 1) }
        default: return object(&r, depth: depth - 1)
        }
    }

    /// A random JSON object.
    static func object(_ r: inout FuzzRandom, depth: Int = 3) -> [String: Any] {
        var o: [String: Any] = [:]
        for _ in 0..<r.int(0...5) { o[text(&r)] = value(&r, depth: depth) }
        return o
    }

    /// A short random string, sometimes with quotes, escapes, control characters or non-ASCII.
    static func text(_ r: inout FuzzRandom) -> String {
        let alphabet = Array("abcXYZ019_-.\"\\/\u{0}\u{7}\n\té€😀")
        return String((0..<r.int(0...12)).map { _ in alphabet[r.int(0...(alphabet.count - 1))] })
    }

    /// A value of a different JSON kind than `v`.
    static func otherKind(than v: Any, _ r: inout FuzzRandom) -> Any {
        let choices: [Any] = [NSNull(), "x", [1, 2], ["k": 1], true, -1.5, 99_999_999_999_999_999.0]
        while true {
            let c = choices[r.int(0...(choices.count - 1))]
            if kind(c) != kind(v) { return c }
        }
    }

    private static func kind(_ v: Any) -> String {
        switch v {
        case is NSNull: return "null"
        case is String: return "string"
        case is [Any]: return "array"
        case is [String: Any]: return "object"
        case is NSNumber, is Bool, is Int, is Double: return "number"
        default: return "other"
        }
    }

    /// `sample` (a valid message) broken one way or another: a key dropped, a value of the wrong kind (at any depth),
    /// every value replaced, or a random object. Returns JSON object text.
    static func wrongShape<M: Encodable>(of sample: M, _ r: inout FuzzRandom) -> [UInt8] {
        let encoded = (try? JSONEncoder().encode(sample)) ?? Data("{}".utf8)
        guard var o = (try? JSONSerialization.jsonObject(with: encoded)) as? [String: Any], !o.isEmpty else {
            return serialize(object(&r))
        }
        switch r.int(0...4) {
        case 0: o.removeValue(forKey: o.keys.sorted()[r.int(0...(o.count - 1))])
        case 1, 2: o = mutate(o, &r)
        case 3: for k in o.keys { o[k] = otherKind(than: o[k]!, &r) }
        default: o = object(&r)
        }
        return serialize(o)
    }

    /// One value somewhere inside `o` made the wrong kind.
    private static func mutate(_ o: [String: Any], _ r: inout FuzzRandom) -> [String: Any] {
        var o = o
        let key = o.keys.sorted()[r.int(0...(o.count - 1))]
        if let inner = o[key] as? [String: Any], !inner.isEmpty, r.chance(0.6) {
            o[key] = mutate(inner, &r)
        } else if var list = o[key] as? [Any], !list.isEmpty, r.chance(0.6) {
            let i = r.int(0...(list.count - 1))
            if let inner = list[i] as? [String: Any], !inner.isEmpty { list[i] = mutate(inner, &r) } else { list[i] = otherKind(than: list[i], &r) }
            o[key] = list
        } else {
            o[key] = otherKind(than: o[key]!, &r)
        }
        return o
    }

    static func serialize(_ o: [String: Any]) -> [UInt8] {
        guard JSONSerialization.isValidJSONObject(o) else { return Array("{}".utf8) }
        return Array((try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])) ?? Data("{}".utf8))
    }

    /// Envelope bytes that the bus must refuse: random bytes, a truncated envelope, a wrong version, a `data` that is
    /// not an object, a missing field, or deep nesting.
    static func brokenEnvelope(_ r: inout FuzzRandom) -> [UInt8] {
        let good = EnvelopeCodec.encode(type: "fuzz.x", src: "fuzz@test", seq: UInt64(r.int(1...1_000)), ts: BusTime(seconds: 1_700_000_000),
                                        data: Array(#"{"a":1}"#.utf8))
        switch r.int(0...6) {
        case 0: return r.bytes(r.int(0...200))
        case 1: return Array(good.prefix(r.int(0...(good.count - 1))))
        case 2: return Array(String(decoding: good, as: UTF8.self).replacingOccurrences(of: #""v":1"#, with: #""v":2"#).utf8)
        case 3: return Array(String(decoding: good, as: UTF8.self).replacingOccurrences(of: #"{"a":1}"#, with: "[1,2]").utf8)
        case 4: return Array(String(decoding: good, as: UTF8.self).replacingOccurrences(of: #""src":"fuzz@test","#, with: "").utf8)
        case 5: return Array((#"{"v":1,"type":"t","src":"s","seq":1,"ts":"2026-01-01T00:00:00Z","data":{"a":"# + String(repeating: "[", count: 5_000)).utf8)
        default: return good + r.bytes(r.int(1...8)).map { $0 == 0x20 ? 0x21 : $0 }  // trailing junk
        }
    }
}
