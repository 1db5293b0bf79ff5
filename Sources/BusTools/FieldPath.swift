import Foundation

/// A dotted path into a JSON object, such as `bus.gaps` or `topics.0.topic` (numbers index arrays).
public struct FieldPath: Sendable, Equatable {
    public let parts: [String]

    public init(_ text: String) { parts = text.split(separator: ".").map(String.init) }

    /// The value at the path in `json` (an object's UTF-8 text), rendered as JSON text; nil when absent.
    public func extract(from json: [UInt8]) -> String? {
        guard var value = try? JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed]) else { return nil }
        for part in parts {
            if let dict = value as? [String: Any], let next = dict[part] {
                value = next
            } else if let array = value as? [Any], let i = Int(part), array.indices.contains(i) {
                value = array[i]
            } else {
                return nil
            }
        }
        if let s = value as? String { return s }
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
