import Foundation
import Money
import Testing

@Suite("Money: exact dollars and contract counts")
struct MoneyTests {
    @Test("dollar strings parse exactly, and bad ones are refused", arguments: [
        ("0.5600", 560_000), ("-1.25", -1_250_000), ("12", 12_000_000), ("0.000001", 1), ("+3.5", 3_500_000), (".5", 500_000),
    ] as [(String, Int64)])
    func parsesDollars(text: String, micros: Int64) {
        #expect(Dollars(text)?.micros == micros)
    }

    @Test("malformed or too precise amounts are nil", arguments: ["", "-", ".", "1.", "1.0000001", "1e3", " 1", "1,5", "0x10", "9223372036854775807"])
    func refusesDollars(text: String) {
        #expect(Dollars(text) == nil)
    }

    @Test("formatting rounds half away from zero and keeps the sign")
    func formats() {
        #expect(Dollars(micros: 560_000).formatted(decimals: 4) == "0.5600")
        #expect(Dollars(micros: 5_000).formatted(decimals: 2) == "0.01")
        #expect(Dollars(micros: -5_000).formatted(decimals: 2) == "-0.01")
        #expect(Dollars(micros: -1).description == "-0.000001")
        #expect(Dollars(micros: 12_345_678).formatted(decimals: 0) == "12")
        #expect(Contracts(centis: 1050).description == "10.50")
        #expect(Contracts("0.5")?.centis == 50)
        #expect(Contracts("1.234") == nil)
    }

    @Test("cost, fee rounding and sums are exact")
    func arithmetic() {
        #expect(Dollars("0.56")! * Contracts(whole: 10) == Dollars("5.60")!)
        #expect(Dollars("0.0123")! * Contracts(centis: 50) == Dollars(micros: 6_150))
        #expect(Dollars(micros: 10_001).roundedUpToCent == Dollars(cents: 2))
        #expect(Dollars(cents: 2).roundedUpToCent == Dollars(cents: 2))
        #expect(Dollars(micros: -15_000).roundedUpToCent == Dollars(cents: -1))
        let sum = (0..<10).reduce(Dollars.zero) { acc, _ in acc + Dollars("0.1")! }
        #expect(sum == Dollars("1")!)
    }

    @Test("JSON carries strings both ways and refuses numbers")
    func codable() throws {
        struct Row: Codable, Equatable { let price: Dollars; let count: Contracts }
        let row = try JSONDecoder().decode(Row.self, from: Data(#"{"price":"0.5600","count":"10.00"}"#.utf8))
        #expect(row == Row(price: Dollars(cents: 56), count: Contracts(whole: 10)))
        #expect(String(decoding: try JSONEncoder().encode(row), as: UTF8.self).contains(#""price":"0.5600""#))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Row.self, from: Data(#"{"price":0.56,"count":"1"}"#.utf8)) }
    }
}
