import Money

extension Exchange {
    /// Places an order for `user` at `now`: validates it, matches it against the book by price-time priority, and
    /// rests what is left when it is good-till-canceled.
    public mutating func createOrder(_ request: OrderRequest, user: String, now ms: Millis) throws(ExchangeError) -> OrderResult {
        advance(to: ms)
        return try place(request, user: user)
    }

    mutating func place(_ r: OrderRequest, user: String) throws(ExchangeError) -> OrderResult {
        guard let market = markets[r.ticker] else { throw .marketNotFound(r.ticker) }
        guard market.status == .active, now < market.closeMs else { throw .marketInactive }
        guard r.count > .zero else { throw ExchangeError(.badRequest, "invalid_order_size", "count must be positive") }
        guard r.price.micros % 10_000 == 0, r.price >= Dollars(cents: 1), r.price <= Dollars(cents: 99) else {
            throw .invalidOrder("price must be on the cent grid between 0.01 and 0.99")
        }
        if r.expirationSecond != nil, r.timeInForce != .goodTillCanceled { throw .invalidOrder("expiration_time needs good_till_canceled") }
        if let e = r.expirationSecond, e * 1000 <= now { throw .invalidOrder("Expiration timestamp must be in the future") }
        let acct = account(user)
        let cid = r.clientOrderID ?? ""
        if !cid.isEmpty, acct.clientOrderIDs[cid] != nil { throw .duplicateClientOrderID }

        let held = acct.positions[r.ticker]?.position ?? .zero
        let closable = r.side == .bid ? max(.zero, -held) : max(.zero, held)
        var count = r.count
        if r.reduceOnly {  // only shrinks the netted position in this market, never flips it
            guard r.timeInForce == .immediateOrCancel else { throw .reduceOnlyNeedsIOC }
            guard closable > .zero else { throw .nothingToReduce }
            count = min(count, closable)
        }
        let book = books[r.ticker] ?? OrderBook()
        let crosses: (Dollars) -> Bool = { r.side == .bid ? $0 <= r.price : $0 >= r.price }
        if r.postOnly, let best = r.side == .bid ? book.bestAsk : book.bestBid, crosses(best) { throw .postOnlyCross }
        if r.timeInForce == .fillOrKill {
            var available = Contracts.zero
            for p in book.prices(r.side.opposite) where crosses(p) {
                available = available + book.entries(r.side.opposite, at: p).filter { $0.userID != user }.reduce(.zero) { $0 + $1.remaining }
            }
            guard available >= count else { throw .fillOrKill }
        }
        let legPrice = r.side == .bid ? r.price : oneDollar - r.price
        if !isMaker(user) {
            let need = legPrice * max(.zero, count - closable) + TakerFee.of(count: count, price: r.price)
            guard acct.cash - acct.reserved >= need else { throw .insufficientBalance }
        }

        sequence += 1
        let seq = sequence
        var order = SimOrder(
            orderID: nextID(), userID: user, clientOrderID: cid, ticker: r.ticker, side: r.side, price: r.price, initialCount: count,
            remainingCount: count, timeInForce: r.timeInForce, selfTradePrevention: r.selfTradePrevention, postOnly: r.postOnly,
            reduceOnly: r.reduceOnly, expirationSecond: r.expirationSecond, createdMs: now, updatedMs: now, sequence: seq)
        if !cid.isEmpty { accounts[user]?.clientOrderIDs[cid] = order.orderID }
        let (fillCost, filled) = match(&order)

        if order.remainingCount > .zero {
            if r.timeInForce == .goodTillCanceled, order.status == .resting {
                rest(&order)
            } else {
                order.status = .canceled
                order.remainingCount = .zero
            }
        } else {
            order.status = .executed
        }
        if isMaker(user) {
            if order.status == .resting { orders[order.orderID] = order }
        } else {
            orders[order.orderID] = order
            orderOrder.append(order.orderID)
            if order.status == .resting, order.expirationSecond != nil { expiring.insert(order.orderID) }
        }
        outbox.append(.order(order))
        let average = filled > .zero ? Dollars(micros: fillCost.micros * 100 / filled.centis) : nil
        let fee = filled > .zero ? Dollars(micros: order.takerFees.micros * 100 / filled.centis) : nil
        return OrderResult(order: order, averageFillPrice: average, averageFeePaid: fee, ms: now)
    }

    /// Walks the opposite side best-first; returns the YES-price cost and the count filled.
    mutating func match(_ order: inout SimOrder) -> (Dollars, Contracts) {
        var book = books[order.ticker] ?? OrderBook()
        var feeNumerator: Int128 = 0
        var feeCharged = Dollars.zero
        var cost = Dollars.zero, filled = Contracts.zero
        let opposite = order.side.opposite
        matching: for price in book.prices(opposite) {
            guard order.side == .bid ? price <= order.price : price >= order.price else { break }
            for entry in book.entries(opposite, at: price) {
                guard order.remainingCount > .zero else { break matching }
                if entry.userID == order.userID {
                    if order.selfTradePrevention == .takerAtCross { order.status = .canceled; break matching }
                    book.update(opposite, price: price, orderID: entry.orderID, remaining: .zero)
                    cancelResting(entry.orderID, bookDelta: -entry.remaining)
                    continue
                }
                let q = min(entry.remaining, order.remainingCount)
                feeNumerator += TakerFee.exactNumerator(count: q, price: price)
                let fee = TakerFee.roundUpToCent(feeNumerator) - feeCharged
                feeCharged = feeCharged + fee
                book.update(opposite, price: price, orderID: entry.orderID, remaining: entry.remaining - q)
                books[order.ticker] = book
                execute(taker: &order, makerID: entry.orderID, price: price, count: q, takerFee: fee)
                cost = cost + price * q
                filled = filled + q
            }
        }
        books[order.ticker] = book
        return (cost, filled)
    }

    /// Puts an order's remainder on the book, holding back the cash its opening part could cost.
    mutating func rest(_ order: inout SimOrder) {
        var book = books[order.ticker] ?? OrderBook()
        book.add(order.side, price: order.price, .init(orderID: order.orderID, userID: order.userID, remaining: order.remainingCount))
        books[order.ticker] = book
        if !isMaker(order.userID), var acct = accounts[order.userID] {
            let held = acct.positions[order.ticker]?.position ?? .zero
            let closable = order.side == .bid ? max(.zero, -held) : max(.zero, held)
            order.reserved = order.legPrice * max(.zero, order.remainingCount - closable)
            acct.reserved = acct.reserved + order.reserved
            accounts[order.userID] = acct
        }
        outbox.append(.bookDelta(ticker: order.ticker, side: order.side, price: order.price, delta: order.remainingCount,
                                 userID: order.userID, clientOrderID: order.clientOrderID, ms: now))
        outbox.append(.ticker(order.ticker))
    }

    /// Cancels a resting order by id for `user`; returns the order and the count removed. `shard` is where the
    /// request was routed (``route(exchangeIndex:marketTicker:)``): an order of another shard is not found there.
    public mutating func cancelOrder(_ orderID: String, user: String, onShard shard: Int? = nil,
                                     now ms: Millis) throws(ExchangeError) -> (order: SimOrder, reducedBy: Contracts) {
        advance(to: ms)
        let order = try ownOrder(orderID, user: user, onShard: shard)
        guard let market = markets[order.ticker], market.status == .active else { throw .marketInactive }
        guard order.status == .resting else { return (order, .zero) }
        let reduced = order.remainingCount
        var book = books[order.ticker] ?? OrderBook()
        book.update(order.side, price: order.price, orderID: orderID, remaining: .zero)
        books[order.ticker] = book
        cancelResting(orderID, bookDelta: -reduced)
        return (orders[orderID] ?? order, reduced)
    }

    /// Marks a resting order (already off the book) canceled, releases its reservation and reports it.
    mutating func cancelResting(_ orderID: String, bookDelta: Contracts) {
        guard var order = orders[orderID] else { return }
        if var acct = accounts[order.userID] {
            acct.reserved = acct.reserved - order.reserved
            accounts[order.userID] = acct
        }
        order.reserved = .zero
        order.remainingCount = .zero
        order.status = .canceled
        order.updatedMs = now
        orders[orderID] = isMaker(order.userID) ? nil : order
        expiring.remove(orderID)
        outbox.append(.bookDelta(ticker: order.ticker, side: order.side, price: order.price, delta: bookDelta,
                                 userID: order.userID, clientOrderID: order.clientOrderID, ms: now))
        outbox.append(.order(order))
        outbox.append(.ticker(order.ticker))
        if isMaker(order.userID) { makerDirty.insert(order.ticker) }
    }
}
