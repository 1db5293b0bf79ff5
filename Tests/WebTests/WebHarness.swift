import AsyncHTTPClient
import BusKit
import BusTestSupport
import BusWire
import Foundation
import Logging
import MarketWire
import Money
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import TradingWire
@testable import Web

/// Collects envelopes from a subscription.
final class Inbox: Sendable {
    private let messages = Mutex<[Envelope]>([])
    func append(_ e: Envelope) { messages.withLock { $0.append(e) } }
    var all: [Envelope] { messages.withLock { $0 } }
    func decoded<M: Decodable>(_ topic: String, _ type: M.Type) -> [M] {
        all.filter { $0.topic == topic }.compactMap { try? $0.decode(M.self) }
    }
    func collect(_ subscription: Subscription) -> Task<Void, Never> { Task { for await e in subscription { self.append(e) } } }
}

/// An HTTP answer.
struct HTTPAnswer: Sendable {
    var status: Int
    var body: String
    var headers: [(String, String)]
    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] }
    func header(_ name: String) -> [String] { headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1) }
}

/// The web plugin on a free loopback port over a real broker, a feeder connection for the test, and an HTTP client.
struct WebHarness: Sendable {
    let broker: TestBroker
    let feeder: ZMQBus
    let port: Int
    let home: String
    var base: String { "http://127.0.0.1:\(port)" }

    /// Runs `body` with the plugin serving; stops everything afterwards.
    static func with(mode: String = "sim", extra: String = "", intentTimeout: String = "3s", forceLogin: Bool = false, password: String? = nil,
                     _ body: @escaping @Sendable (WebHarness) async throws -> Void) async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let home = NSTemporaryDirectory() + "web-tests-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: home) }
        let passwordFile = home + "/web/password"
        if let password { try WebPassword.make(password, rounds: 1 << 10).store(at: passwordFile) }
        let text = """
            [bus]
            mode = \(mode)
            [plugin.web]
            port = 0
            password_file = \(passwordFile)
            push_interval = 50ms
            intent_repeat = 200ms
            intent_timeout = \(intentTimeout)
            query_timeout = 3s
            login_max_failures = 3
            \(extra)
            """
        let configuration = try BusConfiguration(file: ConfigFile(path: "test.conf", text: text), pluginKeys: ["web": Web.configKeys])
        let bus = try broker.connect(as: "web@test")
        let feeder = try broker.connect(as: "feeder@test")
        defer { bus.close(flushSeconds: 0.2); feeder.close(flushSeconds: 0.2) }
        _ = await bus.waitUntilConnected(timeoutSeconds: 10)
        _ = await feeder.waitUntilConnected(timeoutSeconds: 10)
        let context = PluginContext(name: "web", host: "test", configuration: configuration, bus: bus, clock: SystemClock(),
                                    health: Health(), logger: Logger(label: "web-test"))
        let ports = AsyncStream<Int>.makeStream()
        let plugin = try Web(context: context, home: home, adjust: { if forceLogin { $0.requiresLogin = true } },
                             onReady: { ports.continuation.yield($0) })
        // Run it as the plugin runner does, in a service group, and stop it with a graceful shutdown.
        let group = ServiceGroup(configuration: .init(services: [PluginAsService(plugin: plugin)], logger: Logger(label: "web-test")))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        var it = ports.stream.makeAsyncIterator()
        guard let port = await it.next() else { throw WebError("the web plugin did not start") }
        let result: Result<Void, any Error>
        do { result = .success(try await body(WebHarness(broker: broker, feeder: feeder, port: port, home: home))) } catch {
            result = .failure(error)
        }
        await group.triggerGracefulShutdown()
        _ = await running.result
        try result.get()
    }

    /// A client that does not follow redirects (the login tests look at them). Lives as long as the test process.
    static let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                   configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

    /// GET or POST `path`.
    func request(_ method: String, _ path: String, json: String? = nil, cookie: String? = nil, csrf: String? = nil,
                 form: String? = nil) async throws -> HTTPAnswer {
        var r = HTTPClientRequest(url: base + path)
        r.method = .init(rawValue: method)
        if let cookie { r.headers.add(name: "Cookie", value: cookie) }
        if let csrf { r.headers.add(name: "X-CSRF-Token", value: csrf) }
        if let json { r.headers.add(name: "Content-Type", value: "application/json"); r.body = .bytes(ByteBuffer(string: json)) }
        if let form { r.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded"); r.body = .bytes(ByteBuffer(string: form)) }
        let response = try await Self.client.execute(r, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 8 << 20)
        return HTTPAnswer(status: Int(response.status.code), body: String(buffer: body),
                          headers: response.headers.map { ($0.name, $0.value) })
    }

    /// A session: its cookie (`recio_session=…`) and CSRF token, from `GET /api/session`.
    func session() async throws -> (cookie: String, csrf: String) {
        let a = try await request("GET", "/api/session")
        let cookie = a.header("set-cookie").first?.split(separator: ";").first.map(String.init) ?? ""
        return (cookie, a.json?["csrf"] as? String ?? "")
    }

    /// Publishes pings to `web-test` until `inbox` (subscribed to them too) sees one: its subscription is live.
    func live(_ inbox: Inbox) async -> Bool {
        var id: UInt64 = 0
        return await eventually {
            id += 1
            try? feeder.publish(.ping(target: "web-test"), Ping(id: id, requester: "web-test", sentAt: BusTime(seconds: 0)))
            return inbox.all.contains { $0.topic == "sys.ping.web-test" }
        }
    }

    /// Publishes a message from the feeder.
    func publish<M: BusMessage>(_ topic: Topic, _ m: M) throws { try feeder.publish(topic, m) }
}

/// Test data.
enum Fixture {
    static let event = "KXBTCD-26DEC0112"
    static func ticker(_ strike: Int) -> String { "\(event)-T\(strike - 1).99" }

    static func row(_ strike: Int, price: Int, yesAsk: Int = 60, noAsk: Int = 42, volume: Int = 5_000) -> StrikeRow {
        let above = price >= strike
        return StrikeRow(ticker: ticker(strike), strike: Dollars("\(strike - 1).99")!, distance: Dollars(cents: Int64(price - strike) * 100),
                         distanceSpacings: "1.00", probabilityYes: above ? 0.97 : 0.03, winProbability: 0.97,
                         fairYes: Dollars(cents: above ? 97 : 3), fairNo: Dollars(cents: above ? 3 : 97), yesBid: nil,
                         yesAsk: Dollars(cents: Int64(yesAsk)), noBid: nil, noAsk: Dollars(cents: Int64(noAsk)), yesAskSize: nil,
                         noAskSize: nil, edgeYes: Dollars(cents: 5), edgeNo: Dollars(cents: -3), activeSide: above ? .yes : .no,
                         volume: Contracts(whole: Int64(volume)))
    }

    static func table(price: Int, ttc: Int64 = 1_800) -> StrikeTable {
        let rows = [price - 500, price - 250, price + 250, price + 500].map { row($0, price: price) }
        return StrikeTable(series: "KXBTCD", eventTicker: event, model: "fingerprint", btcPrice: Dollars(cents: Int64(price) * 100),
                           momentum: 7, ttcSeconds: ttc, closeTs: Int64(Date().timeIntervalSince1970) + ttc,
                           strikeSpacing: Dollars(cents: 25_000), rows: rows, time: BusTime(seconds: Int64(Date().timeIntervalSince1970)).description)
    }

    static func tick(_ price: Int) -> BTCTick {
        BTCTick(product: "BTC-USD", price: Dollars(cents: Int64(price) * 100), bestBid: Dollars(cents: Int64(price) * 100 - 1),
                bestAsk: Dollars(cents: Int64(price) * 100 + 1), time: BusTime(seconds: Int64(Date().timeIntervalSince1970)).description,
                tradeID: Int64(price), source: "test")
    }

    static func trade(id: String, ticker: String, side: TradeSide = .yes, status: TradeStatus = .open, result: TradeResult? = nil,
                      pnl: Dollars? = nil) -> TradeRecord {
        TradeRecord(id: id, status: status, ticker: ticker, eventTicker: event, strike: nil, side: side, requestedCount: Contracts(whole: 2),
                    count: Contracts(whole: 2), entryPrice: Dollars(cents: 60), entryFees: Dollars(cents: 2), entryOrderID: "o1",
                    closeOrderID: nil, closePrice: nil, closeFees: .zero, exitValue: nil, pnl: pnl, result: result, strategy: "Hourly HTC",
                    entryMethod: "manual", closeMethod: nil, probability: 0.97, edge: nil, btcAtEntry: nil, btcAtClose: nil, momentum: nil,
                    closeTs: nil, enteredTs: 1_780_000_000, finishedTs: result == nil ? nil : 1_780_000_600, note: nil,
                    updatedTime: "2026-12-01T12:00:00.000000Z")
    }

    static func filled(_ intent: OrderIntent) -> OrderEvent {
        OrderEvent(key: intent.key, source: intent.source, purpose: intent.purpose, tradeID: intent.tradeID, outcome: .filled,
                   orderID: "ord-\(intent.key)", clientOrderID: intent.key, ticker: intent.ticker, eventTicker: intent.eventTicker,
                   side: intent.side, requestedCount: intent.count, filledCount: intent.count, averagePrice: intent.limitPrice,
                   fees: Dollars(cents: 1), limitPrice: intent.limitPrice, reason: nil, mode: "sim", replayed: false,
                   time: BusTime(seconds: Int64(Date().timeIntervalSince1970)).description)
    }
}

/// The plugin as a service, like the kit's runner.
struct PluginAsService: Service {
    let plugin: Web
    func run() async throws { try await plugin.run() }
}
