import Foundation
import HTTPTypes
import Hummingbird
import SimExchange

/// A failed request, answered with Kalshi's error body `{"error":{"code","message","details"}}` (429 answers the
/// plain `{"error":"too many requests"}`).
public struct KalshiSimError: HTTPResponseError, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// Maps an exchange refusal to its HTTP status.
    init(_ e: ExchangeError) {
        switch e.kind {
        case .badRequest: self.init(.badRequest, e.code, e.message)
        case .notFound: self.init(.notFound, e.code, e.message)
        case .conflict: self.init(.conflict, e.code, e.message)
        }
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    static func badRequest(_ m: String) -> KalshiSimError { KalshiSimError(.badRequest, "bad_request", m) }
    static func unauthorized(_ m: String) -> KalshiSimError { KalshiSimError(.unauthorized, "authentication_error", m) }
    static func notFound(_ m: String) -> KalshiSimError { KalshiSimError(.notFound, "not_found", m) }
    static let tooManyRequests = KalshiSimError(.tooManyRequests, "too_many_requests", "too many requests")
    static let injected = KalshiSimError(.serviceUnavailable, "service_unavailable", "injected fault: service unavailable")

    /// The wire body.
    var body: String {
        if status == .tooManyRequests { return #"{"error":"too many requests"}"# }
        let payload = ["error": ["code": code, "message": message, "details": ""]]
        let data = (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
