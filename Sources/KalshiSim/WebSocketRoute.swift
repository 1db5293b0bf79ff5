import Hummingbird
import HummingbirdWebSocket
import HTTPTypes
import SimExchange

extension KalshiSimServer {
    /// `/trade-api/ws/v2`: signed upgrade (`GET` + the path), then JSON commands in and channel messages out.
    func addWebSocketRoute(_ router: Router<BasicWebSocketRequestContext>) {
        router.ws("trade-api/ws/v2") { request, _ in
            let real = self.host.realMs()
            if self.faults.inBurst(realMs: real) { throw KalshiSimError.tooManyRequests }
            _ = try self.keys.verify(headers: request.headers, method: "GET", path: request.uri.path,
                                     nowMs: [real, self.host.clock.simMs(atReal: real)])
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let user = context.request.headers[HTTPField.Name("KALSHI-ACCESS-KEY")!] ?? "anonymous"
            let (id, stream) = self.host.hub.connect(user: user)
            defer { self.host.hub.disconnect(id) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await text in stream { try await outbound.write(.text(text)) }
                }
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        if case .text(let text) = message { self.host.command(text, connection: id) }
                    }
                }
                _ = try await group.next()
                group.cancelAll()
            }
        }
    }
}
