public import Foundation
public import Money

/// `GET /portfolio/balance`. `balance` and `portfolioValue` are whole cents (Kalshi truncates sub-cents there);
/// `balanceDollars` carries the finer figure when Kalshi sends it.
public struct Balance: Codable, Sendable, Hashable {
    /// Available cash in cents.
    public var balance: Int64
    public var balanceDollars: Dollars?
    /// Positions' value in cents.
    public var portfolioValue: Int64?
    /// Unix seconds.
    public var updatedTs: Int64?

    /// Available cash as ``Dollars``: `balanceDollars` when present, else the cents.
    public var available: Dollars { balanceDollars ?? Dollars(cents: balance) }
}

/// One market position: positive `positionFp` is YES contracts, negative is NO.
public struct MarketPosition: Codable, Sendable, Hashable {
    public var ticker: String
    public var exchangeIndex: Int?
    public var totalTradedDollars: Dollars?
    public var positionFp: Contracts?
    public var marketExposureDollars: Dollars?
    public var realizedPnlDollars: Dollars?
    public var feesPaidDollars: Dollars?
    public var lastUpdatedTs: Date?
}

/// One event's aggregate position.
public struct EventPosition: Codable, Sendable, Hashable {
    public var eventTicker: String
    public var totalCostDollars: Dollars?
    public var totalCostSharesFp: Contracts?
    public var eventExposureDollars: Dollars?
    public var realizedPnlDollars: Dollars?
    public var feesPaidDollars: Dollars?
}

/// One page of `GET /portfolio/positions`; items are the market positions.
public struct PositionsPage: CursorPage {
    public var marketPositions: [MarketPosition]?
    public var eventPositions: [EventPosition]?
    public var cursor: String?
    public var items: [MarketPosition] { marketPositions ?? [] }
}

/// All open positions, every page gathered.
public struct Positions: Sendable, Hashable {
    public var market: [MarketPosition]
    public var event: [EventPosition]
}

/// One execution of one of our orders.
public struct Fill: Codable, Sendable, Hashable {
    public var fillId: String?
    public var tradeId: String?
    public var orderId: String
    public var ticker: String?
    public var marketTicker: String?
    public var exchangeIndex: Int?
    public var outcomeSide: OutcomeSide?
    public var bookSide: BookSide?
    public var countFp: Contracts?
    public var yesPriceDollars: Dollars?
    public var noPriceDollars: Dollars?
    public var isTaker: Bool?
    /// Dollars, as a string.
    public var feeCost: Dollars?
    public var createdTime: Date?
    /// Unix seconds (legacy).
    public var ts: Int64?
}

/// One page of `GET /portfolio/fills`.
public struct FillsPage: CursorPage {
    public var fills: [Fill]?
    public var cursor: String?
    public var items: [Fill] { fills ?? [] }
}

/// One settled market of ours. `revenue` and `value` are whole cents.
public struct Settlement: Codable, Sendable, Hashable {
    public var ticker: String
    public var eventTicker: String?
    public var exchangeIndex: Int?
    public var marketResult: MarketResult?
    public var yesCountFp: Contracts?
    public var yesTotalCostDollars: Dollars?
    public var noCountFp: Contracts?
    public var noTotalCostDollars: Dollars?
    /// Cents paid out.
    public var revenue: Int64?
    /// Cents per YES contract.
    public var value: Int64?
    public var settledTime: Date?
    public var feeCost: Dollars?
}

/// One page of `GET /portfolio/settlements`.
public struct SettlementsPage: CursorPage {
    public var settlements: [Settlement]?
    public var cursor: String?
    public var items: [Settlement] { settlements ?? [] }
}
