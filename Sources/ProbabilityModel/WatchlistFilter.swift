public import Money
public import TradingWire

/// REC.IO's watchlist filter (`_step_generate_watchlist`), configurable: volume ≥ `minVolume`, active-side win
/// probability > `minProbability − probabilitySlack`, every ask present ≤ `maxAsk` (and the active side has one),
/// active-side edge ≥ `minEdge − edgeSlack`; sorted by win probability, highest first.
public struct WatchlistFilter: Sendable, Hashable {
    /// Minimum contracts traded (1000).
    public var minVolume: Contracts
    /// Minimum win probability as a fraction (0.37, the original's 37 %).
    public var minProbability: Double
    /// Allowance below `minProbability` (0.05).
    public var probabilitySlack: Double
    /// Highest ask allowed ($0.98).
    public var maxAsk: Dollars
    /// Minimum active-side edge (−$0.05, the original's UPC default of −5¢).
    public var minEdge: Dollars
    /// Allowance below `minEdge` ($0.03).
    public var edgeSlack: Dollars

    /// A filter with REC.IO's defaults.
    public init(minVolume: Contracts = Contracts(whole: 1_000), minProbability: Double = 0.37, probabilitySlack: Double = 0.05,
                maxAsk: Dollars = Dollars(cents: 98), minEdge: Dollars = Dollars(cents: -5), edgeSlack: Dollars = Dollars(cents: 3)) {
        self.minVolume = minVolume; self.minProbability = minProbability; self.probabilitySlack = probabilitySlack
        self.maxAsk = maxAsk; self.minEdge = minEdge; self.edgeSlack = edgeSlack
    }

    /// Whether a row passes.
    public func passes(_ row: StrikeRow) -> Bool {
        guard let volume = row.volume, volume >= minVolume else { return false }
        // A hair of tolerance so that 0.37 − 0.05 means 0.32, not 0.31999999999999995.
        guard row.winProbability > minProbability - probabilitySlack + 1e-12 else { return false }
        guard row.ask(row.activeSide) != nil else { return false }
        if let a = row.yesAsk, a > maxAsk { return false }
        if let a = row.noAsk, a > maxAsk { return false }
        guard let edge = row.edge(row.activeSide), edge >= minEdge - edgeSlack else { return false }
        return true
    }

    /// The rows that pass, highest win probability first (ties by ascending strike).
    public func filter(_ rows: [StrikeRow]) -> [StrikeRow] {
        rows.filter(passes).sorted { $0.winProbability != $1.winProbability ? $0.winProbability > $1.winProbability : $0.strike < $1.strike }
    }

    /// The watchlist of a strike table.
    public func watchlist(of table: StrikeTable) -> Watchlist {
        Watchlist(eventTicker: table.eventTicker, model: table.model, btcPrice: table.btcPrice, momentum: table.momentum,
                  ttcSeconds: table.ttcSeconds, closeTs: table.closeTs, rows: filter(table.rows), time: table.time)
    }
}
