@testable import AccountSync
import BusKit
import BusTestSupport
import BusWire
import Foundation
import Kalshi
import Logging
import Money
import Synchronization
import TradeManager
import Testing
import TradingWire

/// A syncer on an in-memory bus, a test clock and a fresh database (its REST client points nowhere, never used).
struct RepublishRig {
    let dir: String
    let bus: InMemoryBus
    let clock: TestClock
    let syncer: AccountSyncer
    let inbox = AcctInbox()
    let collecting: Task<Void, Never>
    private let tradeManager = Counter()

    init() throws {
        dir = NSTemporaryDirectory() + "account-republish-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        bus = InMemoryBus(source: "account-sync@test")
        clock = TestClock(start: AcctFixtures.t0)
        let text = "[plugin.account-sync]\ndatabase = \(dir)/account.sqlite\ncredentials = \(dir)/none\n"
        let configuration = try BusConfiguration(file: ConfigFile(path: "test.conf", text: text), pluginKeys: [AccountSync.name: AccountSync.configKeys])
        var logger = Logger(label: "account-sync-test")
        logger.logLevel = .critical
        let context = PluginContext(name: AccountSync.name, host: "test", configuration: configuration, bus: bus, clock: clock,
                                    health: Health(), logger: logger)
        let settings = try AccountSyncSettings(configuration: configuration, home: dir)
        let (_, recheck) = AsyncStream<Double>.makeStream()
        syncer = AccountSyncer(rest: KalshiRESTClient(configuration: .simulator(port: 9), credentials: nil),
                               store: try AccountStore(path: settings.database), context: context, settings: settings, recheck: recheck)
        collecting = inbox.collect(bus.subscribe([.venue, .account]))
    }

    /// The trade manager's `trade.state.open`, as an envelope from `src` with the next sequence number (or `seq`).
    func openTrades(_ trades: [TradeRecord], src: String = "trade-manager@test", seq: UInt64? = nil) async throws {
        let data = try JSONEncoder().encode(OpenTrades(trades: trades, time: clock.now.description))
        let n = seq ?? tradeManager.next()
        await syncer.openTrades(Envelope(topic: Topic.openTrades.rawValue, type: OpenTrades.typeName, src: src, seq: n, ts: clock.now,
                                         data: Array(data)))
    }

    /// Everything published on `venue.`, in order.
    var venue: [Envelope] { inbox.all.filter { $0.topic.hasPrefix("venue.") } }

    func cleanUp() {
        collecting.cancel()
        bus.close()
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// A sequence counter.
    final class Counter: Sendable {
        private let value = Mutex<UInt64>(0)
        func next() -> UInt64 { value.withLock { $0 += 1; return $0 } }
    }
}

@Suite("account-sync republishes what the trade manager may have missed")
struct AccountSyncRepublishTests {
    typealias F = AcctFixtures
    static let at: Int64 = 1_788_997_900

    static func order(_ id: String, client: String, ticker: String = F.ticker, side: TradeSide = .yes, count: Int64 = 3,
                      ts: Int64 = at) -> VenueOrderUpdate {
        VenueOrderUpdate(orderID: id, clientOrderID: client, ticker: ticker, side: side, action: "buy", status: "executed",
                         filledCount: Contracts(whole: count), remainingCount: .zero, price: Dollars(cents: 40), ts: ts)
    }

    static func fill(_ id: String, order: String, ticker: String = F.ticker, side: TradeSide = .yes, count: Int64 = 3,
                     ts: Int64 = at) -> VenueFill {
        VenueFill(fillID: id, orderID: order, ticker: ticker, side: side, action: "buy", count: Contracts(whole: count),
                  price: Dollars(cents: 41), fee: Dollars(cents: 6), isTaker: true, ts: ts)
    }

    @Test("a mismatch republishes that market's orders and fills before the confirming recheck, once per interval")
    func mismatchRepublishes() async throws {
        let rig = try RepublishRig()
        defer { rig.cleanUp() }
        let s = rig.syncer
        // Published once when first stored: the trade manager (away) missed these.
        try await s.save(order: Self.order("O1", client: "ae-1"))
        try await s.save(fill: Self.fill("F1", order: "O1"))
        try await s.save(order: Self.order("O2", client: "ae-2", ticker: F.other, side: .no, count: 2))
        try await s.save(fill: Self.fill("F2", order: "O2", ticker: F.other, side: .no, count: 2))
        #expect(await eventually { rig.venue.count == 4 })
        rig.clock.advance(seconds: 10)  // past the fills' in-flight grace
        // The trade manager appears; it knows only the other market's trade. Its first sighting republishes the window.
        try await rig.openTrades([F.trade("ae-2", F.other, side: .no, count: 2)])
        #expect(await eventually { rig.venue.count == 8 })
        #expect(await s.republished == 4)

        await s.venuePositions(F.venue([(F.ticker, 3), (F.other, -2)]))
        await s.reconcile()  // the first disagreement: F.ticker only, republished before the recheck
        #expect(await eventually { rig.venue.count == 10 })
        let again = Array(rig.venue.suffix(2))
        #expect(again.map(\.topic) == [Topic.venueOrder.rawValue, Topic.venueFill.rawValue])
        #expect(try again[0].decode(VenueOrderUpdate.self) == Self.order("O1", client: "ae-1"))
        #expect(try again[1].decode(VenueFill.self) == Self.fill("F1", order: "O1"))
        #expect(await eventually { rig.inbox.reports.last?.status == .pending })

        rig.clock.advance(seconds: 5)
        await s.reconcile()  // confirmed: failed; the market was republished 5 s ago, not again
        #expect(await eventually { rig.inbox.reports.last?.status == .failed })
        #expect(rig.venue.count == 10)
        rig.clock.advance(seconds: 30)
        await s.reconcile()  // still failing after the interval: republished again
        #expect(await eventually { rig.venue.count == 12 })
        #expect(rig.inbox.fills.count == 6 && rig.inbox.fills.last == Self.fill("F1", order: "O1"))
        #expect(await s.republished == 8)
    }

    @Test("the republished messages catch a trade manager that missed everything up; a second republish changes nothing")
    func receiverCatchesUp() async throws {
        let rig = try RepublishRig()
        defer { rig.cleanUp() }
        let s = rig.syncer
        try await s.save(order: Self.order("O1", client: "ae-1"))
        try await s.save(fill: Self.fill("F1a", order: "O1", count: 1))
        try await s.save(fill: Self.fill("F1b", order: "O1", count: 2))
        try await s.save(order: Self.order("O2", client: "sv-stop-1", side: .no, ts: Self.at + 60))
        try await s.save(fill: Self.fill("F2", order: "O2", side: .no, ts: Self.at + 60))
        #expect(await eventually { rig.venue.count == 5 })
        try await rig.openTrades([], seq: 10)  // the trade manager appears
        #expect(await eventually { rig.venue.count == 10 })
        // In the order they happened: the entry and its fills, then the close and its fill.
        #expect(rig.venue.suffix(5).map(\.type) == ["venue.order", "venue.fill", "venue.fill", "venue.order", "venue.fill"])
        rig.clock.advance(seconds: 5)
        try await rig.openTrades([], seq: 11)
        rig.clock.advance(seconds: 55)
        try await rig.openTrades([], seq: 1)  // it restarted (its sequence began again): republished again
        #expect(await eventually { rig.venue.count == 15 })

        // A trade manager that saw none of the first five takes the republished ones: one trade, entered and closed.
        var book = TradeBook()
        var changes = BookChanges()
        let republished = Array(rig.venue.dropFirst(5))
        for (i, e) in republished.enumerated() {
            if e.type == VenueOrderUpdate.typeName { changes.merge(book.apply(venueOrder: try e.decode(VenueOrderUpdate.self), now: F.t0)) }
            if e.type == VenueFill.typeName { changes.merge(book.apply(fill: try e.decode(VenueFill.self), now: F.t0)) }
            guard i == 4 else { continue }
            let t = try #require(book["ae-1"])
            #expect(t.status == .closed && t.count == Contracts(whole: 3) && book.trades["ae-1"]?.closeKey == "sv-stop-1")
            // 3 − 3 × 0.41 (close) − 3 × 0.41 (entry) − 0.12 (entry fees) − 0.06 (close fee)
            #expect(t.entryPrice == Dollars(cents: 41) && t.closePrice == Dollars(cents: 41) && t.pnl == Dollars(cents: 36))
            #expect(book.trades.count == 1 && Set(book.fills.values.map(\.tradeID)) == ["ae-1"])
            changes = BookChanges()
        }
        #expect(changes.isEmpty && book.trades.count == 1)  // the second and third republish changed nothing
    }
}

@Suite("account-sync republish policy (injected clock)")
struct RepublishPolicyTests {
    typealias F = AcctFixtures

    @Test("the reconciler names a disagreeing market at once, one stuck in flight on its second check, never a settling one")
    func reconcilerNames() {
        var r = Reconciler(grace: 5, recheckDelay: 5, republishInterval: 30)
        r.venuePositions(F.venue([(F.ticker, 3), (F.other, 2)]))
        r.openTrades(F.open([F.trade("p", F.other, count: 1, status: .pending)]))
        let first = r.check(now: F.t0)
        #expect(first.republish == [F.ticker])  // not in flight: at once; F.other is pending (in flight)
        let second = r.check(now: F.t0.adding(seconds: 5))
        #expect(second.report?.status == .failed && second.republish == [F.other])  // still pending: stuck
        #expect(r.check(now: F.t0.adding(seconds: 10)).republish.isEmpty)  // both named within the interval
        #expect(r.check(now: F.t0.adding(seconds: 36)).republish == [F.other, F.ticker])  // sorted
        // Agreement names nothing; a determined market waiting for its settlement is not named.
        r.openTrades(F.open([F.trade("a", count: 3)]))
        r.venuePositions(F.venue([(F.ticker, 3), (F.other, 1)]))
        r.marketDetermined(ticker: F.other, now: F.t0.adding(seconds: 40))
        for i in 0..<3 { #expect(r.check(now: F.t0.adding(seconds: 100 + Double(i) * 40)).republish.isEmpty) }
    }

    @Test("the watch answers the first sighting, a restart, another publisher and a return after silence; rate-limited")
    func watch() {
        var w = TradeManagerWatch(silence: 15, minInterval: 30)
        let src = "trade-manager@a"
        // (publisher, sequence number, seconds after t0) → republish?
        let sightings: [(String, UInt64, Double, Bool)] = [
            (src, 10, 0, true),  // first sighting (account-sync just started)
            (src, 11, 5, false),
            (src, 12, 10, false),
            (src, 13, 40, true),  // back after 30 s of silence
            (src, 1, 45, false),  // restarted, but within the interval: owed
            (src, 2, 50, false),
            (src, 3, 70, true),  // the owed republish
            (src, 4, 75, false),
            ("trade-manager@b", 5, 110, true),  // moved to another host
        ]
        for (from, seq, at, expected) in sightings {
            let answer = w.saw(src: from, seq: seq, now: F.t0.adding(seconds: at))
            #expect(answer == expected, "seq \(seq) at +\(at) s")
        }
    }

    @Test("the store's recent window: a market's or every market's rows, no older than the window, newest up to the limit")
    func recentWindow() async throws {
        let dir = NSTemporaryDirectory() + "account-recent-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try AccountStore(path: dir + "/account.sqlite")
        typealias T = AccountSyncRepublishTests
        for (i, ts) in [Int64(0), 5_000, 9_000, 9_500, 10_000].enumerated() {
            let ticker = i % 2 == 0 ? F.ticker : F.other
            _ = try await store.upsert(T.order("O\(i)", client: "c\(i)", ticker: ticker, ts: ts))
            _ = try await store.insert(T.fill("F\(i)", order: "O\(i)", ticker: ticker, ts: ts))
        }
        let all = try await store.recent(ticker: nil, window: 1_000, limit: 100)
        #expect(all.orders.map(\.orderID) == ["O2", "O3", "O4"] && all.fills.map(\.fillID) == ["F2", "F3", "F4"])
        #expect(all.orders.first == T.order("O2", client: "c2", ts: 9_000))
        let one = try await store.recent(ticker: F.ticker, window: 1_000, limit: 100)
        #expect(one.orders.map(\.orderID) == ["O2", "O4"] && one.fills.map(\.fillID) == ["F2", "F4"])
        let capped = try await store.recent(ticker: nil, window: 100_000, limit: 2)
        #expect(capped.orders.map(\.orderID) == ["O3", "O4"])
        #expect(try await AccountStore(path: dir + "/empty.sqlite").recent(ticker: nil, window: 60, limit: 10).isEmpty)
    }
}
