import Money
import SimExchange
import Testing

@Suite struct ValidationTests {
    @Test func refusesBadPricesCountsAndUnknownMarkets() {
        var ex = makeExchange()
        for price in ["0.00", "1.00", "0.505"] {
            #expect(throws: ExchangeError.self) { try ex.limit("alice", .bid, 1, price) }
        }
        #expect(throws: ExchangeError.self) {
            try ex.createOrder(OrderRequest(ticker: atm, side: .bid, count: .zero, price: d("0.50")), user: "alice", now: ex.now)
        }
        do {
            try ex.limit("alice", .bid, 1, "0.50", ticker: "KXBTCD-NOPE")
            Issue.record("unknown market accepted")
        } catch { #expect(error.kind == .notFound) }
    }

    @Test func fractionalContractsTradeExactly() throws {
        var ex = makeExchange()
        _ = try ex.createOrder(OrderRequest(ticker: atm, side: .ask, count: Contracts("2.5")!, price: d("0.40")), user: "bob", now: ex.now)
        let r = try ex.createOrder(OrderRequest(ticker: atm, side: .bid, count: Contracts("0.75")!, price: d("0.40")), user: "alice", now: ex.now)
        #expect(r.order.fillCount == Contracts("0.75")!)
        #expect(ex.book(atm)?.no == [PriceLevel(price: d("0.60"), count: Contracts("1.75")!)])
        #expect(ex.balance("alice") == d("1000") - d("0.30") - d("0.02"))  // fee 0.0126 → 0.02
    }

    @Test func theNextHoursMarketsAreNotYetTradable() {
        var ex = makeExchange()
        ex.advance(to: closeMs - 300_000)
        do {
            try ex.limit("alice", .bid, 1, "0.50", ticker: "KXBTCD-26SEP0921-T99999.99")
            Issue.record("order accepted before the open")
        } catch { #expect(error.code == "MARKET_INACTIVE") }
    }

    @Test func onlyTheOwnerMayCancel() throws {
        var ex = makeExchange()
        let r = try ex.limit("alice", .bid, 1, "0.40")
        do {
            _ = try ex.cancelOrder(r.order.orderID, user: "mallory", now: ex.now)
            Issue.record("cancelled someone else's order")
        } catch { #expect(error.kind == .notFound) }
        #expect(ex.order(r.order.orderID)?.status == .resting)
    }

    @Test func eventsAndOrdersStreamOut() throws {
        var ex = makeExchange()
        _ = ex.drainEvents()
        try ex.limit("bob", .ask, 2, "0.45")
        try ex.limit("alice", .bid, 1, "0.45")
        let events = ex.drainEvents()
        #expect(events.contains { if case .trade(let t) = $0 { t.count == c(1) && t.takerSide == .bid } else { false } })
        #expect(events.contains { if case .fill(let f) = $0 { f.userID == "alice" && f.isTaker } else { false } })
        #expect(events.contains { if case .bookDelta(_, .ask, _, let delta, _, _, _) = $0 { delta == c(-1) } else { false } })
        #expect(ex.drainEvents().isEmpty)
    }
}
