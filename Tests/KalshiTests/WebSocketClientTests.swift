import Foundation
import Kalshi
import Logging
import Money
import Synchronization
import Testing

@Suite("WebSocket client over loopback")
struct WebSocketClientTests {
    let market = FakeKalshiWebSocket.market

    @Test("signed handshake, subscribe, snapshot + deltas, gap → get_snapshot, drop → reconnect, re-sign, resubscribe")
    func session() async throws {
        let keys = try await TestKeys.shared.value
        let credentials = try Credentials(keyID: "ws-key", privateKeyPEM: keys.pkcs1PEM)
        let server = FakeKalshiWebSocket(publicKey: try #require(credentials.signer.publicKey))
        try await server.start()
        let clock = Mutex<Int64>(1_767_225_600_000)
        let sleeps = RecordingSleeper()
        var logger = Logger(label: "kalshi.ws.test")
        logger.logLevel = .warning
        let ws = KalshiWebSocketClient(
            configuration: .init(url: URL(string: "ws://127.0.0.1:\(server.port)/trade-api/ws/v2")!,
                                 reconnect: RetryPolicy(baseDelay: .milliseconds(100)), pingInterval: nil),
            credentials: credentials, logger: logger, sleeper: sleeps.sleeper,
            epochMilliseconds: { clock.withLock { $0 += 1000; return $0 } }, jitter: { 0 })
        await ws.subscribe([.orderbookDelta], marketTickers: [market])
        let runner = Task { await ws.run() }
        let guardRail = Task {  // only stops a broken test from hanging
            try await Task.sleep(for: .seconds(60))
            runner.cancel()
        }

        var connections = 0, disconnects = 0
        var yesBids: [String] = []
        for await event in ws.events {
            switch event {
            case .connected(let n): connections = n
            case .disconnected: disconnects += 1
            case .book(let ticker, let book) where ticker == market:
                yesBids.append("\(connections):\(book.bestYesBid.map { "\($0.price.formatted(decimals: 2))x\($0.count)" } ?? "-")")
                if connections == 2 {
                    // Live on the second connection: add a market, then end the subscription.
                    await ws.subscribe([.orderbookDelta], marketTickers: ["KXBTCD-25MAY1522-T106499.99"])
                    await ws.unsubscribe(.orderbookDelta)
                }
            case .message(.unsubscribed):
                runner.cancel()
            default: break
            }
        }
        guardRail.cancel()
        await server.stop()

        #expect(yesBids == ["1:0.40x10.00", "1:0.40x15.00", "1:0.41x3.00", "2:0.45x1.00"])
        #expect(connections == 2 && disconnects >= 1)
        let handshakes = server.handshakes
        #expect(handshakes.count == 2 && handshakes.allSatisfy(\.valid))
        #expect(Set(handshakes.map(\.timestampMs)).count == 2)
        let commands = server.commands
        #expect(commands.map(\.connection) == [1, 1, 2, 2, 2])
        #expect(commands[0].text.contains(#""cmd":"subscribe""#) && commands[0].text.contains(market))
        #expect(commands[1].text.contains(#""action":"get_snapshot""#) && commands[1].text.contains(#""sid":1"#))
        #expect(commands[2].text.contains(#""cmd":"subscribe""#) && commands[2].text.contains(#""id":1"#))
        #expect(commands[3].text.contains(#""action":"add_markets""#) && commands[3].text.contains("T106499.99")
            && !commands[3].text.contains(market))
        #expect(commands[4].text.contains(#""cmd":"unsubscribe""#) && commands[4].text.contains(#""sids":[1]"#))
        #expect(sleeps.recorded == [.milliseconds(50)])
        #expect(await ws.book(market) == nil)  // unsubscribed: no longer served
    }

    @Test("markets added while the subscribe is unanswered go out as add_markets once its sid is known; no reconnect")
    func addMarketsBeforeSubscribed() async throws {
        let keys = try await TestKeys.shared.value
        let credentials = try Credentials(keyID: "ws-key", privateKeyPEM: keys.pkcs1PEM)
        let server = FakeKalshiWebSocket(publicKey: try #require(credentials.signer.publicKey), holdingSubscribe: true)
        try await server.start()
        var logger = Logger(label: "kalshi.ws.test")
        logger.logLevel = .warning
        let ws = KalshiWebSocketClient(
            configuration: .init(url: URL(string: "ws://127.0.0.1:\(server.port)/trade-api/ws/v2")!,
                                 reconnect: RetryPolicy(baseDelay: .milliseconds(100)), pingInterval: nil),
            credentials: credentials, logger: logger, sleeper: RecordingSleeper().sleeper, jitter: { 0 })
        let added = ["KXBTCD-25MAY1522-T106499.99", "KXBTCD-25MAY1522-T106749.99"]
        await ws.subscribe([.orderbookDelta], marketTickers: [market])
        let runner = Task { await ws.run() }
        let guardRail = Task {  // only stops a broken test from hanging
            try await Task.sleep(for: .seconds(30))
            runner.cancel()
        }

        var connections = 0, disconnects = 0
        var valid: Set<String> = []
        for await event in ws.events {
            switch event {
            case .connected(let n):
                connections = n
                // The subscribe is out and the server holds its answer: the sid is not known yet.
                await ws.subscribe([.orderbookDelta], marketTickers: added)
                await ws.subscribe([.orderbookDelta], marketTickers: [added[0]])  // already asked for: not sent twice
                server.releaseSubscribe()
            case .disconnected: disconnects += 1
            case .book(let ticker, _):
                valid.insert(ticker)
                if valid.count == 3 {
                    for t in [market] + added { #expect(await ws.book(t) != nil) }
                    runner.cancel()
                }
            default: break
            }
        }
        guardRail.cancel()
        await server.stop()

        #expect(valid == Set([market] + added))
        #expect(connections == 1 && disconnects == 1)  // the one disconnect is the cancellation
        let commands = server.commands
        #expect(commands.map(\.connection) == [1, 1])
        #expect(commands.first?.text.contains(#""cmd":"subscribe""#) == true)
        #expect(commands.last.map { $0.text.contains(#""action":"add_markets""#) && $0.text.contains(#""sid":1"#) } == true)
        #expect(commands.last.map { added.allSatisfy($0.text.contains) && !$0.text.contains(market) } == true)
    }

    @Test("a refused handshake (bad signature) is retried with growing backoff and a fresh timestamp")
    func refusedHandshake() async throws {
        let keys = try await TestKeys.shared.value
        let right = try Credentials(keyID: "k", privateKeyPEM: keys.pkcs8PEM)
        let server = FakeKalshiWebSocket(publicKey: try #require(right.signer.publicKey))
        try await server.start()
        // A different key: its signatures do not verify against the server's public key.
        let wrongPEM = try await TestKeys.sh(["openssl", "genrsa", "2048"])
        let wrong = try Credentials(keyID: "k", privateKeyPEM: wrongPEM)
        let sleeps = RecordingSleeper()
        let clock = Mutex<Int64>(0)
        var logger = Logger(label: "kalshi.ws.test")
        logger.logLevel = .critical
        let ws = KalshiWebSocketClient(
            configuration: .init(url: URL(string: "ws://127.0.0.1:\(server.port)/trade-api/ws/v2")!,
                                 reconnect: RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(1)), pingInterval: nil),
            credentials: wrong, logger: logger, sleeper: sleeps.sleeper,
            epochMilliseconds: { clock.withLock { $0 += 1; return $0 } }, jitter: { 0 })
        let runner = Task { await ws.run() }
        var errors = 0
        for await event in ws.events {
            if case .disconnected(let e) = event {
                #expect(e != nil)
                errors += 1
                if errors == 3 { runner.cancel() }
            }
            if case .connected = event { Issue.record("a bad signature was accepted") }
        }
        await server.stop()
        #expect(Array(sleeps.recorded.prefix(2)) == [.milliseconds(50), .milliseconds(100)])
        let timestamps = server.handshakes.map(\.timestampMs)
        #expect(timestamps.count >= 3 && Set(timestamps).count == timestamps.count)
        #expect(server.handshakes.allSatisfy { !$0.valid })
    }
}
