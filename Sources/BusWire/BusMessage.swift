/// A typed payload that travels in an envelope's `data`.
///
/// Every type that crosses a process boundary is declared in BusWire and conforms to this protocol, so the
/// `type` field on the wire always names a known shape.
public protocol BusMessage: Codable, Sendable {
    /// The envelope `type` for this payload, such as `sys.heartbeat`.
    static var typeName: String { get }
}
