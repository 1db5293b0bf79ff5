import Foundation
import Kalshi
import Testing

@Suite("KalshiError")
struct KalshiErrorTests {
    func decoded(_ status: Int, _ body: String) -> KalshiError { KalshiError.fromResponse(status: status, body: Data(body.utf8)) }

    @Test("nested {error:{code,message,details}}")
    func nested() {
        let e = decoded(409, #"{"error":{"code":"fill_or_kill_insufficient_resting_volume","message":"fill or kill insufficient resting volume","details":"d"}}"#)
        #expect(e.status == 409 && e.code == "fill_or_kill_insufficient_resting_volume")
        #expect(e.message == "fill or kill insufficient resting volume" && e.details == "d" && !e.isRetryable)
        let onlyCode = decoded(400, #"{"error":{"code":"insufficient_balance"}}"#)
        #expect(onlyCode.code == "insufficient_balance" && onlyCode.message == "insufficient_balance")
    }

    @Test("{error:\"too many requests\"} is a retryable 429")
    func tooMany() {
        let e = decoded(429, #"{"error": "too many requests"}"#)
        #expect(e.message == "too many requests" && e.code == nil && e.isRetryable && e.isRateLimited)
    }

    @Test("flat {code,message} and non-JSON bodies")
    func flatAndText() {
        let flat = decoded(404, #"{"code":"not_found","message":"market not found"}"#)
        #expect(flat.code == "not_found" && flat.message == "market not found" && !flat.isRetryable)
        let html = decoded(502, "<html>Bad Gateway</html>")
        #expect(html.message == "<html>Bad Gateway</html>" && html.isRetryable)
        let empty = decoded(503, "")
        #expect(empty.message == "HTTP 503" && empty.isRetryable)
        #expect(decoded(500, "[1,2]").message == "[1,2]")
    }

    @Test("timeouts and transport errors retry; decoding, credentials and 4xx do not")
    func classification() {
        #expect(KalshiError(.timeout, message: "t").isRetryable)
        #expect(KalshiError(.transport, message: "t").isRetryable)
        #expect(!KalshiError(.decoding, message: "t").isRetryable)
        #expect(!KalshiError(.credentials, message: "t").isRetryable)
        #expect(!KalshiError(.http, status: 401, message: "t").isRetryable)
        #expect("\(decoded(400, #"{"error":{"code":"invalid_order","message":"bad"}}"#))" == "Kalshi http 400 [invalid_order]: bad")
    }
}
