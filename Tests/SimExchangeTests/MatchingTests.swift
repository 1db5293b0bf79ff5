import Money
import SimExchange
import Testing

@Suite struct MatchingTests {
    @Test func listsTheHourlyEventWithAStrikeLadder() {
        let ex = makeExchange()
        let ev = ex.event(event)
        #expect(ev?.marketTickers.count == 17)
        #expect(ev?.closeMs == closeMs)
        #expect(ex.market(atm)?.status == .active)
        #expect(ex.market(atm)?.floorStrike == d("99999.99"))
        #expect(ex.market(atm)?.openMs == closeMs - 3_600_000)
        #expect(ex.market("KXBTCD-26SEP0920-T97999.99") != nil)
    }

    @Test func pricePriorityThenTimePriority() throws {
        var ex = makeExchange()
        try ex.limit("alice", .ask, 5, "0.60")
        try ex.limit("bob", .ask, 5, "0.60")
        try ex.limit("carol", .ask, 5, "0.58")
        let r = try ex.limit("dave", .bid, 8, "0.60")
        #expect(r.order.fillCount == c(8))
        #expect(r.order.status == .executed)
        #expect(ex.fills("carol").map(\.count) == [c(5)])
        #expect(ex.fills("alice").map(\.count) == [c(3)])
        #expect(ex.fills("bob").isEmpty)
        #expect(ex.fills("dave").map(\.price) == [d("0.58"), d("0.60")])
        // (5 × 0.58 + 3 × 0.60) / 8 = 0.5875
        #expect(r.averageFillPrice == d("0.5875"))
        #expect(ex.book(atm)?.no == [PriceLevel(price: d("0.40"), count: c(7))])
        #expect(ex.position("dave", atm) == c(8))
        #expect(ex.position("alice", atm) == c(-3))
    }

    @Test func restingOrderHoldsCashAndCancelReleasesIt() throws {
        var ex = makeExchange()
        let r = try ex.limit("alice", .bid, 10, "0.40")
        #expect(ex.balance("alice") == d("996"))
        #expect(ex.book(atm)?.yes == [PriceLevel(price: d("0.40"), count: c(10))])
        let (order, reduced) = try ex.cancelOrder(r.order.orderID, user: "alice", now: ex.now)
        #expect(order.status == .canceled)
        #expect(reduced == c(10))
        #expect(ex.balance("alice") == d("1000"))
        #expect(ex.book(atm)?.yes.isEmpty == true)
        #expect(throws: ExchangeError.self) { try ex.cancelOrder(r.order.orderID, user: "bob", now: ex.now) }
    }

    @Test func repeatedClientOrderIDIsAConflict() throws {
        var ex = makeExchange()
        try ex.limit("alice", .bid, 1, "0.40", cid: "abc-1")
        do {
            try ex.limit("alice", .bid, 1, "0.41", cid: "abc-1")
            Issue.record("duplicate accepted")
        } catch {
            #expect(error.kind == .conflict)
            #expect(error.code == "order_already_exists")
        }
        #expect(ex.orders("alice").count == 1)
        // Another user may use the same id.
        try ex.limit("bob", .bid, 1, "0.41", cid: "abc-1")
    }

    @Test func reduceOnlyCapsAtThePosition() throws {
        var ex = makeExchange()
        #expect(throws: ExchangeError.self) {
            try ex.createOrder(OrderRequest(ticker: atm, side: .ask, count: c(5), price: d("0.50"), reduceOnly: true), user: "alice", now: ex.now)
        }
        try ex.limit("bob", .ask, 5, "0.50")
        try ex.limit("alice", .bid, 5, "0.50")
        try ex.limit("bob", .bid, 20, "0.45")
        let r = try ex.createOrder(OrderRequest(ticker: atm, side: .ask, count: c(10), price: d("0.45"), timeInForce: .immediateOrCancel,
                                                reduceOnly: true), user: "alice", now: ex.now)
        #expect(r.order.initialCount == c(5))
        #expect(r.order.fillCount == c(5))
        #expect(ex.position("alice", atm) == .zero)
    }

    @Test func postOnlyRefusesToCross() throws {
        var ex = makeExchange()
        try ex.limit("bob", .ask, 5, "0.55")
        #expect(throws: ExchangeError.self) {
            try ex.createOrder(OrderRequest(ticker: atm, side: .bid, count: c(1), price: d("0.55"), postOnly: true), user: "alice", now: ex.now)
        }
        let r = try ex.createOrder(OrderRequest(ticker: atm, side: .bid, count: c(1), price: d("0.54"), postOnly: true), user: "alice", now: ex.now)
        #expect(r.order.status == .resting)
    }

    @Test func selfTradePreventionTakerAtCrossCancelsTheIncomingOrder() throws {
        var ex = makeExchange()
        try ex.limit("bob", .ask, 2, "0.50")
        try ex.limit("alice", .ask, 5, "0.55")
        let r = try ex.createOrder(OrderRequest(ticker: atm, side: .bid, count: c(6), price: d("0.60"), selfTradePrevention: .takerAtCross),
                                   user: "alice", now: ex.now)
        #expect(r.order.fillCount == c(2))  // the earlier fill against bob stands
        #expect(r.order.status == .canceled)
        #expect(ex.book(atm)?.no == [PriceLevel(price: d("0.45"), count: c(5))])
    }

    @Test func selfTradePreventionMakerCancelsTheRestingOrder() throws {
        var ex = makeExchange()
        let own = try ex.limit("alice", .ask, 5, "0.55")
        try ex.limit("bob", .ask, 5, "0.58")
        let r = try ex.createOrder(OrderRequest(ticker: atm, side: .bid, count: c(3), price: d("0.60"), selfTradePrevention: .maker),
                                   user: "alice", now: ex.now)
        #expect(ex.order(own.order.orderID)?.status == .canceled)
        #expect(r.order.fillCount == c(3))
        #expect(ex.fills("bob").map(\.price) == [d("0.58")])
    }

    @Test func fillOrKillAndImmediateOrCancel() throws {
        var ex = makeExchange()
        try ex.limit("bob", .ask, 3, "0.50")
        do {
            try ex.limit("alice", .bid, 5, "0.50", tif: .fillOrKill)
            Issue.record("FoK filled without volume")
        } catch {
            #expect(error.code == "fill_or_kill_insufficient_resting_volume")
            #expect(error.kind == .conflict)
        }
        #expect(ex.book(atm)?.no == [PriceLevel(price: d("0.50"), count: c(3))])
        let ioc = try ex.limit("alice", .bid, 5, "0.50", tif: .immediateOrCancel)
        #expect(ioc.order.fillCount == c(3))
        #expect(ioc.order.remainingCount == .zero)
        #expect(ioc.order.status == .canceled)
        #expect(ex.book(atm)?.yes.isEmpty == true)
        try ex.limit("bob", .ask, 4, "0.50")
        let fok = try ex.limit("alice", .bid, 4, "0.50", tif: .fillOrKill)
        #expect(fok.order.status == .executed)
    }

    @Test func insufficientBalanceIsRefused() {
        var ex = makeExchange()
        #expect(throws: ExchangeError.self) { try ex.limit("alice", .bid, 2000, "0.60") }
    }

    @Test func marketOrdersAreRefusedOutsideTradingHours() throws {
        var ex = makeExchange()
        ex.advance(to: closeMs)
        #expect(ex.market(atm)?.status != .active)
        do {
            try ex.limit("alice", .bid, 1, "0.50")
            Issue.record("order accepted after close")
        } catch { #expect(error.code == "MARKET_INACTIVE") }
    }
}

@Suite struct OrderMaintenanceTests {
    @Test func goodTillCanceledOrdersExpire() throws {
        var ex = makeExchange()
        let r = try ex.createOrder(OrderRequest(ticker: atm, side: .bid, count: c(2), price: d("0.40"), expirationSecond: halfHourBefore / 1000 + 60),
                                   user: "alice", now: ex.now)
        #expect(ex.balance("alice") == d("999.20"))
        ex.advance(to: halfHourBefore + 59_999)
        #expect(ex.order(r.order.orderID)?.status == .resting)
        ex.advance(to: halfHourBefore + 60_000)
        #expect(ex.order(r.order.orderID)?.status == .canceled)
        #expect(ex.balance("alice") == d("1000"))
        #expect(throws: ExchangeError.self) {
            try ex.createOrder(OrderRequest(ticker: atm, side: .bid, count: c(1), price: d("0.40"), timeInForce: .immediateOrCancel,
                                            expirationSecond: halfHourBefore / 1000 + 600), user: "alice", now: ex.now)
        }
    }

    @Test func decreaseKeepsQueuePriority() throws {
        var ex = makeExchange()
        let first = try ex.limit("alice", .ask, 10, "0.60")
        try ex.limit("bob", .ask, 10, "0.60")
        _ = try ex.decreaseOrder(first.order.orderID, user: "alice", to: c(3), now: ex.now)
        #expect(ex.balance("alice") == d("998.80"))  // NO at 0.40 held for 3
        try ex.limit("carol", .bid, 4, "0.60")
        #expect(ex.fills("alice").map(\.count) == [c(3)])
        #expect(ex.fills("bob").map(\.count) == [c(1)])
        #expect(throws: ExchangeError.self) { try ex.decreaseOrder(first.order.orderID, user: "alice", to: c(1), now: ex.now) }
    }
}

@Suite struct AmendTests {
    @Test func amendingThePriceRequeuesAndMayTrade() throws {
        var ex = makeExchange()
        try ex.limit("bob", .ask, 5, "0.55")
        let mine = try ex.limit("alice", .bid, 4, "0.50", cid: "a-1")
        let r = try ex.amendOrder(mine.order.orderID, user: "alice", price: d("0.55"), count: c(6), updatedClientOrderID: "a-2", now: ex.now)
        #expect(r.order.fillCount == c(5))
        #expect(r.order.remainingCount == c(1))
        #expect(r.order.price == d("0.55"))
        #expect(r.order.clientOrderID == "a-2")
        #expect(r.averageFillPrice == d("0.55"))
        #expect(ex.book(atm)?.yes == [PriceLevel(price: d("0.55"), count: c(1))])
        #expect(ex.balance("alice") == d("1000") - d("2.75") - TakerFee.of(count: c(5), price: d("0.55")) - d("0.55"))
    }

    @Test func amendingDownAtTheSamePriceKeepsPriority() throws {
        var ex = makeExchange()
        let first = try ex.limit("alice", .bid, 5, "0.40")
        try ex.limit("bob", .bid, 5, "0.40")
        _ = try ex.amendOrder(first.order.orderID, user: "alice", price: d("0.40"), count: c(2), now: ex.now)
        try ex.limit("carol", .ask, 3, "0.40")
        #expect(ex.fills("alice").map(\.count) == [c(2)])
        #expect(ex.fills("bob").map(\.count) == [c(1)])
    }
}
