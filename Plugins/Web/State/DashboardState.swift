import BusWire
import Foundation
import MarketWire
import Money
import TradingWire

/// One message as the dashboard keeps it: the envelope's parts with `data` still raw JSON.
public struct StoredMessage: Sendable, Hashable {
    /// The topic, type and publisher.
    public var topic: String, type: String, src: String
    /// When it was published and when this plugin received it.
    public var ts: BusTime, received: BusTime
    /// The `data` object, UTF-8 JSON.
    public var data: [UInt8]

    /// Decodes `data`.
    public func decode<M: Decodable>(_ type: M.Type) -> M? { try? JSONDecoder().decode(M.self, from: Data(data)) }
}

/// What the dashboard knows: the latest value of each state topic, recent events, and counters. Pure: a value fed one
/// envelope at a time with the time it arrived.
public struct DashboardState: Sendable {
    /// What an envelope changed.
    public enum Change: Sendable, Hashable {
        /// A state topic has a new latest value.
        case state(String)
        /// An event worth showing arrived.
        case event(String)
        /// Nothing to show (unknown topic, malformed or a reply).
        case none
    }

    /// The latest value of every state topic, by topic.
    public private(set) var latest: [String: StoredMessage] = [:]
    /// Recent events, newest last, by kind: `alert`, `fill`, `settlement`, `order`, `trade`, `venue-order`.
    public private(set) var recent: [String: [StoredMessage]] = [:]
    /// Order events seen, by outcome.
    public private(set) var orderOutcomes: [String: UInt64] = [:]
    /// Venue fills seen, and their contracts.
    public private(set) var fills: UInt64 = 0, filledContracts = Contracts.zero
    /// Messages that did not decode as their topic's type.
    public private(set) var malformed: UInt64 = 0
    /// The last hour of BTC prices, one a second.
    public private(set) var prices = PriceHistory()
    /// The broker statistics before the latest, for rates.
    public private(set) var previousBrokerStats: StoredMessage?
    /// How many events of each kind are kept.
    public let recentLimit: Int
    /// Venue fills, orders and settlements already taken, by identity (oldest first, at most ``seenLimit``):
    /// account-sync republishes them for receivers that may have missed them, and a repeat is neither counted nor
    /// listed twice.
    private var seenVenue: Set<String> = [], seenVenueOrder: [String] = []
    /// How many venue identities are remembered.
    public static let seenLimit = 10_000
    /// The strike tables each `model.strikes.<event>` topic held before its latest, newest last: the page may show a
    /// row a moment after the model's next table dropped it (the table follows the price, its edge strikes come and
    /// go), and a click on that row must still find it. Kept for ``shownTableSeconds`` before the latest, at most
    /// ``shownTableLimit``.
    private var earlierTables: [String: [StoredMessage]] = [:]
    /// How long an earlier strike table stays usable for a click, before its topic's latest table arrived.
    public static let shownTableSeconds = 30.0
    /// How many earlier tables are kept per event.
    public static let shownTableLimit = 50

    /// An empty state.
    public init(recentLimit: Int = 200) { self.recentLimit = recentLimit }

    /// Takes one envelope received at `now`.
    public mutating func apply(_ e: Envelope, now: BusTime) -> Change {
        let m = StoredMessage(topic: e.topic, type: e.type, src: e.src, ts: e.ts, received: now, data: e.data)
        if TopicFilter.state.contains(where: { $0.matches(e.topic) }) {
            guard let ok = Self.typeCheck(m) else { return .none }  // no type known: never shown
            guard ok else { malformed += 1; return .none }
            if m.topic == Topic.btcTick.rawValue, let tick = m.decode(BTCTick.self) {
                prices.add(seconds: now.microseconds / 1_000_000, price: tick.price)
            }
            if m.topic == Topic.brokerStats.rawValue { previousBrokerStats = latest[m.topic] }
            if m.topic.hasPrefix("model.") { pruneOldEvents(keeping: m) }
            if m.topic.hasPrefix("model.strikes."), let previous = latest[m.topic] { keepEarlier(previous, before: m) }
            latest[m.topic] = m
            return .state(m.topic)
        }
        guard let kind = Self.eventKind(e.topic) else { return .none }
        if let identity = Self.venueIdentity(kind, m) {
            guard seenVenue.insert(identity).inserted else { return .none }
            seenVenueOrder.append(identity)
            if seenVenueOrder.count > Self.seenLimit { seenVenue.remove(seenVenueOrder.removeFirst()) }
        }
        switch kind {
        case "order":
            guard let event = m.decode(OrderEvent.self) else { malformed += 1; return .none }
            if !event.replayed { orderOutcomes[event.outcome.rawValue, default: 0] += 1 }
        case "fill":
            guard let fill = m.decode(VenueFill.self) else { malformed += 1; return .none }
            fills += 1; filledContracts = filledContracts + fill.count
        case "trade":
            guard m.decode(TradeUpdate.self) != nil else { malformed += 1; return .none }
        case "alert":
            guard m.decode(Alert.self) != nil else { malformed += 1; return .none }
        case "settlement":
            guard m.decode(VenueSettlement.self) != nil else { malformed += 1; return .none }
        case "venue-order":
            guard m.decode(VenueOrderUpdate.self) != nil else { malformed += 1; return .none }
        default:
            break
        }
        var list = recent[kind, default: []]
        list.append(m)
        if list.count > recentLimit { list.removeFirst(list.count - recentLimit) }
        recent[kind] = list
        return .event(m.topic)
    }

    /// What makes a venue event the same one again: a fill's id, an order's id with its status and fill count, a
    /// settlement's market and time. Nil for other events.
    static func venueIdentity(_ kind: String, _ m: StoredMessage) -> String? {
        switch kind {
        case "fill": m.decode(VenueFill.self).map { "fill|" + $0.fillID }
        case "venue-order": m.decode(VenueOrderUpdate.self).map { "order|\($0.orderID)|\($0.status)|\($0.filledCount)" }
        case "settlement": m.decode(VenueSettlement.self).map { "settlement|\($0.ticker)|\($0.settledTs)" }
        default: nil
        }
    }

    /// The kind of event a topic carries, nil for topics the dashboard ignores.
    static func eventKind(_ topic: String) -> String? {
        if topic.hasPrefix("sys.alert.") { return "alert" }
        if topic.hasPrefix("order.event.") { return "order" }
        if topic == Topic.tradeUpdate.rawValue { return "trade" }
        if topic == Topic.venueFill.rawValue { return "fill" }
        if topic == Topic.venueSettlement.rawValue { return "settlement" }
        if topic == Topic.venueOrder.rawValue { return "venue-order" }
        return nil
    }

    /// Whether a state message decodes as its topic's type; nil for a state topic the dashboard has no type for
    /// (never stored, so the page sees only values checked against their type).
    static func typeCheck(_ m: StoredMessage) -> Bool? {
        let t = m.topic
        if t == Topic.btcTick.rawValue { return m.decode(BTCTick.self) != nil }
        if t == Topic.btcMomentum.rawValue { return m.decode(BTCMomentum.self) != nil }
        if t.hasPrefix("model.strikes.") { return m.decode(StrikeTable.self) != nil }
        if t.hasPrefix("model.watchlist.") { return m.decode(Watchlist.self) != nil }
        if t == Topic.openTrades.rawValue { return m.decode(OpenTrades.self) != nil }
        if t == Topic.supervisedTrades.rawValue { return m.decode(SupervisedTrades.self) != nil }
        if t == Topic.reconciliation.rawValue { return m.decode(ReconciliationReport.self) != nil }
        if t == Topic.tradeStats.rawValue { return m.decode(TradeStatistics.self) != nil }
        if t == Topic.accountBalance.rawValue { return m.decode(AccountBalance.self) != nil }
        if t == Topic.accountPositions.rawValue { return m.decode(AccountPositions.self) != nil }
        if t.hasPrefix("sys.heartbeat.") { return m.decode(Heartbeat.self) != nil }
        if t.hasPrefix("sys.launcher.") { return m.decode(LauncherStatus.self) != nil }
        if t == Topic.brokerStats.rawValue { return m.decode(BrokerStats.self) != nil }
        if t == Topic.tradingState.rawValue { return m.decode(TradingStatus.self) != nil }
        if t.hasPrefix("settings.") { return m.decode(RuntimeSettings.self) != nil }
        return nil
    }

    /// Drops tables and watchlists of events that closed more than an hour before the one just received.
    private mutating func pruneOldEvents(keeping m: StoredMessage) {
        guard let close = m.decode(CloseOnly.self)?.closeTs else { return }
        for (topic, old) in latest where topic.hasPrefix("model.") && topic != m.topic {
            if let c = old.decode(CloseOnly.self)?.closeTs, c < close - 3_600 {
                latest[topic] = nil
                earlierTables[topic] = nil
            }
        }
    }

    private struct CloseOnly: Decodable {
        var closeTs: Int64
        enum CodingKeys: String, CodingKey { case closeTs = "close_ts" }
    }

    // MARK: - Reading

    /// The latest typed value of `topic`.
    public func value<M: BusMessage>(_ topic: Topic, as type: M.Type) -> M? { latest[topic.rawValue]?.decode(type) }

    /// Every latest message whose topic starts with `prefix`, by topic.
    public func all(prefix: String) -> [StoredMessage] {
        latest.filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }.map(\.value)
    }

    /// Strike tables by close time, earliest first.
    public var strikeTables: [StrikeTable] {
        all(prefix: "model.strikes.").compactMap { $0.decode(StrikeTable.self) }.sorted { $0.closeTs < $1.closeTs }
    }

    /// The table of the event that closes next (the earliest not yet closed at `now`), else the latest one.
    public func currentStrikeTable(now: BusTime) -> StrikeTable? {
        let tables = strikeTables
        return tables.first { $0.closeTs * 1_000_000 > now.microseconds } ?? tables.last
    }

    /// The watchlist of `event`.
    public func watchlist(event: String) -> Watchlist? { value(.watchlist(event: event), as: Watchlist.self) }

    /// The row of `ticker` in any latest strike table, with its table; else in the newest earlier table that had it
    /// (see ``shownTableSeconds``).
    public func row(ticker: String) -> (StrikeTable, StrikeRow)? {
        for t in strikeTables.reversed() { if let r = t.rows.first(where: { $0.ticker == ticker }) { return (t, r) } }
        for m in earlierTables.values.flatMap({ $0 }).sorted(by: { $0.received > $1.received }) {
            if let t = m.decode(StrikeTable.self), let r = t.rows.first(where: { $0.ticker == ticker }) { return (t, r) }
        }
        return nil
    }

    private mutating func keepEarlier(_ previous: StoredMessage, before m: StoredMessage) {
        var kept = earlierTables[m.topic, default: []]
        kept.append(previous)
        let since = m.received.adding(seconds: -Self.shownTableSeconds)
        kept.removeAll { $0.received < since }
        if kept.count > Self.shownTableLimit { kept.removeFirst(kept.count - Self.shownTableLimit) }
        earlierTables[m.topic] = kept
    }

    /// The trade manager's open trades.
    public var openTrades: [TradeRecord] { value(.openTrades, as: OpenTrades.self)?.trades ?? [] }

    /// Recent events of `kind`, newest last.
    public func events(_ kind: String) -> [StoredMessage] { recent[kind] ?? [] }
}

/// BTC prices at one-second resolution over the last `window` seconds.
public struct PriceHistory: Sendable, Hashable {
    /// (Unix seconds, price), oldest first.
    public private(set) var points: [(Int64, Dollars)] = []
    /// Seconds kept.
    public var window: Int64 = 3_600

    /// An empty history.
    public init() {}

    /// Adds a price; a second price in the same second replaces the first.
    public mutating func add(seconds: Int64, price: Dollars) {
        if let last = points.last, last.0 >= seconds { points[points.count - 1] = (max(last.0, seconds), price) } else {
            points.append((seconds, price))
        }
        let cutoff = seconds - window
        if let first = points.first, first.0 < cutoff { points.removeAll { $0.0 < cutoff } }
    }

    /// Equal windows and points.
    public static func == (a: PriceHistory, b: PriceHistory) -> Bool {
        a.window == b.window && a.points.elementsEqual(b.points) { $0.0 == $1.0 && $0.1 == $1.1 }
    }
    /// Hashes the window and the number of points.
    public func hash(into h: inout Hasher) { h.combine(points.count); h.combine(window) }
}
