import Money
import SimExchange
import Testing

@Suite struct ShardTests {
    func reduceOnly(_ side: BookSide, _ count: Int64, _ price: String, tif: TimeInForce = .immediateOrCancel) -> OrderRequest {
        OrderRequest(ticker: atm, side: side, count: c(count), price: d(price), timeInForce: tif, reduceOnly: true)
    }

    @Test func marketsLiveOnTheSeriesShardWhichIsConfigurable() throws {
        var ex = makeExchange()
        #expect(ex.shard(ofMarket: atm) == 2)
        #expect(ex.shard(ofMarket: "KXBTCD-NOPE") == nil)
        var config = ExchangeConfig()
        config.exchangeIndex = 3
        let other = Exchange(config: config, index: ConstantIndexSource(Dollars(cents: 10_000_000)), now: halfHourBefore)
        #expect(other.shard(ofMarket: atm) == 3)

        // Kalshi's routing: exchange_index when ≥ 0, else the market's shard, else shard 0.
        #expect(try ex.route(exchangeIndex: nil, marketTicker: atm) == 2)
        #expect(try ex.route(exchangeIndex: -1, marketTicker: atm) == 2)
        #expect(try ex.route(exchangeIndex: 0, marketTicker: atm) == 0)
        #expect(try ex.route(exchangeIndex: nil, marketTicker: nil) == 0)
        #expect(throws: ExchangeError.self) { try ex.route(exchangeIndex: -1, marketTicker: nil) }
        #expect(throws: ExchangeError.self) { try ex.route(exchangeIndex: 9, marketTicker: nil) }

        let id = try ex.limit("alice", .bid, 2, "0.30").order.orderID
        #expect { try ex.cancelOrder(id, user: "alice", onShard: 0, now: ex.now) } throws: { ($0 as? ExchangeError)?.kind == .notFound }
        #expect { try ex.decreaseOrder(id, user: "alice", to: c(1), onShard: 0, now: ex.now) } throws: { ($0 as? ExchangeError)?.kind == .notFound }
        #expect { try ex.amendOrder(id, user: "alice", price: d("0.31"), count: c(2), onShard: 0, now: ex.now) } throws: {
            ($0 as? ExchangeError)?.kind == .notFound
        }
        #expect(ex.order(id)?.status == .resting)
        let canceled = try ex.cancelOrder(id, user: "alice", onShard: 2, now: ex.now)
        #expect(canceled.reducedBy == c(2))
    }

    @Test func eachShardHoldsItsOwnCash() throws {
        var ex = makeExchange()
        ex.openAccount("alice")
        #expect(ex.shardBalances("alice").map(\.balance) == [.zero, .zero, d("1000"), .zero])
        let first = try ex.transfer("alice", amount: d("250"), from: 2, to: 0, clientTransferID: "t-1", now: ex.now)
        #expect(ex.balance("alice", shard: 0) == d("250") && ex.balance("alice", shard: 2) == d("750"))
        let again = try ex.transfer("alice", amount: d("250"), from: 2, to: 0, clientTransferID: "t-1", now: ex.now)
        #expect(again == first)  // not moved again
        #expect(ex.totalBalance("alice") == d("1000") && ex.balance("alice") == d("750"))
        #expect(throws: ExchangeError.self) { try ex.transfer("alice", amount: d("251"), from: 0, to: 2, now: ex.now) }
        #expect(throws: ExchangeError.self) { try ex.transfer("alice", amount: d("1"), from: 2, to: 2, now: ex.now) }
        #expect(throws: ExchangeError.self) { try ex.transfer("alice", amount: d("1"), from: 2, to: 4, now: ex.now) }
        // Cash held back by a resting order cannot move.
        try ex.limit("alice", .bid, 100, "0.50")
        #expect(throws: ExchangeError.self) { try ex.transfer("alice", amount: d("701"), from: 2, to: 1, now: ex.now) }
        _ = try ex.transfer("alice", amount: d("700"), from: 2, to: 1, now: ex.now)
        #expect(ex.shardBalances("alice").map(\.balance) == [d("250"), d("700"), .zero, .zero])
    }

    @Test func reduceOnlyIsImmediateOrCancelOnly() throws {
        var ex = makeExchange()
        try ex.limit("bob", .ask, 5, "0.50")
        try ex.limit("alice", .bid, 5, "0.50")
        for tif in [TimeInForce.goodTillCanceled, .fillOrKill] {
            #expect { try ex.createOrder(reduceOnly(.ask, 5, "0.40", tif: tif), user: "alice", now: ex.now) } throws: {
                ($0 as? ExchangeError)?.code == "invalid_order"
            }
        }
        #expect(ex.position("alice", atm) == c(5))
    }

    @Test func reduceOnlyWithNothingToReduceIsRefused() throws {
        var ex = makeExchange()
        try ex.limit("bob", .bid, 50, "0.40")
        try ex.limit("bob", .ask, 50, "0.60")
        // Flat: nothing to reduce either way.
        for side in [BookSide.bid, .ask] {
            #expect { try ex.createOrder(reduceOnly(side, 1, side == .bid ? "0.60" : "0.40"), user: "alice", now: ex.now) } throws: {
                ($0 as? ExchangeError)?.code == "reduce_only_no_position"
            }
        }
        // Holding YES: buying more YES (a bid) reduces nothing.
        try ex.limit("alice", .bid, 3, "0.60", tif: .immediateOrCancel)
        #expect { try ex.createOrder(reduceOnly(.bid, 1, "0.60"), user: "alice", now: ex.now) } throws: {
            ($0 as? ExchangeError)?.code == "reduce_only_no_position"
        }
        #expect(ex.position("alice", atm) == c(3))
    }

    @Test func reduceOnlyIsCappedAtThePositionAndNeverFlipsIt() throws {
        var ex = makeExchange()
        try ex.limit("bob", .bid, 50, "0.40")
        try ex.limit("bob", .ask, 50, "0.60")
        // Long NO 4 (sold YES); a reduce-only YES bid for 10 buys back 4 and stops flat.
        try ex.limit("alice", .ask, 4, "0.40", tif: .immediateOrCancel)
        #expect(ex.position("alice", atm) == c(-4))
        let back = try ex.createOrder(reduceOnly(.bid, 10, "0.60"), user: "alice", now: ex.now)
        #expect(back.order.initialCount == c(4) && back.order.fillCount == c(4))
        #expect(ex.position("alice", atm) == .zero)
        // Long YES 6; buying NO (a YES ask) reduces it: capped at 6, never short.
        try ex.limit("alice", .bid, 6, "0.60", tif: .immediateOrCancel)
        let sold = try ex.createOrder(reduceOnly(.ask, 9, "0.40"), user: "alice", now: ex.now)
        #expect(sold.order.fillCount == c(6) && ex.position("alice", atm) == .zero)
    }
}
