public import Foundation

/// The one error the Kalshi library throws.
///
/// An HTTP error keeps the status and whatever Kalshi said, whichever body shape it used:
/// `{"error":{"code","message","details"}}`, `{"error":"too many requests"}`, a flat `{"code","message"}`,
/// or text that is not JSON at all. Never carries a secret.
public struct KalshiError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, broadly.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// Kalshi answered with a non-success HTTP status.
        public static let http = Kind(name: "http")
        /// The request timed out.
        public static let timeout = Kind(name: "timeout")
        /// The connection failed (refused, reset, DNS...).
        public static let transport = Kind(name: "transport")
        /// A success answer whose body did not decode.
        public static let decoding = Kind(name: "decoding")
        /// Credentials could not be loaded (missing files, loose permissions, bad key).
        public static let credentials = Kind(name: "credentials")
        /// Signing a request failed.
        public static let signing = Kind(name: "signing")
        /// The caller asked for something invalid.
        public static let invalidRequest = Kind(name: "invalid_request")
        /// The WebSocket session failed or was refused.
        public static let webSocket = Kind(name: "websocket")
        /// The kind's name.
        public var description: String { name }
    }

    /// What went wrong, broadly.
    public var kind: Kind
    /// The HTTP status, for `.http`.
    public var status: Int?
    /// Kalshi's stable error code (`insufficient_balance`...), when it sent one.
    public var code: String?
    /// A human-readable message.
    public var message: String
    /// Kalshi's `details`, or a snippet of an undecodable body.
    public var details: String?

    /// An error of `kind`.
    public init(_ kind: Kind, status: Int? = nil, code: String? = nil, message: String, details: String? = nil) {
        self.kind = kind
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    /// True for failures worth repeating: 429, 5xx, timeouts and transport errors.
    public var isRetryable: Bool {
        switch kind {
        case .timeout, .transport: return true
        case .http: return status == 429 || (status ?? 0) >= 500
        default: return false
        }
    }

    /// True for a 429.
    public var isRateLimited: Bool { kind == .http && status == 429 }

    /// One line: kind, status, code, message and details.
    public var description: String {
        var s = "Kalshi \(kind)"
        if let status { s += " \(status)" }
        if let code { s += " [\(code)]" }
        s += ": \(message)"
        if let details, !details.isEmpty { s += " (\(details))" }
        return s
    }

    /// Builds the error for a non-success answer from its status and body, whatever the body's shape.
    public static func fromResponse(status: Int, body: Data) -> KalshiError {
        let fallback = "HTTP \(status)"
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            let text = String(decoding: body.prefix(512), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return KalshiError(.http, status: status, message: text.isEmpty ? fallback : text)
        }
        let inner: [String: Any]
        switch object["error"] {
        case let nested as [String: Any]: inner = nested
        case let text as String: return KalshiError(.http, status: status, message: text)
        default: inner = object
        }
        let code = inner["code"] as? String
        let message = (inner["message"] as? String) ?? (inner["msg"] as? String) ?? code ?? fallback
        return KalshiError(.http, status: status, code: code, message: message, details: inner["details"] as? String)
    }
}
