import AsyncHTTPClient
import BusWire
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Optional notifications: each alert POSTed as JSON to one URL, in order, at most 100 waiting; a failed post is
/// logged and dropped (the alert is on the bus either way).
final class Webhook: Sendable {
    private let queue: AsyncStream<Alert>.Continuation

    init(url: URL, logger: Logger) {
        let (alerts, queue) = AsyncStream<Alert>.makeStream(bufferingPolicy: .bufferingNewest(100))
        self.queue = queue
        Task.detached {
            for await alert in alerts {
                do {
                    var request = HTTPClientRequest(url: url.absoluteString)
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(alert)))
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                    if !(200..<300).contains(response.status.code) {
                        logger.warning("webhook refused an alert", metadata: ["status": "\(response.status.code)"])
                    }
                } catch {
                    logger.warning("webhook unreachable", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// Queues `alert` for posting.
    func send(_ alert: Alert) { queue.yield(alert) }

    deinit { queue.finish() }
}
