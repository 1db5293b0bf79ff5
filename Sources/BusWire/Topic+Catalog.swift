/// The catalogue: the only place topics are built. Domain first, then identifiers, then the kind.
extension Topic {
    /// `sys.heartbeat.<plugin>`: each plugin's health, about once a second (state).
    public static func heartbeat(plugin: String) -> Topic { Topic("sys", "heartbeat", plugin) }
    /// `sys.broker.stats`: the broker's traffic statistics every few seconds (state).
    public static let brokerStats = Topic("sys", "broker", "stats")
    /// `sys.launcher.<host>.status`: the launcher's table of plugins on one host (state).
    public static func launcherStatus(host: String) -> Topic { Topic("sys", "launcher", host, "status") }
    /// `sys.alert.<source>`: something a person should look at (event).
    public static func alert(source: String) -> Topic { Topic("sys", "alert", source) }
    /// `sys.ping.<target>`: a round-trip probe addressed to a ponger (event).
    public static func ping(target: String) -> Topic { Topic("sys", "ping", target) }
    /// `sys.pong.<requester>`: the answer to a ping, addressed to whoever asked (event).
    public static func pong(requester: String) -> Topic { Topic("sys", "pong", requester) }

    /// `price.btc.tick`: the latest BTC spot trade from the price feed, prices as decimal strings (state).
    public static let btcTick = Topic("price", "btc", "tick")
    /// `price.btc.momentum`: REC.IO's weighted 1/2/3/4/15/30-minute BTC momentum, updated with each tick (state).
    public static let btcMomentum = Topic("price", "btc", "momentum")

    /// `market.series.<series>`: the events the market feed follows now, current hour first (state).
    public static func marketSeries(_ series: String) -> Topic { Topic("market", "series", series) }
    /// `market.event.<event_ticker>`: one followed event: close time, strike spacing, markets (state).
    public static func marketEvent(_ eventTicker: String) -> Topic { Topic("market", "event", eventTicker) }
    /// `market.book.<market_ticker>`: one market's top of book, whenever it changes and is valid (state).
    public static func marketBook(_ marketTicker: String) -> Topic { Topic("market", "book", marketTicker) }
    /// `market.lifecycle.<market_ticker>`: a market's lifecycle transition. Published as an event; the broker keeps
    /// the last one of each market because `market.` is a state prefix.
    public static func marketLifecycle(_ marketTicker: String) -> Topic { Topic("market", "lifecycle", marketTicker) }

    /// `model.strikes.<event_ticker>`: the model's strike table of one open event, every tick (state).
    public static func strikeTable(event eventTicker: String) -> Topic { Topic("model", "strikes", eventTicker) }
    /// `model.watchlist.<event_ticker>`: the strike-table rows that pass the watchlist filters (state).
    public static func watchlist(event eventTicker: String) -> Topic { Topic("model", "watchlist", eventTicker) }

    /// `order.intent.<source>`: an order intent from `source` (auto-entry, trade-supervisor, web, cli), repeated
    /// under the same idempotency key until the executor answers (event).
    public static func orderIntent(source: String) -> Topic { Topic("order", "intent", source) }
    /// `order.event.<source>`: the executor's answer to an intent of `source`: accepted, rejected, filled... (event).
    public static func orderEvent(source: String) -> Topic { Topic("order", "event", source) }

    /// `sys.control.trading`: halt, reduce or resume trading, from the user or the failure detector (event).
    public static let tradingCommand = Topic("sys", "control", "trading")
    /// `sys.control.state.trading`: the executor's trading state, ACTIVE / REDUCING / HALTED, and why (state).
    public static let tradingState = Topic("sys", "control", "state", "trading")

    /// `settings.<plugin>`: a plugin's current runtime settings, as it applies them (state).
    public static func settings(plugin: String) -> Topic { Topic("settings", plugin) }
    /// `cmd.settings.<plugin>`: a request to change some of a plugin's runtime settings (event).
    public static func settingsChange(plugin: String) -> Topic { Topic("cmd", "settings", plugin) }
    /// `cmd.trades.expire`: run the trade manager's expiration check now (event).
    public static let expireTradesNow = Topic("cmd", "trades", "expire")

    /// `cmd.trades.query`: ask the trade manager for finished and open trades matching a filter (event).
    public static let tradeQuery = Topic("cmd", "trades", "query")
    /// `trade.reply.<requester>`: the trade manager's answer to `requester`'s query (event).
    public static func tradeQueryReply(requester: String) -> Topic { Topic("trade", "reply", requester) }
    /// `cmd.account.query`: ask account-sync for a page of stored fills or settlements, newest first (event).
    public static let accountQuery = Topic("cmd", "account", "query")
    /// `account.reply.<requester>`: account-sync's answer to `requester`'s account query (under the state prefix
    /// `account.`, so the broker keeps only the latest answer of each requester).
    public static func accountQueryReply(requester: String) -> Topic { Topic("account", "reply", requester) }
    /// `trade.state.open`: every trade not yet final (pending, open, closing, expired), from the trade manager (state).
    public static let openTrades = Topic("trade", "state", "open")
    /// `trade.update`: one trade after a lifecycle transition (event).
    public static let tradeUpdate = Topic("trade", "update")
    /// `trade.state.supervised`: the trade supervisor's live view of each open trade: P(win), close price, PnL (state).
    public static let supervisedTrades = Topic("trade", "state", "supervised")
    /// `trade.stats.summary`: win rate and PnL overall, by day, hour of day and strategy (state).
    public static let tradeStats = Topic("trade", "stats", "summary")

    /// `account.balance`: the venue balance and portfolio value (state).
    public static let accountBalance = Topic("account", "balance")
    /// `account.positions`: every non-zero venue position (state).
    public static let accountPositions = Topic("account", "positions")
    /// `account.reconciliation`: the latest comparison of trades with venue positions (state).
    public static let reconciliation = Topic("account", "reconciliation")
    /// `venue.fill`: a venue fill seen for the first time (event).
    public static let venueFill = Topic("venue", "fill")
    /// `venue.settlement`: a venue settlement seen for the first time (event).
    public static let venueSettlement = Topic("venue", "settlement")
    /// `venue.order`: a venue order created or changed (event).
    public static let venueOrder = Topic("venue", "order")
}

extension TopicFilter {
    /// Every heartbeat.
    public static let heartbeats = TopicFilter(unchecked: "sys.heartbeat.")
    /// Every alert.
    public static let alerts = TopicFilter(unchecked: "sys.alert.")
    /// Pings addressed to `target`.
    public static func pings(target: String) -> TopicFilter { TopicFilter(.ping(target: target)) }
    /// Pongs addressed to `requester`.
    public static func pongs(requester: String) -> TopicFilter { TopicFilter(.pong(requester: requester)) }
    /// Everything the price feed publishes about BTC: ticks and momentum.
    public static let btcPrice = TopicFilter(unchecked: "price.btc.")
    /// Every followed event's summary (`market.event.`).
    public static let marketEvents = TopicFilter(unchecked: "market.event.")
    /// Every market's top of book (`market.book.`).
    public static let marketBooks = TopicFilter(unchecked: "market.book.")
    /// Every market lifecycle transition (`market.lifecycle.`).
    public static let marketLifecycles = TopicFilter(unchecked: "market.lifecycle.")
    /// Everything the market feed publishes (`market.`).
    public static let market = TopicFilter(unchecked: "market.")
    /// Every strike table (`model.strikes.`).
    public static let strikeTables = TopicFilter(unchecked: "model.strikes.")
    /// Every watchlist (`model.watchlist.`).
    public static let watchlists = TopicFilter(unchecked: "model.watchlist.")
    /// Every order intent, whoever sent it (`order.intent.`).
    public static let orderIntents = TopicFilter(unchecked: "order.intent.")
    /// Every executor answer (`order.event.`).
    public static let orderEvents = TopicFilter(unchecked: "order.event.")
    /// The executor's answers to `source`'s intents.
    public static func orderEvents(source: String) -> TopicFilter { TopicFilter(.orderEvent(source: source)) }
    /// Venue fills, settlements and order changes (`venue.`).
    public static let venue = TopicFilter(unchecked: "venue.")
    /// Every account state topic (`account.`).
    public static let account = TopicFilter(unchecked: "account.")
    /// Every launcher status.
    public static let launcherStatuses = TopicFilter(unchecked: "sys.launcher.")

    /// State topics: the broker keeps the last message of each and hands it to every new subscriber, so late
    /// joiners are never blind. Events (orders, fills, alerts, pings) are not replayed.
    public static let state: [TopicFilter] = [
        "price.", "market.", "model.", "account.", "position.", "settings.", "trade.state.", "trade.stats.",
        "sys.heartbeat.", "sys.health.", "sys.broker.", "sys.launcher.", "sys.control.state.",
    ].map(TopicFilter.init(unchecked:))
}

extension Topic {
    /// `sys.health.summary`: the failure detector's verdict on every plugin and on the data feeds (state).
    public static let fleetHealth = Topic("sys", "health", "summary")
}
