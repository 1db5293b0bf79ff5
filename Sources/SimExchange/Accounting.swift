import Money

extension Exchange {
    /// Books one match between an incoming order and a resting one at the resting order's price.
    mutating func execute(taker: inout SimOrder, makerID: String, price: Dollars, count: Contracts, takerFee: Dollars) {
        guard var maker = orders[makerID] else { return }
        let tradeID = nextID()
        trades.append(SimTrade(tradeID: tradeID, ticker: taker.ticker, price: price, count: count, takerSide: taker.side, createdMs: now))
        outbox.append(.trade(trades[trades.count - 1]))

        taker.fillCount = taker.fillCount + count
        taker.remainingCount = taker.remainingCount - count
        taker.takerFillCost = taker.takerFillCost + legPrice(taker.side, price) * count
        taker.takerFees = taker.takerFees + takerFee
        taker.updatedMs = now

        maker.fillCount = maker.fillCount + count
        maker.remainingCount = maker.remainingCount - count
        maker.makerFillCost = maker.makerFillCost + legPrice(maker.side, price) * count
        maker.updatedMs = now
        if maker.remainingCount == .zero { maker.status = .executed }
        let release = min(maker.reserved, legPrice(maker.side, price) * count)
        maker.reserved = maker.reserved - release
        if var acct = accounts[maker.userID] {
            acct.reserved = acct.reserved - release
            accounts[maker.userID] = acct
        }
        orders[makerID] = isMaker(maker.userID) && maker.status == .executed ? nil : maker
        if maker.status == .executed { expiring.remove(makerID) }
        outbox.append(.bookDelta(ticker: maker.ticker, side: maker.side, price: maker.price, delta: -count,
                                 userID: nil, clientOrderID: nil, ms: now))
        outbox.append(.order(maker))

        applyFill(user: taker.userID, order: taker, tradeID: tradeID, price: price, count: count, fee: takerFee, isTaker: true)
        applyFill(user: maker.userID, order: maker, tradeID: tradeID, price: price, count: count, fee: .zero, isTaker: false)

        if var market = markets[taker.ticker] {
            market.previousPrice = market.lastPrice
            market.lastPrice = price
            market.volume = market.volume + count
            market.updatedMs = now
            markets[taker.ticker] = market
            recomputeOpenInterest(taker.ticker)
        }
        outbox.append(.ticker(taker.ticker))
        if isMaker(maker.userID) { makerDirty.insert(maker.ticker) }
    }

    func legPrice(_ side: BookSide, _ yesPrice: Dollars) -> Dollars { side == .bid ? yesPrice : oneDollar - yesPrice }

    /// Moves cash and the netted position of one side of a match: buying YES first closes NO (cash back at the NO
    /// price), then opens YES; selling YES mirrors it.
    private mutating func applyFill(user: String, order: SimOrder, tradeID: String, price: Dollars, count: Contracts, fee: Dollars, isTaker: Bool) {
        var acct = account(user)
        var pos = acct.positions[order.ticker] ?? SimPosition(ticker: order.ticker)
        let held = pos.position
        let toward: Int64 = order.side == .bid ? 1 : -1  // +1 adds YES, −1 adds NO
        let opposing = toward > 0 ? max(.zero, -held) : max(.zero, held)
        let closing = min(count, opposing), opening = count - closing
        let closePrice = toward > 0 ? oneDollar - price : price  // what the closed leg sells for
        let openPrice = toward > 0 ? price : oneDollar - price
        if closing > .zero {
            let magnitude = toward > 0 ? -held : held
            let released = Dollars(micros: pos.cost.micros * closing.centis / magnitude.centis)
            acct.cash = acct.cash + closePrice * closing
            pos.realizedPnL = pos.realizedPnL + closePrice * closing - released
            pos.cost = pos.cost - released
        }
        if opening > .zero {
            acct.cash = acct.cash - openPrice * opening
            pos.cost = pos.cost + openPrice * opening
        }
        acct.cash = acct.cash - fee
        pos.feesPaid = pos.feesPaid + fee
        pos.realizedPnL = pos.realizedPnL - fee
        pos.position = held + (toward > 0 ? count : -count)
        pos.totalTraded = pos.totalTraded + openPrice * count
        pos.volume = pos.volume + count
        pos.updatedMs = now
        acct.positions[order.ticker] = pos
        acct.updatedMs = now
        let fill = SimFill(fillID: tradeID + (isTaker ? "-t" : "-m"), tradeID: tradeID, orderID: order.orderID, userID: user,
                           clientOrderID: order.clientOrderID, ticker: order.ticker, side: order.side, price: price, count: count,
                           isTaker: isTaker, fee: fee, createdMs: now, postPosition: pos.position)
        if !isMaker(user) { acct.fills.append(fill) }
        accounts[user] = acct
        outbox.append(.fill(fill))
        outbox.append(.position(userID: user, ticker: order.ticker))
    }

    /// Open interest: the YES contracts held across all users.
    mutating func recomputeOpenInterest(_ ticker: String) {
        let oi = accounts.values.reduce(Contracts.zero) { $0 + max(.zero, $1.positions[ticker]?.position ?? .zero) }
        markets[ticker]?.openInterest = oi
    }
}
