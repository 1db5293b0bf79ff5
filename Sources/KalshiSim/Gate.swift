import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SimExchange
import Synchronization

extension KalshiSimServer {
    /// What every request passes before its handler: injected latency and faults, the signature (when `signed`),
    /// and the rate limit. Returns the signing user, if any.
    func gate(_ request: Request, bucket: Bucket, cost: Int64 = 10, signed: Bool) async throws -> String? {
        let settings = options.faults
        if settings.extraLatencyMs > 0 { try await Task.sleep(for: .milliseconds(settings.extraLatencyMs)) }
        let real = host.realMs()
        if faults.inBurst(realMs: real) { throw KalshiSimError.tooManyRequests }
        if faults.shouldFail() { throw KalshiSimError.injected }
        var user: String?
        let hasKey = request.headers[HTTPField.Name("KALSHI-ACCESS-KEY")!] != nil
        if signed || hasKey {
            user = try keys.verify(headers: request.headers, method: request.method.rawValue, path: request.uri.path,
                                   nowMs: [real, host.clock.simMs(atReal: real)])
        }
        let taken = buckets.withLock { $0.take(user: user ?? "anonymous", bucket: bucket, cost: cost, nowMs: real) }
        guard taken else { throw KalshiSimError.tooManyRequests }
        return user
    }

    /// A JSON response (cut short when the malformed-body fault fires).
    func respond(_ json: JSON, status: HTTPResponse.Status = .ok) -> Response {
        var text = json.text
        if faults.shouldMalform() { text = String(text.prefix(max(1, text.count / 2))) }
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Runs exchange work, turning its refusals into Kalshi error responses.
    func exchange<T: Sendable>(_ body: (inout Exchange) throws -> T) throws -> T {
        do { return try host.mutate(body) } catch let e as ExchangeError { throw KalshiSimError(e) }
    }

    /// Reads a JSON object body.
    func jsonBody(_ request: Request) async throws -> [String: Any] {
        let buffer = try await request.body.collect(upTo: 4 << 20)
        guard let obj = (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] else {
            throw KalshiSimError.badRequest("body must be a JSON object")
        }
        return obj
    }
}

/// Cursor pagination over a list: the cursor is the offset of the next page; an empty cursor ends the list.
struct Page<T> {
    let items: [T]
    let cursor: String

    init(_ all: [T], request: Request, defaultLimit: Int, maxLimit: Int) throws {
        let q = request.uri.queryParameters
        var limit = defaultLimit
        if let l = q.get("limit") {
            guard let v = Int(l), v >= 0, v <= maxLimit else { throw KalshiSimError.badRequest("limit must be 0...\(maxLimit)") }
            limit = v == 0 ? defaultLimit : v
        }
        var start = 0
        if let c = q.get("cursor"), !c.isEmpty {
            guard let v = Int(c), v >= 0 else { throw KalshiSimError.badRequest("invalid cursor") }
            start = min(v, all.count)
        }
        let end = min(all.count, start + limit)
        items = Array(all[start..<end])
        cursor = end < all.count ? String(end) : ""
    }
}
