import BusWire
import Testing

@Suite("BusTime: RFC 3339 with microseconds")
struct BusTimeTests {
    @Test("formats the epoch and a known instant exactly")
    func formatsKnownInstants() {
        #expect(BusTime(microseconds: 0).description == "1970-01-01T00:00:00.000000Z")
        // 2025-05-15 22:00:00 UTC = 1747346400
        #expect(BusTime(seconds: 1_747_346_400).description == "2025-05-15T22:00:00.000000Z")
        #expect(BusTime(microseconds: 1_747_346_400_123_456).description == "2025-05-15T22:00:00.123456Z")
        #expect(BusTime(microseconds: -1).description == "1969-12-31T23:59:59.999999Z")
        // A leap day.
        #expect(BusTime(seconds: 1_709_164_800).description == "2024-02-29T00:00:00.000000Z")
    }

    @Test("parses what it formats, for many instants", arguments: [
        Int64(0), 1, -1, 1_747_346_400_123_456, 4_102_444_800_000_000, -2_208_988_800_000_000, 951_782_400_000_001,
    ])
    func roundTrips(_ micros: Int64) {
        let t = BusTime(microseconds: micros)
        #expect(BusTime(rfc3339: t.description.utf8) == t)
    }

    @Test("accepts offsets and short or long fractions")
    func acceptsVariants() {
        let base = BusTime(seconds: 1_747_346_400)
        #expect(BusTime(rfc3339: "2025-05-15T22:00:00Z".utf8) == base)
        #expect(BusTime(rfc3339: "2025-05-15T18:00:00-04:00".utf8) == base)
        #expect(BusTime(rfc3339: "2025-05-16T00:00:00+02:00".utf8) == base)
        #expect(BusTime(rfc3339: "2025-05-15T22:00:00.5Z".utf8) == BusTime(microseconds: base.microseconds + 500_000))
        #expect(BusTime(rfc3339: "2025-05-15T22:00:00.123456789Z".utf8) == BusTime(microseconds: base.microseconds + 123_456))
    }

    @Test("refuses malformed text", arguments: [
        "", "2025-05-15", "2025-05-15T22:00:00", "2025-13-15T22:00:00Z", "2025-05-15T25:00:00Z", "2025-05-15T22:00:00.Z",
        "2025-05-15T22:00:00Zjunk", "20x5-05-15T22:00:00Z", "2025-05-15T22:00:00+0400",
    ])
    func refusesMalformed(_ text: String) {
        #expect(BusTime(rfc3339: text.utf8) == nil)
    }
}
