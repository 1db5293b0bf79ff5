import BusKit
import BusTestSupport
import BusWire
import Executor
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Kalshi
import KalshiSim
import Logging
import Money
import ServiceLifecycle
import SimExchange
import Synchronization
import TradingWire

/// Fixtures of the executor's suites, in one namespace so they never collide with other plugins' test helpers.
enum ExecFixture {
    /// 2026-09-10T00:00:00Z, the close of KXBTCD-26SEP0920.
    static let closeMs: Int64 = 1_788_998_400_000
    static let event = "KXBTCD-26SEP0920"
    /// The at-the-money market at a constant $100,000 index.
    static let atm = "KXBTCD-26SEP0920-T99999.99"
    static let keyID = "executor-test-key"

    /// Warnings and worse only.
    static let logger: Logger = {
        var l = Logger(label: "executor-test")
        l.logLevel = .critical
        return l
    }()

    /// An intent with test defaults.
    static func intent(_ key: String, purpose: OrderPurpose = .entry, side: TradeSide = .yes, count: Int64 = 2, cap: Int64 = 99,
                       tif: IntentTimeInForce = .immediateOrCancel, ticker: String = atm, event: String = event,
                       source: String = "auto-entry", expires: Int64? = nil) -> OrderIntent {
        OrderIntent(key: key, source: source, purpose: purpose, tradeID: purpose == .close ? "trade-1" : nil, ticker: ticker,
                    eventTicker: event, side: side, count: Contracts(whole: count), limitPrice: Dollars(cents: cap), timeInForce: tif,
                    method: "auto", createdTime: "2026-09-09T23:55:00Z", expiresTs: expires)
    }

    /// A configuration for the executor.
    static func configuration(mode: String = "sim", port: Int = 1, credentials: String, journal: String,
                              extra: String = "require_reconciliation = false") throws -> BusConfiguration {
        let text = """
            [bus]
            mode = \(mode)

            [plugin.executor]
            rest_url = http://127.0.0.1:\(port)/trade-api/v2
            credentials = \(credentials)
            journal = \(journal)
            status_interval = 1s
            resolve_interval = 0.2s
            \(extra)
            """
        return try BusConfiguration(file: ConfigFile(path: "test.conf", text: text), pluginKeys: ["executor": Executor.configKeys])
    }

    /// A fresh temporary folder.
    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "executor-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs `plugin` while `body` runs, then cancels it and waits (bounded) for it to end.
    static func running(_ plugin: Executor, _ body: () async throws -> Void) async throws {
        let task = Task { try await plugin.run() }
        let result: Result<Void, any Error>
        do { try await body(); result = .success(()) } catch { result = .failure(error) }
        task.cancel()
        let (ended, signal) = AsyncStream<Void>.makeStream()
        Task {
            _ = await task.result
            signal.yield()
            signal.finish()
        }
        if await ended.first(within: 20, where: { _ in true }) == nil {
            FileHandle.standardError.write(Data("warning: the executor did not return within 20 s of being cancelled\n".utf8))
        }
        try result.get()
    }
}

/// The simulator's wall clock and the executor's, moved by hand or by the REST client's backoff; sleeps stay real.
final class ExecClock: BusClock {
    private let ms: Mutex<Int64>
    init(_ ms: Int64) { self.ms = Mutex(ms) }
    var millis: Int64 { ms.withLock { $0 } }
    func advance(ms by: Int64) { ms.withLock { $0 += by } }
    var now: BusTime { BusTime(microseconds: millis * 1000) }
    func sleep(seconds: Double) async throws { try await Task.sleep(for: .milliseconds(Int64(seconds * 1000))) }
}

/// Collects envelopes from a subscription.
final class ExecInbox: Sendable {
    private let messages = Mutex<[Envelope]>([])
    var all: [Envelope] { messages.withLock { $0 } }
    func decoded<M: BusMessage>(_ type: M.Type, prefix: String) -> [M] {
        all.filter { $0.topic.hasPrefix(prefix) && $0.type == M.typeName }.compactMap { try? $0.decode(M.self) }
    }
    var events: [OrderEvent] { decoded(OrderEvent.self, prefix: "order.event.") }
    func answers(_ key: String) -> [OrderEvent] { events.filter { $0.key == key } }
    var states: [TradingStatus] { decoded(TradingStatus.self, prefix: Topic.tradingState.rawValue) }
    var fills: [VenueFill] { decoded(VenueFill.self, prefix: Topic.venueFill.rawValue) }
    var alerts: [Alert] { decoded(Alert.self, prefix: "sys.alert.executor") }

    /// Starts collecting `subscription` in the background.
    func collect(_ subscription: Subscription) -> Task<Void, Never> {
        Task { for await e in subscription { self.messages.withLock { $0.append(e) } } }
    }
}
