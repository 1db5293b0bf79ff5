import BusWire
import Money
import TradingWire

/// Auto-entry's decisions as a pure state machine: fed what the bus says, with the clock passed in, it returns the
/// intents to publish. Nothing here reads the time or does I/O.
public struct EntryDecider: Sendable {
    /// The rules in force; the shell replaces them on a runtime change.
    public var settings: AutoEntrySettings
    /// The plugin name, the intents' `source`.
    public let source: String

    /// Every trade not final, once `trade.state.open` was seen (nil before: no entries).
    public private(set) var openTrades: [TradeRecord]?
    /// Trades entered in the hour before start, from the trade store (``recent(_:)``).
    public private(set) var recentTrades: [TradeRecord] = []
    /// Whether the trade store has answered.
    public private(set) var recentLoaded = false
    /// The venue balance, once seen.
    public private(set) var balance: Dollars?
    /// The executor's trading mode, once seen.
    public private(set) var tradingMode: TradingMode?
    /// The last momentum × 100.
    public private(set) var momentum: Int?
    /// The spike pause.
    public internal(set) var spike = SpikeAlert()
    /// When each `ticker|side` was last evaluated.
    var evaluated: [String: BusTime] = [:]
    /// Entries made by this process, by key.
    var made: [String: MadeEntry] = [:]
    /// `event|ticker|side` of every trade seen in `trade.state.open`.
    var tradedInEvent: Set<String> = []
    /// The last TTC seen per event, to say whether anything is being scanned.
    var lastTTC: [String: Int64] = [:]

    /// A decider with `settings`.
    public init(settings: AutoEntrySettings, source: String = "auto-entry") {
        self.settings = settings; self.source = source
    }

    /// `trade.state.open`.
    public mutating func openTrades(_ message: OpenTrades) {
        openTrades = message.trades
        let ids = Set(message.trades.map(\.id))
        for t in message.trades { tradedInEvent.insert("\(t.eventTicker)|\(t.ticker)|\(t.side.rawValue)") }
        for key in made.keys where ids.contains(key) { made[key]!.seenOpen = true }
    }

    /// The trade manager's answer for the last hour: every trade entered then (manual ones too, and ours from before a
    /// restart), counted by the event and hour caps.
    public mutating func recent(_ trades: [TradeRecord]) {
        recentTrades = trades
        recentLoaded = true
    }

    /// `account.balance`.
    public mutating func balance(_ message: AccountBalance) { balance = message.balance }

    /// `sys.control.state.trading`.
    public mutating func tradingStatus(_ message: TradingStatus) { tradingMode = message.mode }

    /// `price.btc.momentum` (score × 100).
    public mutating func momentum(_ scoreX100: Int?, now: BusTime) {
        if let m = scoreX100 { momentum = m }
        spike.observe(scoreX100, now: now, settings: settings)
    }

    /// `order.event.auto-entry`: the executor answered one of our keys.
    public mutating func answer(_ event: OrderEvent) {
        guard var entry = made[event.key] else { return }
        switch event.outcome {
        case .filled, .partiallyFilled:
            entry.state = .bought
            if event.filledCount > .zero { entry.cost = (event.averagePrice ?? entry.intent.limitPrice) * event.filledCount }
        case .accepted, .error:
            entry.state = .bought  // may still fill: counted in full
        case .cancelled, .rejected:
            if event.filledCount > .zero {
                entry.state = .bought
                entry.cost = (event.averagePrice ?? entry.intent.limitPrice) * event.filledCount
            } else {
                entry.state = .nothing
                entry.cost = .zero
            }
        }
        made[event.key] = entry
    }

    /// The settings were replaced at runtime.
    public mutating func apply(_ new: AutoEntrySettings, now: BusTime) {
        settings = new
        spike.update(now: now, settings: new)
        if !new.spikeAlertEnabled { spike.observe(nil, now: now, settings: new) }
    }

    /// Every `repeat_interval`: repeats unanswered intents (same key), gives up those past `expires_ts`, clears the
    /// spike pause when due, and forgets old state.
    public mutating func tick(now: BusTime) -> [OrderIntent] {
        spike.update(now: now, settings: settings)
        var repeats: [OrderIntent] = []
        let unix = now.microseconds / 1_000_000
        for key in made.keys.sorted() {
            guard case .pending(let next) = made[key]!.state else { continue }
            if let expires = made[key]!.intent.expiresTs, unix >= expires {
                made[key]!.state = .gaveUp
            } else if now >= next {
                repeats.append(made[key]!.intent)
                made[key]!.state = .pending(nextRepeat: now.adding(seconds: settings.repeatInterval))
            }
        }
        let day = now.adding(seconds: -86_400)
        made = made.filter { $0.value.at > day || $0.value.isPending }
        evaluated = evaluated.filter { $0.value.seconds(until: now) < max(settings.cooldown, 60) }
        return repeats
    }

    /// What people see: enabled, scanning, paused, the reason.
    public func status(now: BusTime) -> EntryStatus {
        let gate = gate(ttc: nil) ?? (lastTTC.values.contains { inWindow($0) } ? nil : .outsideWindow)
        return EntryStatus(enabled: settings.enabled && !settings.killSwitch, scanning: gate == nil, pausedBySpike: spike.active,
                           reason: gate?.rawValue ?? "scanning", pending: made.values.filter(\.isPending).count)
    }

    /// The first gate that stops everything (the TTC window only when `ttc` is given).
    func gate(ttc: Int64?) -> EntryGate? {
        if !settings.enabled { return .disabled }
        if settings.killSwitch { return .killSwitch }
        if tradingMode != .active { return .tradingNotActive }
        if openTrades == nil { return .openTradesUnknown }
        if spike.active { return .spike }
        if let ttc, !inWindow(ttc) { return .outsideWindow }
        return nil
    }

    func inWindow(_ ttc: Int64) -> Bool { Double(ttc) >= settings.minTime && Double(ttc) <= settings.maxTime }
}
