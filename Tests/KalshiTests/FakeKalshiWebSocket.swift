import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Kalshi
import Logging
import Synchronization
import _CryptoExtras

/// A loopback WebSocket server speaking Kalshi's `/trade-api/ws/v2` protocol from a script:
/// connection 1 sends a snapshot, a delta and then a delta with a `seq` gap; it answers `get_snapshot` with a
/// fresh snapshot and then drops the connection. Connection 2 sends a different snapshot.
///
/// Made `holdingSubscribe`, it plays another script: `subscribe` is answered only after ``releaseSubscribe()``
/// (`subscribed`, then a snapshot of each of its markets), and `add_markets` with an `ok` and a snapshot of each
/// added market, every frame taking the subscription's next `seq`.
final class FakeKalshiWebSocket: Sendable {
    struct Handshake: Sendable { var timestampMs: Int64?; var valid: Bool }
    struct State: Sendable {
        var handshakes: [Handshake] = []
        var commands: [(connection: Int, text: String)] = []
    }

    static let market = "KXBTCD-25MAY1522-T106249.99"
    let publicKey: _RSA.Signing.PublicKey
    let state = Mutex(State())
    private let portBox = Mutex<Int?>(nil)
    private let task = Mutex<Task<Void, any Error>?>(nil)

    private let holdingSubscribe: Bool
    private let gate: AsyncStream<Void>
    private let gateOpener: AsyncStream<Void>.Continuation

    init(publicKey: _RSA.Signing.PublicKey, holdingSubscribe: Bool = false) {
        self.publicKey = publicKey
        self.holdingSubscribe = holdingSubscribe
        (gate, gateOpener) = AsyncStream.makeStream()
    }

    /// Lets a held `subscribe` be answered.
    func releaseSubscribe() { gateOpener.finish() }

    var port: Int { portBox.withLock { $0 ?? 0 } }
    var handshakes: [Handshake] { state.withLock { $0.handshakes } }
    var commands: [(connection: Int, text: String)] { state.withLock { $0.commands } }

    func start() async throws {
        var logger = Logger(label: "fake-kalshi-ws")
        logger.logLevel = .critical
        let app = Application(
            router: Router(),
            server: .http1WebSocketUpgrade { [self] request, _, _ in
                guard request.path == "/trade-api/ws/v2" else { return .dontUpgrade }
                let connection = self.recordHandshake(request)
                guard connection > 0 else { return .dontUpgrade }
                return .upgrade([:]) { inbound, outbound, _ in
                    var seq = 0
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message else { continue }
                        self.state.withLock { $0.commands.append((connection, text)) }
                        if self.holdingSubscribe {
                            if text.contains(#""cmd":"subscribe""#) { for await _ in self.gate {} }
                            for r in self.heldScriptReplies(to: text, seq: &seq) { try await outbound.write(.text(r)) }
                            continue
                        }
                        let replies = self.replies(to: text, connection: connection)
                        for r in replies.frames { try await outbound.write(.text(r)) }
                        if replies.drop { return }
                    }
                }
            },
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { [self] channel in self.portBox.withLock { $0 = channel.localAddress?.port } },
            logger: logger)
        task.withLock { $0 = Task { try await app.run() } }
        for _ in 0..<6000 where portBox.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
    }

    func stop() async {
        let t = task.withLock { $0 }
        t?.cancel()
        _ = try? await t?.value
    }

    /// Verifies the handshake's signature; answers the connection number, or 0 to refuse.
    private func recordHandshake(_ request: HTTPRequest) -> Int {
        let f = request.headerFields
        let ts = f[HTTPField.Name("KALSHI-ACCESS-TIMESTAMP")!].flatMap { Int64($0) }
        var valid = false
        if let ts, let sig = f[HTTPField.Name("KALSHI-ACCESS-SIGNATURE")!], f[HTTPField.Name("KALSHI-ACCESS-KEY")!] != nil {
            valid = RequestSigner.verify(signatureBase64: sig, method: "GET", path: "/trade-api/ws/v2", timestampMs: ts, publicKey: publicKey)
        }
        return state.withLock { s in
            s.handshakes.append(Handshake(timestampMs: ts, valid: valid))
            return valid ? s.handshakes.filter(\.valid).count : 0
        }
    }

    static func snapshot(seq: Int, yes: String, ticker: String = market) -> String {
        #"{"type":"orderbook_snapshot","sid":1,"seq":\#(seq),"msg":{"market_ticker":"\#(ticker)","market_id":"m1","yes_dollars_fp":[\#(yes)],"no_dollars_fp":[["0.5500","5.00"]]}}"#
    }

    static func delta(seq: Int, price: String, delta: String) -> String {
        #"{"type":"orderbook_delta","sid":1,"seq":\#(seq),"msg":{"market_ticker":"\#(market)","price_dollars":"\#(price)","delta_fp":"\#(delta)","side":"yes","ts_ms":1}}"#
    }

    /// The `holdingSubscribe` script: one `orderbook_delta` subscription (sid 1) whose markets can be added.
    private func heldScriptReplies(to text: String, seq: inout Int) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let cmd = object["cmd"] as? String, let id = object["id"] as? Int, let params = object["params"] as? [String: Any]
        else { return [#"{"id":0,"type":"error","msg":{"code":1,"msg":"Unable to process message"}}"#] }
        let tickers = params["market_tickers"] as? [String] ?? []
        var frames: [String] = []
        switch (cmd, params["action"] as? String) {
        case ("subscribe", _):
            frames = [#"{"id":\#(id),"type":"subscribed","msg":{"channel":"orderbook_delta","sid":1}}"#]
        case ("update_subscription", "add_markets") where params["sid"] as? Int == 1:
            seq += 1
            frames = [#"{"id":\#(id),"sid":1,"seq":\#(seq),"type":"ok","msg":{"market_tickers":[]}}"#]
        default:
            return [#"{"id":\#(id),"type":"error","msg":{"code":5,"msg":"Unknown command"}}"#]
        }
        for t in tickers {
            seq += 1
            frames.append(Self.snapshot(seq: seq, yes: #"["0.4000","10.00"]"#, ticker: t))
        }
        return frames
    }

    private func replies(to text: String, connection: Int) -> (frames: [String], drop: Bool) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let cmd = object["cmd"] as? String, let id = object["id"] as? Int, let params = object["params"] as? [String: Any]
        else { return ([#"{"id":0,"type":"error","msg":{"code":1,"msg":"Unable to process message"}}"#], false) }
        switch cmd {
        case "subscribe":
            var frames = [#"{"id":\#(id),"type":"subscribed","msg":{"channel":"orderbook_delta","sid":1}}"#]
            if connection == 1 {
                frames += [Self.snapshot(seq: 1, yes: #"["0.4000","10.00"]"#), Self.delta(seq: 2, price: "0.4000", delta: "5.00"),
                           Self.delta(seq: 4, price: "0.4000", delta: "1.00")]
            } else {
                frames += [Self.snapshot(seq: 1, yes: #"["0.4500","1.00"]"#)]
            }
            return (frames, false)
        case "update_subscription" where params["action"] as? String == "get_snapshot":
            return ([Self.snapshot(seq: 5, yes: #"["0.4100","3.00"]"#)], connection == 1)
        case "update_subscription":
            let sid = params["sid"] as? Int ?? 0
            let tickers = (params["market_tickers"] as? [String] ?? []).map { "\"\($0)\"" }.joined(separator: ",")
            return ([#"{"id":\#(id),"sid":\#(sid),"seq":99,"type":"ok","msg":{"market_tickers":[\#(tickers)]}}"#], false)
        case "unsubscribe":
            let sid = (params["sids"] as? [Int])?.first ?? 0
            return ([#"{"id":\#(id),"sid":\#(sid),"seq":100,"type":"unsubscribed"}"#], false)
        default:
            return ([#"{"id":\#(id),"type":"error","msg":{"code":5,"msg":"Unknown command"}}"#], false)
        }
    }
}
