import Money

/// Kalshi's exchange shards: every market of the series lives on ``ExchangeConfig/exchangeIndex``, writes on an
/// existing order are routed to one shard, and each shard holds its own cash.
extension Exchange {
    /// The shard a market lives on; nil for an unknown ticker.
    public func shard(ofMarket ticker: String) -> Int? { markets[ticker] == nil ? nil : config.exchangeIndex }

    /// Where Kalshi sends a cancel, amend or decrease: to `exchangeIndex` when it is 0 or more; else (omitted or −1)
    /// to the shard of `marketTicker`; with neither, to shard 0.
    public func route(exchangeIndex: Int?, marketTicker: String?) throws(ExchangeError) -> Int {
        if let i = exchangeIndex, i >= 0 {
            guard i < config.shardCount else { throw ExchangeError(.badRequest, "invalid_parameters", "exchange_index \(i) is not a shard") }
            return i
        }
        if let ticker = marketTicker, !ticker.isEmpty {
            guard let shard = shard(ofMarket: ticker) else { throw .marketNotFound(ticker) }
            return shard
        }
        if exchangeIndex != nil { throw ExchangeError(.badRequest, "missing_parameters", "exchange_index -1 routes by market_ticker, which is missing") }
        return 0
    }

    /// `user`'s order `orderID`, as the shard `shard` sees it (nil: wherever it is).
    func ownOrder(_ orderID: String, user: String, onShard shard: Int?) throws(ExchangeError) -> SimOrder {
        guard let order = orders[orderID], order.userID == user, shard == nil || shard == self.shard(ofMarket: order.ticker) else {
            throw .orderNotFound
        }
        return order
    }

    /// `user`'s cash on `shard`, less what resting orders there hold back.
    public func balance(_ user: String, shard: Int) -> Dollars {
        if shard == config.exchangeIndex { return balance(user) }
        return accounts[user]?.otherShards[shard] ?? .zero
    }

    /// `user`'s cash on every shard, shard 0 first.
    public func shardBalances(_ user: String) -> [(shard: Int, balance: Dollars)] {
        (0..<config.shardCount).map { (shard: $0, balance: balance(user, shard: $0)) }
    }

    /// `user`'s cash over every shard.
    public func totalBalance(_ user: String) -> Dollars { shardBalances(user).reduce(.zero) { $0 + $1.balance } }

    /// Moves `amount` of `user`'s cash from shard `from` to shard `to` at once (Kalshi: no clearing delay); answers the
    /// transfer's id. Only cash not held back by resting orders can move. A repeated `clientTransferID` answers the
    /// first transfer's id and moves nothing (our choice: Kalshi documents only that it is not repeated).
    public mutating func transfer(_ user: String, amount: Dollars, from: Int, to: Int, clientTransferID: String? = nil,
                                  now ms: Millis) throws(ExchangeError) -> String {
        advance(to: ms)
        if let key = clientTransferID, let id = accounts[user]?.transferIDs[key] { return id }
        let shards = 0..<config.shardCount
        guard shards.contains(from), shards.contains(to), from != to else {
            throw ExchangeError(.badRequest, "invalid_parameters", "a transfer needs two different shards in 0..<\(config.shardCount)")
        }
        guard amount > .zero else { throw ExchangeError(.badRequest, "invalid_parameters", "amount must be positive") }
        guard balance(user, shard: from) >= amount else { throw .insufficientBalance }
        var acct = account(user)
        for (shard, delta) in [(from, -amount), (to, amount)] {
            if shard == config.exchangeIndex {
                acct.cash = acct.cash + delta
            } else {
                acct.otherShards[shard] = (acct.otherShards[shard] ?? .zero) + delta
            }
        }
        acct.updatedMs = now
        let id = nextID()
        if let key = clientTransferID { acct.transferIDs[key] = id }
        accounts[user] = acct
        return id
    }
}
