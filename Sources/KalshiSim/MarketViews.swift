import Money
import SimExchange

/// Kalshi's JSON shapes for series, events, markets and books.
enum MarketViews {
    static let sources: JSON = .array([.object([("name", .string("CF Benchmarks")), ("url", .string("https://www.cfbenchmarks.com/data/indices/BRTI"))])])

    static func series(_ ticker: String, shard: Int) -> JSON {
        .object([
            ("ticker", .string(ticker)), ("frequency", .string("hourly")), ("title", .string("Bitcoin price Above/below")),
            ("category", .string("Crypto")), ("categories", .array([.string("Crypto")])), ("tags", .array([.string("BTC")])),
            ("settlement_sources", sources), ("contract_url", .string("https://kalshi-public-docs.s3.amazonaws.com/contract_terms/BTC.pdf")),
            ("contract_terms_url", .string("https://kalshi-public-docs.s3.amazonaws.com/contract_terms/BTC.pdf")),
            ("product_metadata", .null), ("fee_type", .string("quadratic")), ("fee_multiplier", .int(1)),
            ("additional_prohibitions", .array([])), ("exchange_index", .int(Int64(shard))),
        ])
    }

    static func event(_ e: SimEvent, markets: [JSON]?, shard: Int) -> JSON {
        var fields: [(String, JSON)] = [
            ("event_ticker", .string(e.eventTicker)), ("series_ticker", .string(e.seriesTicker)), ("sub_title", .string(e.subTitle)),
            ("title", .string(e.title)), ("collateral_return_type", .string("DIRECNET")), ("mutually_exclusive", .bool(false)),
            ("category", .string("Crypto")), ("strike_date", .time(e.closeMs)), ("strike_period", .string("")),
            ("available_on_brokers", .bool(false)), ("product_metadata", .null), ("settlement_sources", sources),
            ("last_updated_ts", .time(e.createdMs)), ("exchange_index", .int(Int64(shard))),
        ]
        if let markets { fields.append(("markets", .array(markets))) }
        return .object(fields)
    }

    /// The status Kalshi's REST API shows; `closed` stays `closed` until determined.
    static func market(_ m: SimMarket, _ ex: Exchange) -> JSON {
        let top = ex.topOfBook(m.ticker)
        let yesBid = top.bid?.price ?? .zero, yesAsk = top.ask?.price ?? oneDollar
        let result: String = m.status == .determined || m.status == .finalized ? (m.result?.rawValue ?? "") : ""
        return .object([
            ("ticker", .string(m.ticker)), ("event_ticker", .string(m.eventTicker)), ("market_type", .string("binary")),
            ("title", .string(m.title)), ("subtitle", .string(m.yesSubTitle)),
            ("yes_sub_title", .string(m.yesSubTitle)), ("no_sub_title", .string(m.yesSubTitle)),
            ("created_time", .time(m.createdMs)), ("updated_time", .time(m.updatedMs)), ("open_time", .time(m.openMs)),
            ("close_time", .time(m.closeMs)), ("expected_expiration_time", .time(m.closeMs + 300_000)),
            ("expiration_time", .time(m.closeMs + 7 * 86_400_000)), ("latest_expiration_time", .time(m.closeMs + 7 * 86_400_000)),
            ("settlement_timer_seconds", .int(ex.config.settlementTimerSeconds)), ("status", .string(m.status.rawValue)),
            ("yes_bid_dollars", .dollars(yesBid)), ("yes_bid_size_fp", .count(top.bid?.count ?? .zero)),
            ("yes_ask_dollars", .dollars(yesAsk)), ("yes_ask_size_fp", .count(top.ask?.count ?? .zero)),
            ("no_bid_dollars", .dollars(oneDollar - yesAsk)), ("no_ask_dollars", .dollars(oneDollar - yesBid)),
            ("last_price_dollars", .dollars(m.lastPrice)), ("volume_fp", .count(m.volume)), ("volume_24h_fp", .count(m.volume)),
            ("result", .string(result)), ("can_close_early", .bool(false)), ("open_interest_fp", .count(m.openInterest)),
            ("notional_value_dollars", .string("1.0000")), ("previous_yes_bid_dollars", .dollars(.zero)),
            ("previous_yes_ask_dollars", .dollars(.zero)), ("previous_price_dollars", .dollars(m.previousPrice)),
            ("liquidity_dollars", .string("0.0000")),
            ("settlement_value_dollars", m.result.map { .dollars($0 == .yes ? oneDollar : .zero) } ?? .null),
            ("settlement_ts", m.settledMs.map { .time($0) } ?? .null), ("settlement_bounds_type", .string("default")),
            ("expiration_value", .string(m.expirationValue.map { $0.formatted(decimals: 2) } ?? "")),
            ("strike_type", .string("greater")), ("floor_strike", .raw(m.floorStrike.formatted(decimals: 2))),
            ("rules_primary", .string(m.rulesPrimary)),
            ("rules_secondary", .string("The 60 one-second BRTI values before expiration are averaged; that average is the final value.")),
            ("price_level_structure", .string("linear_cent")),
            ("price_ranges", .array([.object([("start", .string("0.0000")), ("end", .string("1.0000")), ("step", .string("0.0100"))])])),
            ("exchange_index", .int(Int64(ex.config.exchangeIndex))),
        ])
    }

    static func levels(_ levels: [PriceLevel], depth: Int) -> JSON {
        let kept = depth > 0 ? Array(levels.suffix(depth)) : levels
        return .array(kept.map { .array([.dollars($0.price), .count($0.count)]) })
    }

    /// REST `orderbook_fp`: YES bids and NO bids, ascending, best last.
    static func orderbook(_ book: BookView, depth: Int) -> JSON {
        .object([("yes_dollars", levels(book.yes, depth: depth)), ("no_dollars", levels(book.no, depth: depth))])
    }
}
