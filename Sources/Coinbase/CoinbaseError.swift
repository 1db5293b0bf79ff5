/// The one error type of the Coinbase connector.
public struct CoinbaseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure.
    public enum Kind: String, Sendable, Hashable {
        /// A message or body that is not what Coinbase sends.
        case malformed
        /// The server answered with an `error` message or an HTTP error status.
        case server
        /// The connection failed or closed.
        case connection
        /// A bad URL, date range or argument.
        case invalidRequest
        /// Retries ran out.
        case exhausted
    }

    public let kind: Kind
    public let message: String
    /// The HTTP status, when there was one.
    public let status: Int?

    public init(_ kind: Kind, _ message: String, status: Int? = nil) {
        self.kind = kind; self.message = message; self.status = status
    }

    public var description: String { "coinbase \(kind.rawValue): \(message)" + (status.map { " (HTTP \($0))" } ?? "") }
}
