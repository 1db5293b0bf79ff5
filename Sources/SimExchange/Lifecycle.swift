import Money

extension Exchange {
    /// Moves the exchange to `ms`: lists upcoming hourly events, opens and closes markets, cancels expired and
    /// closed orders, determines results on the 60-second index average, settles, and refreshes maker quotes.
    public mutating func advance(to ms: Millis) {
        setNow(ms)
        listEvents()
        for ticker in liveMarkets { step(ticker) }
        liveMarkets.removeAll { markets[$0]?.status == .finalized }
        expireOrders()
        if config.marketMaker.enabled { refreshMakerQuotes() }
    }

    /// The close of the hourly event trading at `ms` (the next top of the hour after it).
    static func nextClose(after ms: Millis) -> Millis { (ms / 3_600_000 + 1) * 3_600_000 }

    private mutating func listEvents() {
        var close = Exchange.nextClose(after: now)
        while close - 3_600_000 - config.listingLeadSeconds * 1000 <= now {
            let suffix = SimCalendar.eventSuffix(closeSecond: close / 1000)
            let ticker = "\(config.seriesTicker)-\(suffix)"
            if events[ticker] == nil { list(eventTicker: ticker, closeMs: close) }
            close += 3_600_000
        }
    }

    private mutating func list(eventTicker: String, closeMs: Millis) {
        let spotSecond = now / 1000
        let spot = index.index(atSecond: spotSecond) ?? Dollars(cents: 10_000_000)
        let step = config.strikeStep.micros
        let center = (spot.micros + step / 2) / step * step
        let (hour, date) = SimCalendar.easternWords(closeSecond: closeMs / 1000)
        var tickers: [String] = []
        for k in -config.strikesEachSide...config.strikesEachSide {
            let level = center + Int64(k) * step
            guard level > step else { continue }
            let floor = Dollars(micros: level - 10_000)
            let ticker = "\(eventTicker)-T\(floor.formatted(decimals: 2))"
            let whole = Dollars(micros: level).formatted(decimals: 2)
            let rules = "If the simple average of the sixty seconds of CF Benchmarks' Bitcoin Real-Time Index (BRTI) before \(hour) "
                + "is above \(floor.formatted(decimals: 2)) at \(hour) on \(date), then the market resolves to Yes."
            markets[ticker] = SimMarket(
                ticker: ticker, eventTicker: eventTicker, floorStrike: floor, openMs: closeMs - 3_600_000, closeMs: closeMs,
                createdMs: now, updatedMs: now, yesSubTitle: "$\(grouped(whole)) or above",
                title: "Bitcoin price on \(date) at \(hour)?", rulesPrimary: rules)
            books[ticker] = OrderBook()
            marketOrder.append(ticker)
            liveMarkets.append(ticker)
            tickers.append(ticker)
            outbox.append(.lifecycle(LifecycleEvent(kind: .created, ticker: ticker, eventTicker: eventTicker, ms: now)))
        }
        events[eventTicker] = SimEvent(
            eventTicker: eventTicker, seriesTicker: config.seriesTicker, title: "Bitcoin price on \(date) at \(hour)?",
            subTitle: "\(date) at \(hour)", openMs: closeMs - 3_600_000, closeMs: closeMs, createdMs: now, marketTickers: tickers)
        eventOrder.append(eventTicker)
    }

    /// "$78,000.00" style grouping of a plain decimal string.
    private func grouped(_ plain: String) -> String {
        let parts = plain.split(separator: ".", maxSplits: 1)
        var digits = Array(parts[0]), out: [Character] = []
        while digits.count > 3 { out = [","] + digits.suffix(3) + out; digits.removeLast(3) }
        return String(digits + out) + (parts.count > 1 ? "." + parts[1] : "")
    }

    private mutating func step(_ ticker: String) {
        guard var m = markets[ticker] else { return }
        if m.status == .initialized, now >= m.openMs, now < m.closeMs {
            m.status = .active
            m.updatedMs = now
            markets[ticker] = m
            makerDirty.insert(ticker)
        }
        if m.status == .initialized || m.status == .active, now >= m.closeMs {
            m.status = .closed
            m.updatedMs = now
            markets[ticker] = m
            cancelAll(ticker)
        }
        if m.status == .closed, let average = settlementAverage(closeMs: m.closeMs) {
            m.status = .determined
            m.expirationValue = average
            m.result = average > m.floorStrike ? .yes : .no
            m.determinedMs = now
            m.updatedMs = now
            markets[ticker] = m
            outbox.append(.lifecycle(LifecycleEvent(kind: .determined, ticker: ticker, eventTicker: m.eventTicker, ms: now)))
        }
        if m.status == .determined, let d = m.determinedMs, now >= d + config.settlementTimerSeconds * 1000 {
            settle(ticker)
        }
    }

    /// The simple average of the 60 one-second index values in [close − 60 s, close), or nil while any is missing.
    public func settlementAverage(closeMs: Millis) -> Dollars? {
        let close = closeMs / 1000
        var sum: Int64 = 0
        for s in (close - 60)..<close {
            guard let v = index.index(atSecond: s) else { return nil }
            sum += v.micros
        }
        return Dollars(micros: sum / 60)
    }

    /// Cancels every resting order of a market (at close).
    private mutating func cancelAll(_ ticker: String) {
        guard var book = books[ticker] else { return }
        for side in [BookSide.bid, .ask] {
            for price in book.prices(side) {
                for e in book.entries(side, at: price) {
                    book.update(side, price: price, orderID: e.orderID, remaining: .zero)
                    cancelResting(e.orderID, bookDelta: -e.remaining)
                }
            }
        }
        books[ticker] = book
        makerQuotes[ticker] = nil
        makerDirty.remove(ticker)
    }

    /// Pays every holder of a determined market and moves their position into their settlements.
    private mutating func settle(_ ticker: String) {
        guard var m = markets[ticker], let result = m.result else { return }
        for user in accounts.keys.sorted() {
            guard var acct = accounts[user], let pos = acct.positions[ticker] else { continue }
            let yes = max(.zero, pos.position), no = max(.zero, -pos.position)
            let revenue = oneDollar * (result == .yes ? yes : no)
            acct.cash = acct.cash + revenue
            acct.positions[ticker] = nil
            acct.updatedMs = now
            if !isMaker(user) {
                acct.settlements.append(SimSettlement(
                    ticker: ticker, eventTicker: m.eventTicker, result: result, yesCount: yes, yesCost: yes > .zero ? pos.cost : .zero,
                    noCount: no, noCost: no > .zero ? pos.cost : .zero, revenue: revenue, settledMs: now, fees: pos.feesPaid))
            }
            accounts[user] = acct
            outbox.append(.position(userID: user, ticker: ticker))
        }
        m.status = .finalized
        m.settledMs = now
        m.updatedMs = now
        m.openInterest = .zero
        markets[ticker] = m
        outbox.append(.lifecycle(LifecycleEvent(kind: .settled, ticker: ticker, eventTicker: m.eventTicker, ms: now)))
    }

    /// Cancels good-till-canceled orders whose expiration time has passed.
    private mutating func expireOrders() {
        let due = expiring.compactMap { orders[$0] }.filter { $0.status == .resting && ($0.expirationSecond.map { $0 * 1000 <= now } ?? false) }
        for order in due.sorted(by: { $0.sequence < $1.sequence }) {
            guard var book = books[order.ticker] else { continue }
            book.update(order.side, price: order.price, orderID: order.orderID, remaining: .zero)
            books[order.ticker] = book
            cancelResting(order.orderID, bookDelta: -order.remainingCount)
        }
    }
}
