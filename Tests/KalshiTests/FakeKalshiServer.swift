import Foundation
import HTTPTypes
import Hummingbird
import Kalshi
import Logging
import NIOCore
import Synchronization
import _CryptoExtras

/// A loopback HTTP server that answers like Kalshi's REST API with canned bodies, verifies request signatures,
/// and plays scripted faults (statuses, malformed bodies, a create that succeeds but answers 500).
final class FakeKalshiServer: Sendable {
    /// One scripted misbehaviour, consumed by the next request to its route.
    enum Fault: Sendable {
        case status(Int, String)
        case malformed
        /// Performs the request, then answers with this status instead of the real answer.
        case performThenStatus(Int)
        /// Performs the request, then answers 201 with a body cut short.
        case performThenMalformed
    }

    struct Recorded: Sendable {
        var method: String
        var path: String
        var query: [String: String]
        var signed: Bool
        var body: String
    }

    struct State: Sendable {
        var faults: [String: [Fault]] = [:]
        var requests: [Recorded] = []
        var orders: [[String: String]] = []  // order_id, client_order_id, ticker, count, price, side
        var badSignatures = 0
        var delays: [String: [Duration]] = [:]
        /// Waits after performing a request, before answering.
        var answerDelays: [String: [Duration]] = [:]
    }

    let publicKey: _RSA.Signing.PublicKey
    let state = Mutex(State())
    private let portBox = Mutex<Int?>(nil)
    private let task = Mutex<Task<Void, any Error>?>(nil)

    init(publicKey: _RSA.Signing.PublicKey) { self.publicKey = publicKey }

    var port: Int { portBox.withLock { $0 ?? 0 } }

    /// Queues `fault` for the route `"METHOD /path"` (path relative to `/trade-api/v2`).
    func inject(_ fault: Fault, on route: String) {
        state.withLock { $0.faults[route, default: []].append(fault) }
    }

    /// Holds the next answer on `route` back for `delay` (to make the client time out).
    func delay(_ delay: Duration, on route: String) {
        state.withLock { $0.delays[route, default: []].append(delay) }
    }

    /// Performs the next request on `route` at once but holds its answer back for `delay` (the client times out
    /// although the exchange acted).
    func delayAnswer(_ delay: Duration, on route: String) {
        state.withLock { $0.answerDelays[route, default: []].append(delay) }
    }

    private func takeDelay(_ request: Request, _ table: WritableKeyPath<State, [String: [Duration]]> = \.delays) -> Duration? {
        let path = String(request.uri.path.dropFirst("/trade-api/v2".count))
        return state.withLock { s in
            let key = "\(request.method.rawValue) \(path)"
            guard var queue = s[keyPath: table][key], !queue.isEmpty else { return nil }
            let d = queue.removeFirst()
            s[keyPath: table][key] = queue
            return d
        }
    }

    var requests: [Recorded] { state.withLock { $0.requests } }
    func requests(to path: String) -> [Recorded] { requests.filter { $0.path == path } }
    var orders: [[String: String]] { state.withLock { $0.orders } }

    /// Starts listening on an ephemeral loopback port.
    func start() async throws {
        let app = Application(
            responder: CallbackResponder<BasicRequestContext> { [self] request, context in
                let body = try await request.body.collect(upTo: 1 << 20)
                if let d = self.takeDelay(request) { try? await Task.sleep(for: d) }
                let response = self.respond(request, body: String(buffer: body))
                if let d = self.takeDelay(request, \.answerDelays) { try? await Task.sleep(for: d) }
                return response
            },
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { [self] channel in self.portBox.withLock { $0 = channel.localAddress?.port } },
            logger: {
                var l = Logger(label: "fake-kalshi")
                l.logLevel = .critical
                return l
            }())
        task.withLock { $0 = Task { try await app.run() } }
        _ = await eventuallyPort()
    }

    private func eventuallyPort() async -> Bool {
        for _ in 0..<6000 {
            if portBox.withLock({ $0 }) != nil { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    func stop() async {
        let t = task.withLock { $0 }
        t?.cancel()
        _ = try? await t?.value
    }

    // MARK: routing

    private func respond(_ request: Request, body: String) -> Response {
        let fullPath = request.uri.path
        let path = fullPath.hasPrefix("/trade-api/v2") ? String(fullPath.dropFirst("/trade-api/v2".count)) : fullPath
        var query: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { query[String(k)] = String(v).removingPercentEncoding ?? String(v) }
        let method = request.method.rawValue
        let signed = verifySignature(request, method: method, path: fullPath)
        let fault = state.withLock { s -> Fault? in
            s.requests.append(Recorded(method: method, path: path, query: query, signed: signed, body: body))
            let key = "\(method) \(path)"
            guard var queue = s.faults[key], !queue.isEmpty else { return nil }
            let f = queue.removeFirst()
            s.faults[key] = queue
            return f
        }
        if path.hasPrefix("/portfolio"), !signed {
            return json(401, #"{"error":{"code":"authentication_error","message":"invalid signature"}}"#)
        }
        switch fault {
        case .status(let status, let text)?: return json(status, text)
        case .malformed?: return json(200, #"{"markets": [ {"ticker": "#)
        case .performThenStatus(let status)?:
            _ = route(method, path, query, body)
            return json(status, #"{"error":{"code":"internal_server_error","message":"upstream reset"}}"#)
        case .performThenMalformed?:
            _ = route(method, path, query, body)
            return json(201, #"{"order_id": "#)
        case nil: return route(method, path, query, body)
        }
    }

    private func verifySignature(_ request: Request, method: String, path: String) -> Bool {
        var fields: [String: String] = [:]
        for field in request.headers { fields[field.name.canonicalName] = field.value }
        guard let key = fields["kalshi-access-key"], !key.isEmpty,
            let ts = fields["kalshi-access-timestamp"].flatMap({ Int64($0) }),
            let signature = fields["kalshi-access-signature"]
        else { return false }
        let ok = RequestSigner.verify(signatureBase64: signature, method: method, path: path, timestampMs: ts, publicKey: publicKey)
        if !ok { state.withLock { $0.badSignatures += 1 } }
        return ok
    }

    func json(_ status: Int, _ text: String) -> Response {
        Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
