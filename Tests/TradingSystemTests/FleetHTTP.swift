import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Requests against the fleet's dashboard on loopback.
enum FleetHTTP {
    /// One client for the test process.
    static let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)

    /// An answer: status, headers and body text (`json` when it is a JSON object).
    struct Answer: Sendable {
        var status: Int
        var headers: [(String, String)]
        var text: String
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    /// The status and JSON object of `GET url`; nil when nothing answered within a generous bound.
    static func json(_ url: String) async -> (status: Int, body: [String: Any])? {
        guard let a = await request("GET", url) else { return nil }
        return (a.status, a.json ?? [:])
    }

    /// `method url` with an optional JSON body, session cookie and CSRF token; nil when nothing answered within a
    /// generous bound.
    static func request(_ method: String, _ url: String, json: String? = nil, cookie: String? = nil, csrf: String? = nil) async -> Answer? {
        var r = HTTPClientRequest(url: url)
        r.method = HTTPMethod(rawValue: method)
        if let json { r.body = .bytes(ByteBuffer(string: json)); r.headers.add(name: "Content-Type", value: "application/json") }
        if let cookie { r.headers.add(name: "Cookie", value: cookie) }
        if let csrf { r.headers.add(name: "X-CSRF-Token", value: csrf) }
        do {
            let response = try await client.execute(r, timeout: .seconds(120))
            let bytes = try await response.body.collect(upTo: 64 << 20)
            return Answer(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                          text: String(decoding: bytes.readableBytesView, as: UTF8.self))
        } catch {
            return nil
        }
    }
}
