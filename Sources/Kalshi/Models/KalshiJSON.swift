public import Foundation
import Money

/// The JSON coders every Kalshi body goes through: snake_case keys, RFC 3339 dates with or without fractions.
///
/// Decoding is tolerant: unknown keys are ignored, optional fields may be missing or `null`, and money or counts
/// that arrive as JSON numbers (as some WebSocket messages do) are read from their exact decimal text, never
/// through a binary float.
public enum KalshiJSON {
    /// A decoder for Kalshi response bodies and WebSocket messages.
    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        d.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let text = try c.decode(String.self)
            guard let date = parseDate(text) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an RFC 3339 time: '\(text)'")
            }
            return date
        }
        return d
    }

    /// An encoder for Kalshi request bodies (snake_case keys, nil optionals left out).
    public static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys]
        return e
    }

    /// Parses `2026-03-20T09:01:57.529868Z` or `2026-03-20T09:01:57Z`.
    public static func parseDate(_ text: String) -> Date? {
        if let d = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return d }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }
}

/// Reads a decimal that may arrive as a JSON string or a JSON number, keeping its exact text.
func exactDecimalText(_ c: any SingleValueDecodingContainer) throws -> String {
    if let s = try? c.decode(String.self) { return s }
    let d = try c.decode(Decimal.self)  // Foundation reads the number's digits, not a Double
    return NSDecimalNumber(decimal: d).stringValue
}

/// A dollar amount that tolerates a JSON number as well as Kalshi's usual string.
struct LenientDollars: Decodable {
    let value: Dollars
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try exactDecimalText(c)
        guard let v = Dollars(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a dollar amount: '\(text)'")
        }
        value = v
    }
}

/// A contract count that tolerates a JSON number as well as Kalshi's usual string.
struct LenientContracts: Decodable {
    let value: Contracts
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try exactDecimalText(c)
        guard let v = Contracts(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a contract count: '\(text)'")
        }
        value = v
    }
}

// Synthesized `Decodable` conformances in this module pick these overloads, so every model field of type
// `Dollars` or `Contracts` accepts a string or a number.
extension KeyedDecodingContainer {
    func decode(_: Dollars.Type, forKey key: Key) throws -> Dollars {
        try decode(LenientDollars.self, forKey: key).value
    }

    func decodeIfPresent(_: Dollars.Type, forKey key: Key) throws -> Dollars? {
        try decodeIfPresent(LenientDollars.self, forKey: key)?.value
    }

    func decode(_: Contracts.Type, forKey key: Key) throws -> Contracts {
        try decode(LenientContracts.self, forKey: key).value
    }

    func decodeIfPresent(_: Contracts.Type, forKey key: Key) throws -> Contracts? {
        try decodeIfPresent(LenientContracts.self, forKey: key)?.value
    }
}
