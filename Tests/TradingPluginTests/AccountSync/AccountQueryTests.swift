import AccountSync
import BusKit
import BusTestSupport
import BusWire
import Foundation
import Kalshi
import Money
import Synchronization
import Testing
import TradingWire

/// The answers a tap connection collects on `account.reply.tap`.
final class AccountReplies: Sendable {
    private final class List: Sendable { let items = Mutex<[AccountQueryResult]>([]) }
    private let list = List()
    private let collecting: Task<Void, Never>

    init(_ tap: ZMQBus) {
        let replies = tap.subscribe([TopicFilter(.accountQueryReply(requester: "tap"))])
        let list = self.list
        collecting = Task { for await e in replies { if let r = try? e.decode(AccountQueryResult.self) { list.items.withLock { $0.append(r) } } } }
    }
    deinit { collecting.cancel() }

    /// Asks `query` (again while unanswered: the subscription may still be joining) and returns its first answer.
    func ask(_ tap: ZMQBus, _ query: AccountQuery) async -> AccountQueryResult? {
        let answered = await eventually(every: .milliseconds(200)) {
            if list.items.withLock({ $0.contains { $0.requestID == query.requestID } }) { return true }
            try? tap.publish(.accountQuery, query)
            return false
        }
        return answered ? list.items.withLock { $0.first { $0.requestID == query.requestID } } : nil
    }
}

@Suite("account-sync answers account queries from its store over the real bus", .serialized)
struct AccountQueryTests {
    @Test("fills and settlements newest first, a page at a time with a cursor; a bad cursor is an error answer")
    func pagedFillsAndSettlements() async throws {
        try await withAcctVenue { venue in
            try await withAcctPlugin(venue) { tap, inbox, _ in
                let replies = AccountReplies(tap)
                #expect(await eventually { !inbox.balances.isEmpty })
                for (i, n) in [1, 2, 1].enumerated() { _ = try await venue.buy(count: Int64(n), id: "acct-query-\(i)") }
                let venueFills = try await venue.trader.fills()
                #expect(await eventually { (try? await AccountStore(path: venue.database).count("fills")) == venueFills.count })

                var pages: [[VenueFill]] = [], cursor: String? = nil, n = 0
                repeat {
                    n += 1
                    let page = try #require(await replies.ask(tap, AccountQuery(requester: "tap", requestID: "f\(n)", kind: .fills, limit: 2, cursor: cursor)))
                    #expect(page.error == nil && page.settlements.isEmpty && page.fills.count <= 2)
                    pages.append(page.fills); cursor = page.nextCursor
                } while cursor != nil && n < 20
                let fills = pages.flatMap { $0 }
                #expect(pages.count == (venueFills.count + 1) / 2)
                #expect(fills.count == venueFills.count && Set(fills.map { "\($0.orderID) \($0.fillID)" }).count == fills.count)
                #expect(fills.map(\.ts) == fills.map(\.ts).sorted(by: >), "newest first")

                let bad = try #require(await replies.ask(tap, AccountQuery(requester: "tap", requestID: "bad", kind: .fills, cursor: "nope")))
                #expect(bad.error?.contains("bad cursor") == true && bad.fills.isEmpty)

                venue.time.advance(seconds: 400)  // past the close: determined on the next tick, settled after the timer
                #expect(await eventually { (try? await venue.trader.market(AcctSim.atm).status) == .determined })
                venue.time.advance(seconds: 100)
                #expect(await eventually { inbox.settlements.contains { $0.ticker == AcctSim.atm } })
                let settled = try #require(await replies.ask(tap, AccountQuery(requester: "tap", requestID: "s1", kind: .settlements)))
                #expect(settled.error == nil && settled.fills.isEmpty && settled.nextCursor == nil)
                #expect(settled.settlements.map(\.ticker) == [AcctSim.atm] && settled.settlements.first?.yesCount == Contracts(whole: 4))
            }
        }
    }

    @Test("a page never exceeds its byte budget but always moves: one row per page when the budget is tiny")
    func byteBudget() async throws {
        try await withAcctVenue { venue in
            try await withAcctPlugin(venue) { _, inbox, _ in
                #expect(await eventually { !inbox.balances.isEmpty })
                for i in 0..<3 { _ = try await venue.buy(count: 1, id: "acct-budget-\(i)") }
                let store = try AccountStore(path: venue.database)
                let total = try await venue.trader.fills().count
                #expect(await eventually { (try? await store.count("fills")) == total })
                var seen = 0, cursor: String? = nil
                repeat {
                    let page = try await store.page(AccountQuery(requester: "t", requestID: "b", kind: .fills, cursor: cursor), byteBudget: 1)
                    #expect(page.fills.count == 1)
                    seen += page.fills.count; cursor = page.nextCursor
                } while cursor != nil && seen <= total
                #expect(seen == total)
            }
        }
    }
}
