/// Why the exchange refused a request. `code` is the stable Kalshi error code a client branches on.
public struct ExchangeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The class of failure, which the server maps to an HTTP status.
    public enum Kind: Sendable, Equatable {
        /// Malformed or invalid input (HTTP 400).
        case badRequest
        /// Unknown ticker, order or event (HTTP 404).
        case notFound
        /// The request conflicts with the exchange's state: duplicate `client_order_id`, FoK not fillable (HTTP 409).
        case conflict
    }

    public let kind: Kind
    /// Kalshi's stable error code, e.g. `insufficient_balance`.
    public let code: String
    /// A human-readable message.
    public let message: String

    public init(_ kind: Kind, _ code: String, _ message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    static func invalidOrder(_ message: String) -> ExchangeError { ExchangeError(.badRequest, "invalid_order", message) }
    static func marketNotFound(_ ticker: String) -> ExchangeError { ExchangeError(.notFound, "not_found", "market \(ticker) not found") }
    static let orderNotFound = ExchangeError(.notFound, "not_found", "order not found")
    static let marketInactive = ExchangeError(.badRequest, "MARKET_INACTIVE", "market is not open for trading")
    static let insufficientBalance = ExchangeError(.badRequest, "insufficient_balance", "insufficient balance")
    static let duplicateClientOrderID = ExchangeError(.conflict, "order_already_exists", "an order with this client_order_id already exists")
    static let fillOrKill = ExchangeError(.conflict, "fill_or_kill_insufficient_resting_volume", "fill or kill insufficient resting volume")
    /// A `reduce_only` order with no position in its market to reduce. Kalshi does not document this answer: the
    /// code is rec.io's choice (the Kalshi connector's `KalshiError.nothingToReduceCode`).
    static let nothingToReduce = ExchangeError(.badRequest, "reduce_only_no_position", "reduce-only order has no position in this market to reduce")
    static let reduceOnlyNeedsIOC = ExchangeError(.badRequest, "invalid_order", "reduce_only orders must be immediate_or_cancel")
    static let postOnlyCross = ExchangeError(.conflict, "post_only_cross", "post-only order would cross the book")
}
