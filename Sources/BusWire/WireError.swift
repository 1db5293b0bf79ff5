/// Why a topic, envelope or payload was refused. One error type for the wire contract.
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure, stable for counting and tests.
    public enum Kind: String, Hashable, Sendable {
        case badTopic, malformedEnvelope, unsupportedVersion, tooLarge, badPayload
    }

    /// The kind of failure.
    public let kind: Kind
    /// A human sentence naming what was wrong.
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }

    static func badTopic(_ t: String, _ why: String) -> WireError { .init(.badTopic, "topic '\(t)' \(why)") }
    static func malformed(_ why: String) -> WireError { .init(.malformedEnvelope, why) }
}
