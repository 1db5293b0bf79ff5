@testable import AccountSync
import BusKit
import BusTestSupport
import BusWire
import Foundation
import Kalshi
import Logging
import Money
import Testing
import TradingWire

@Suite("account-sync storage: unique keys, each row published once")
struct AccountStoreTests {
    /// A syncer over an in-memory bus and a fresh database; its REST client points nowhere and is never used.
    static func syncer(_ dir: String, bus: InMemoryBus) throws -> AccountSyncer {
        let text = "[plugin.account-sync]\ndatabase = \(dir)/account.sqlite\ncredentials = \(dir)/none\n"
        let configuration = try BusConfiguration(file: ConfigFile(path: "test.conf", text: text), pluginKeys: [AccountSync.name: AccountSync.configKeys])
        var logger = Logger(label: "account-sync-test")
        logger.logLevel = .critical
        let context = PluginContext(name: AccountSync.name, host: "test", configuration: configuration, bus: bus, clock: TestClock(),
                                    health: Health(), logger: logger)
        let settings = try AccountSyncSettings(configuration: configuration, home: dir)
        let rest = KalshiRESTClient(configuration: .simulator(port: 9), credentials: nil)
        let (_, recheck) = AsyncStream<Double>.makeStream()
        return AccountSyncer(rest: rest, store: try AccountStore(path: settings.database), context: context, settings: settings,
                             recheck: recheck)
    }

    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "account-store-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static let fill = VenueFill(fillID: "trade-1", orderID: "order-1", ticker: AcctFixtures.ticker, side: .no, action: "buy",
                                count: Contracts(whole: 3), price: Dollars(cents: 42), fee: Dollars(cents: 5), isTaker: true, ts: 1_788_998_000)
    static let settlement = VenueSettlement(ticker: AcctFixtures.ticker, eventTicker: "KXBTCD-26SEP0920", result: "yes",
                                            yesCount: Contracts(whole: 3), noCount: .zero, yesTotalCost: Dollars(cents: 150),
                                            noTotalCost: .zero, revenue: Dollars(cents: 300), fee: Dollars(cents: 6), settledTs: 1_788_998_700)

    @Test("the same fill seen 100 times (pushes and REST) is stored and published once")
    func fillOnce() async throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bus = InMemoryBus(source: "account-sync@test")
        defer { bus.close() }
        let inbox = AcctInbox()
        let collecting = inbox.collect(bus.subscribe([.venue]))
        defer { collecting.cancel() }
        let syncer = try Self.syncer(dir, bus: bus)
        // A `fill` frame as Kalshi sends it: NO bought, so the YES price is 1 - the NO price.
        let frame = #"{"type":"fill","sid":1,"msg":{"trade_id":"trade-1","order_id":"order-1","market_ticker":"\#(AcctFixtures.ticker)","#
            + #""is_taker":true,"yes_price_dollars":"0.5800","count_fp":"3.00","fee_cost":"0.0500","outcome_side":"no","#
            + #""book_side":"ask","ts_ms":1788998000123}}"#
        let push = try StreamMessage.decode(Data(frame.utf8))
        var news = 0
        for i in 0..<100 {
            if i % 2 == 0 {
                _ = await syncer.push(push)
            } else if try await syncer.save(fill: Self.fill) { news += 1 }
        }
        #expect(news == 0)  // the first push stored it
        #expect(try await syncer.store.count("fills") == 1)
        #expect(await eventually { inbox.fills.count == 1 })
        #expect(inbox.fills == [Self.fill])  // the push maps to the same message REST does (NO bought at 1 - yes price)
        // A second fill of the same trade on another order is a different row.
        #expect(try await syncer.save(fill: VenueFill(fillID: "trade-1", orderID: "order-2", ticker: AcctFixtures.ticker, side: .yes,
                                                      action: "buy", count: Contracts(whole: 1), price: Dollars(cents: 58), fee: nil,
                                                      isTaker: false, ts: 1_788_998_000)))
        #expect(try await syncer.store.count("fills") == 2)
        #expect(try await syncer.store.journalMode() == "wal")
    }

    @Test("the same settlement seen 100 times is stored and published once")
    func settlementOnce() async throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bus = InMemoryBus(source: "account-sync@test")
        defer { bus.close() }
        let inbox = AcctInbox()
        let collecting = inbox.collect(bus.subscribe([.venue]))
        defer { collecting.cancel() }
        let syncer = try Self.syncer(dir, bus: bus)
        var news = 0
        for _ in 0..<100 {
            if try await syncer.save(settlement: Self.settlement) { news += 1 }
        }
        #expect(news == 1)
        #expect(try await syncer.store.count("settlements") == 1)
        #expect(await eventually { inbox.settlements.count == 1 })
        #expect(inbox.settlements == [Self.settlement])
        // Reopening the file keeps the key: a restart does not publish it again.
        let again = try AccountStore(path: dir + "/account.sqlite")
        #expect(try await again.insert(Self.settlement) == false)
        #expect(try await again.latestSettlementTs() == Self.settlement.settledTs)
    }

    @Test("an order's status and fill changes update its row and are published; repeats and older states are not")
    func orderUpdated() async throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bus = InMemoryBus(source: "account-sync@test")
        defer { bus.close() }
        let inbox = AcctInbox()
        let collecting = inbox.collect(bus.subscribe([.venue]))
        defer { collecting.cancel() }
        let syncer = try Self.syncer(dir, bus: bus)
        func update(_ status: String, filled: Int64, ts: Int64) -> VenueOrderUpdate {
            VenueOrderUpdate(orderID: "order-1", clientOrderID: "c-1", ticker: AcctFixtures.ticker, side: .yes, action: "buy", status: status,
                             filledCount: Contracts(whole: filled), remainingCount: Contracts(whole: 5 - filled), price: Dollars(cents: 40), ts: ts)
        }
        for _ in 0..<10 { try await syncer.save(order: update("resting", filled: 0, ts: 100)) }
        try await syncer.save(order: update("resting", filled: 2, ts: 101))
        try await syncer.save(order: update("resting", filled: 0, ts: 100))  // an older state arriving late
        for _ in 0..<10 { try await syncer.save(order: update("executed", filled: 5, ts: 102)) }
        #expect(try await syncer.store.count("orders") == 1)
        let row = try #require(try await syncer.store.order("order-1"))
        #expect(row.status == "executed" && row.filled == Contracts(whole: 5))
        #expect(await eventually { inbox.orders.count == 3 })
        #expect(inbox.orders.map(\.status) == ["resting", "resting", "executed"])
        #expect(inbox.orders.map(\.filledCount) == [0, 2, 5].map { Contracts(whole: $0) })
        #expect(try await syncer.store.restingOrderIDs().isEmpty)
    }

    @Test("positions are one snapshot by ticker; balances are kept only when they change")
    func snapshots() async throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try AccountStore(path: dir + "/account.sqlite")
        let a = AcctFixtures.venue([(AcctFixtures.ticker, 3), (AcctFixtures.other, -2)])
        #expect(try await store.replacePositions(a, time: "t1"))
        #expect(try await store.replacePositions(a, time: "t2") == false)
        #expect(try await store.replacePositions(Array(a.prefix(1)), time: "t3"))
        #expect(try await store.positions() == Array(a.prefix(1)))
        let b = AccountBalance(balance: Dollars(cents: 100_000), portfolioValue: Dollars(cents: 150), mode: "sim", time: "t")
        #expect(try await store.recordBalance(b))
        #expect(try await store.recordBalance(b) == false)
        #expect(try await store.recordBalance(AccountBalance(balance: Dollars(cents: 99_000), portfolioValue: nil, mode: "sim", time: "t")))
        #expect(try await store.count("balance_history") == 2)
    }
}
