import BusWire

/// Why a bus operation failed. One error type for the plugin kit.
public struct BusError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure, stable for tests and counting.
    public enum Kind: String, Hashable, Sendable { case wire, transport, notConnected, closed, tooLarge, encoding, configuration }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    static func wire(_ e: WireError) -> BusError { .init(.wire, e.description) }
}
