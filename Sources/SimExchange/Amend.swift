import Money

extension Exchange {
    /// Amends a resting order to a new price and a new total count (already filled plus what should rest). A pure
    /// size decrease at the same price keeps the order's place in the queue; anything else re-enters the book as a
    /// new arrival, matching first if it now crosses. `shard` as in ``cancelOrder(_:user:onShard:now:)``.
    public mutating func amendOrder(_ orderID: String, user: String, price: Dollars, count: Contracts, updatedClientOrderID: String? = nil,
                                    onShard shard: Int? = nil, now ms: Millis) throws(ExchangeError) -> OrderResult {
        advance(to: ms)
        var order = try ownOrder(orderID, user: user, onShard: shard)
        guard let market = markets[order.ticker], market.status == .active else { throw .marketInactive }
        guard order.status == .resting else { throw .invalidOrder("order is not resting") }
        guard price.micros % 10_000 == 0, price >= Dollars(cents: 1), price <= Dollars(cents: 99) else {
            throw .invalidOrder("price must be on the cent grid between 0.01 and 0.99")
        }
        let remaining = count - order.fillCount
        guard remaining > .zero else { throw ExchangeError(.badRequest, "invalid_order_size", "count must exceed the filled count") }
        if let cid = updatedClientOrderID, !cid.isEmpty, cid != order.clientOrderID {
            guard accounts[user]?.clientOrderIDs[cid] == nil else { throw .duplicateClientOrderID }
            accounts[user]?.clientOrderIDs[cid] = orderID
            order.clientOrderID = cid
            orders[orderID] = order
        }
        if price == order.price, remaining <= order.remainingCount {
            if remaining < order.remainingCount { order = try decreaseOrder(orderID, user: user, to: remaining, now: ms) }
            order.initialCount = count
            orders[orderID] = order
            return OrderResult(order: order, averageFillPrice: nil, averageFeePaid: nil, ms: now)
        }
        // Off the book, then back in as a new arrival.
        var book = books[order.ticker] ?? OrderBook()
        book.update(order.side, price: order.price, orderID: orderID, remaining: .zero)
        books[order.ticker] = book
        outbox.append(.bookDelta(ticker: order.ticker, side: order.side, price: order.price, delta: -order.remainingCount,
                                 userID: user, clientOrderID: order.clientOrderID, ms: now))
        if var acct = accounts[user] {
            acct.reserved = acct.reserved - order.reserved
            accounts[user] = acct
        }
        order.reserved = .zero
        let acct = account(user)
        let held = acct.positions[order.ticker]?.position ?? .zero
        let closable = order.side == .bid ? max(.zero, -held) : max(.zero, held)
        let legPrice = order.side == .bid ? price : oneDollar - price
        if !isMaker(user), acct.cash - acct.reserved < legPrice * max(.zero, remaining - closable) + TakerFee.of(count: remaining, price: price) {
            rest(&order)  // back as it was
            orders[orderID] = order
            throw .insufficientBalance
        }
        sequence += 1
        order.sequence = sequence
        order.price = price
        order.initialCount = count
        order.remainingCount = remaining
        order.updatedMs = now
        let before = (fill: order.fillCount, cost: order.takerFillCost, fees: order.takerFees)
        _ = match(&order)
        if order.remainingCount == .zero {
            order.status = .executed
        } else if order.status == .resting {
            rest(&order)
        } else {
            order.remainingCount = .zero  // stopped by self-trade prevention
        }
        orders[orderID] = order
        outbox.append(.order(order))
        let filled = order.fillCount - before.fill
        let average = filled > .zero ? Dollars(micros: (order.takerFillCost - before.cost).micros * 100 / filled.centis) : nil
        let fee = filled > .zero ? Dollars(micros: (order.takerFees - before.fees).micros * 100 / filled.centis) : nil
        return OrderResult(order: order, averageFillPrice: average.map { order.side == .bid ? $0 : oneDollar - $0 }, averageFeePaid: fee, ms: now)
    }
}
