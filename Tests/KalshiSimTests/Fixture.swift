import BusTestSupport
import AsyncHTTPClient
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import KalshiSim
import Logging
import Money
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import SimExchange
import Synchronization
import _CryptoExtras

/// 2026-09-10T00:00:00Z, the close of KXBTCD-26SEP0920.
let closeMs: Millis = 1_788_998_400_000
let atm = "KXBTCD-26SEP0920-T99999.99"

/// A real clock the test moves by hand: the server's "real" time and the time the test signs with.
final class ManualClock: Sendable {
    let ms: Mutex<Millis>
    init(_ ms: Millis) { self.ms = Mutex(ms) }
    var now: Millis { ms.withLock { $0 } }
    func advance(_ by: Millis) { ms.withLock { $0 += by } }
}

/// A simulator on an ephemeral loopback port, a registered key, and signed HTTP helpers.
struct SimFixture: Sendable {
    let server: KalshiSimServer
    let port: Int
    let key: _RSA.Signing.PrivateKey
    let keyID: String
    let clock: ManualClock

    var base: String { "http://127.0.0.1:\(port)" }

    /// Kalshi's three auth headers for `method` and `path` (query stripped), signed at `timestampMs`.
    func authHeaders(_ method: String, _ path: String, timestampMs: Millis? = nil, key signer: _RSA.Signing.PrivateKey? = nil) throws -> [(String, String)] {
        let ts = String(timestampMs ?? clock.now)
        let pathOnly = String(path.split(separator: "?", maxSplits: 1).first ?? "")
        let sig = try (signer ?? key).signature(for: SHA256.hash(data: Data((ts + method + pathOnly).utf8)), padding: .PSS)
        return [("KALSHI-ACCESS-KEY", keyID), ("KALSHI-ACCESS-TIMESTAMP", ts), ("KALSHI-ACCESS-SIGNATURE", sig.rawRepresentation.base64EncodedString())]
    }

    /// Sends a request; returns the status and the parsed JSON body (nil when not JSON).
    func call(_ method: HTTPMethod, _ path: String, body: Any? = nil, signed: Bool = true, timestampMs: Millis? = nil,
              key signer: _RSA.Signing.PrivateKey? = nil) async throws -> (status: Int, json: Any?, text: String) {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if signed { for (k, v) in try authHeaders(method.rawValue, path, timestampMs: timestampMs, key: signer) { request.headers.add(name: k, value: v) } }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 16 << 20)
        let data = Data(buffer.readableBytesView)
        return (Int(response.status.code), try? JSONSerialization.jsonObject(with: data), String(decoding: data, as: UTF8.self))
    }
}

/// Runs `body` against a fresh simulator half an hour before the 8 pm EDT close, at a constant $100,000 index, with
/// its real clock frozen (token buckets refill only when the test advances it).
/// With `realTime`, the server checks signatures against the real clock (for clients that sign with it) and the
/// simulated clock stands still at the start.
func withSim(makers: Bool = false, rateLimits: RateLimits = RateLimits(), faults: FaultSettings = FaultSettings(),
             realTime: Bool = false, _ body: @Sendable (SimFixture) async throws -> Void) async throws {
    let clock = ManualClock(realTime ? realNowMs() : closeMs - 1_800_000)
    var options = KalshiSimOptions()
    if realTime {
        options.startMs = closeMs - 1_800_000
        options.speed = 0
    }
    options.exchange.marketMaker.enabled = makers
    options.rateLimits = rateLimits
    options.faults = faults
    options.tickIntervalMs = 20
    let manual: @Sendable () -> Millis = { clock.now }
    let sim = KalshiSimServer(options: options, index: ConstantIndexSource(Dollars(cents: 10_000_000)),
                              realNow: realTime ? realNowMs : manual)
    let key = try await TestKeys.rsa.value
    try sim.keys.register(keyID: "test-key", publicKeyPEM: key.publicKey.pemRepresentation)
    let router = Router(context: BasicWebSocketRequestContext.self)
    sim.addRoutes(to: router)
    let (ports, portSink) = AsyncStream<Int>.makeStream()
    var logger = Logger(label: "sim-test")
    logger.logLevel = .warning
    let app = sim.makeApplication(router: router, port: 0, logger: logger) { channel in portSink.yield(channel.localAddress?.port ?? 0) }
    let services = KalshiSimServer.serviceGroup(app, logger: logger)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await services.run() }
        var it = ports.makeAsyncIterator()
        guard let port = await it.next() else { throw CancellationError() }
        let result: Result<Void, any Error>
        do {
            try await body(SimFixture(server: sim, port: port, key: key, keyID: "test-key", clock: clock))
            result = .success(())
        } catch { result = .failure(error) }
        await services.triggerGracefulShutdown()
        try await group.waitForAll()
        try result.get()
    }
}

/// Dictionary access for parsed JSON.
extension Optional where Wrapped == Any {
    subscript(_ key: String) -> Any? { (self as? [String: Any])?[key] }
}

func dict(_ v: Any?) -> [String: Any] { v as? [String: Any] ?? [:] }
func list(_ v: Any?) -> [[String: Any]] { v as? [[String: Any]] ?? [] }

/// RSA keys for the simulator's signed requests, made once per test process and off the cooperative pool (2048-bit
/// generation in a debug build takes long enough to starve every other test running).
enum TestKeys {
    static let rsa = Task { try await offPool { try _RSA.Signing.PrivateKey(keySize: .bits2048) } }
    static let other = Task { try await offPool { try _RSA.Signing.PrivateKey(keySize: .bits2048) } }
}
