import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// GETs against the fleet's dashboard on loopback.
enum FleetHTTP {
    /// One client for the test process.
    static let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)

    /// The status and JSON object of `GET url`; nil when nothing answered within a generous bound.
    static func json(_ url: String) async -> (status: Int, body: [String: Any])? {
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(120))
            let bytes = try await response.body.collect(upTo: 64 << 20)
            let body = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
            return (Int(response.status.code), body)
        } catch {
            return nil
        }
    }
}
