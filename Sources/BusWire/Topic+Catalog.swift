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
    /// Every launcher status.
    public static let launcherStatuses = TopicFilter(unchecked: "sys.launcher.")

    /// State topics: the broker keeps the last message of each and hands it to every new subscriber, so late
    /// joiners are never blind. Events (orders, fills, alerts, pings) are not replayed.
    public static let state: [TopicFilter] = [
        "price.", "market.", "model.", "account.", "position.", "settings.", "trade.state.", "trade.stats.",
        "sys.heartbeat.", "sys.health.", "sys.broker.", "sys.launcher.", "sys.control.state.",
    ].map(TopicFilter.init(unchecked:))
}
