import Money

/// The quote a market maker shows in one market: best bid and best ask in whole cents.
struct MakerQuote: Sendable, Equatable {
    let bidCents: Int64
    let askCents: Int64
}

extension Exchange {
    /// The quote makers should show now in an active market, from the fair value of its strike.
    func desiredQuote(_ m: SimMarket) -> MakerQuote? {
        guard let spot = index.index(atSecond: now / 1000) else { return nil }
        let mm = config.marketMaker
        let p = FairValue.probabilityAbove(spot: spot, strike: m.floorStrike, secondsLeft: (m.closeMs - now) / 1000,
                                           annualVolatility: mm.annualVolatility)
        let fair = FairValue.cents(p)
        return MakerQuote(bidCents: fair - mm.halfSpreadCents, askCents: fair + mm.halfSpreadCents)
    }

    /// Re-quotes every active market whose fair quote moved or whose maker orders traded.
    mutating func refreshMakerQuotes() {
        for ticker in liveMarkets {
            guard let m = markets[ticker], m.status == .active else { continue }
            guard let want = desiredQuote(m) else { continue }
            if makerQuotes[ticker] == want, !makerDirty.contains(ticker) { continue }
            requote(ticker, want)
        }
    }

    private mutating func requote(_ ticker: String, _ quote: MakerQuote) {
        let mm = config.marketMaker
        // Pull the maker's resting orders, then place fresh ladders on both sides.
        if var book = books[ticker] {
            for side in [BookSide.bid, .ask] {
                for price in book.prices(side) {
                    for e in book.entries(side, at: price) where e.userID == mm.userID {
                        book.update(side, price: price, orderID: e.orderID, remaining: .zero)
                        books[ticker] = book
                        cancelResting(e.orderID, bookDelta: -e.remaining)
                    }
                }
            }
        }
        makerQuotes[ticker] = quote
        for level in 0..<Int64(mm.levels) {
            let bid = quote.bidCents - level, ask = quote.askCents + level
            if bid >= 1, bid <= 99 { quoteOne(ticker, .bid, bid) }
            if ask >= 1, ask <= 99 { quoteOne(ticker, .ask, ask) }
        }
        makerDirty.remove(ticker)
    }

    private mutating func quoteOne(_ ticker: String, _ side: BookSide, _ cents: Int64) {
        let r = OrderRequest(ticker: ticker, side: side, count: config.marketMaker.sizePerLevel, price: Dollars(cents: cents),
                             timeInForce: .goodTillCanceled, selfTradePrevention: .maker)
        _ = try? place(r, user: config.marketMaker.userID)
    }
}
