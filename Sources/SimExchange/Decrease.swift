import Money

extension Exchange {
    /// Shrinks a resting order to `remaining` (zero cancels it), keeping its place in the queue. `shard` as in
    /// ``cancelOrder(_:user:onShard:now:)``.
    public mutating func decreaseOrder(_ orderID: String, user: String, to remaining: Contracts, onShard shard: Int? = nil,
                                       now ms: Millis) throws(ExchangeError) -> SimOrder {
        advance(to: ms)
        var order = try ownOrder(orderID, user: user, onShard: shard)
        guard let market = markets[order.ticker], market.status == .active else { throw .marketInactive }
        guard order.status == .resting else { throw .invalidOrder("order is not resting") }
        guard remaining >= .zero, remaining < order.remainingCount else { throw .invalidOrder("an order can only be decreased") }
        var book = books[order.ticker] ?? OrderBook()
        let cut = order.remainingCount - remaining
        if remaining == .zero {
            book.update(order.side, price: order.price, orderID: orderID, remaining: .zero)
            books[order.ticker] = book
            cancelResting(orderID, bookDelta: -cut)
            return orders[orderID] ?? order
        }
        book.update(order.side, price: order.price, orderID: orderID, remaining: remaining)
        books[order.ticker] = book
        let release = min(order.reserved, order.legPrice * cut)
        order.reserved = order.reserved - release
        if var acct = accounts[user] {
            acct.reserved = acct.reserved - release
            accounts[user] = acct
        }
        order.remainingCount = remaining
        order.updatedMs = now
        orders[orderID] = order
        outbox.append(.bookDelta(ticker: order.ticker, side: order.side, price: order.price, delta: -cut, userID: user,
                                 clientOrderID: order.clientOrderID, ms: now))
        outbox.append(.order(order))
        outbox.append(.ticker(order.ticker))
        return order
    }
}
