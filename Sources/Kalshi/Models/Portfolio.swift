public import Foundation
public import Money

/// `GET /portfolio/balance`. `balance` and `portfolioValue` are whole cents (Kalshi truncates sub-cents there);
/// `balanceDollars` carries the finer figure when Kalshi sends it.
///
/// Kalshi keeps cash per exchange shard and an order draws only on its market's shard, so without `exchange_index`
/// `balance` is the sum over shards and ``balanceBreakdown`` holds each shard's cash: size orders from
/// ``available(onShard:)``, not from ``available``.
public struct Balance: Codable, Sendable, Hashable {
    /// One shard's cash, as Kalshi's `balance_breakdown` lists it.
    public struct ShardBalance: Codable, Sendable, Hashable {
        /// Kalshi's `exchange_index`.
        public var exchangeIndex: Int
        /// Kalshi's `balance`, exact dollars.
        public var balance: Dollars
    }

    /// Available cash in cents.
    public var balance: Int64
    /// Kalshi's `balance_dollars`, exact dollars.
    public var balanceDollars: Dollars?
    /// Positions' value in cents.
    public var portfolioValue: Int64?
    /// Unix seconds.
    public var updatedTs: Int64?

    /// Kalshi's `balance_breakdown`: cash per shard (absent for subaccount-restricted keys).
    public var balanceBreakdown: [ShardBalance]?

    /// Available cash as ``Dollars``: `balanceDollars` when present, else the cents. Over every shard unless the
    /// balance was read for one shard.
    public var available: Dollars { balanceDollars ?? Dollars(cents: balance) }

    /// The cash on `shard` from ``balanceBreakdown`` (zero for a shard it does not list); nil when Kalshi sent no
    /// breakdown (ask ``KalshiRESTClient/balance(exchangeIndex:)`` for that shard instead).
    public func available(onShard shard: Int) -> Dollars? {
        guard let breakdown = balanceBreakdown else { return nil }
        return breakdown.first { $0.exchangeIndex == shard }?.balance ?? .zero
    }
}

/// The body of `POST /portfolio/intra_exchange_instance_transfer` between two event-contract shard balances.
struct ShardTransferRequest: Encodable {
    var clientTransferId: String
    var source = "event_contract"
    var destination = "event_contract"
    /// Centicents.
    var amount: Int64
    var sourceExchangeShard: Int
    var destinationExchangeShard: Int
}

/// `POST /portfolio/intra_exchange_instance_transfer`'s answer: the transfer, which Kalshi carries out asynchronously.
public struct ShardTransfer: Codable, Sendable, Hashable {
    /// Kalshi's `transfer_id`.
    public var transferId: String
}

/// One market position: positive `positionFp` is YES contracts, negative is NO.
public struct MarketPosition: Codable, Sendable, Hashable {
    /// Kalshi's `ticker`.
    public var ticker: String
    /// Kalshi's `exchange_index`.
    public var exchangeIndex: Int?
    /// Kalshi's `total_traded_dollars`, exact dollars.
    public var totalTradedDollars: Dollars?
    /// Kalshi's `position_fp`, exact contract count.
    public var positionFp: Contracts?
    /// Kalshi's `market_exposure_dollars`, exact dollars.
    public var marketExposureDollars: Dollars?
    /// Kalshi's `realized_pnl_dollars`, exact dollars.
    public var realizedPnlDollars: Dollars?
    /// Kalshi's `fees_paid_dollars`, exact dollars.
    public var feesPaidDollars: Dollars?
    /// Kalshi's `last_updated_ts`, an RFC 3339 time.
    public var lastUpdatedTs: Date?
}

/// One event's aggregate position.
public struct EventPosition: Codable, Sendable, Hashable {
    /// Kalshi's `event_ticker`.
    public var eventTicker: String
    /// Kalshi's `total_cost_dollars`, exact dollars.
    public var totalCostDollars: Dollars?
    /// Kalshi's `total_cost_shares_fp`, exact contract count.
    public var totalCostSharesFp: Contracts?
    /// Kalshi's `event_exposure_dollars`, exact dollars.
    public var eventExposureDollars: Dollars?
    /// Kalshi's `realized_pnl_dollars`, exact dollars.
    public var realizedPnlDollars: Dollars?
    /// Kalshi's `fees_paid_dollars`, exact dollars.
    public var feesPaidDollars: Dollars?
}

/// One page of `GET /portfolio/positions`; items are the market positions.
public struct PositionsPage: CursorPage {
    /// Kalshi's `market_positions`.
    public var marketPositions: [MarketPosition]?
    /// Kalshi's `event_positions`.
    public var eventPositions: [EventPosition]?
    /// The next page's cursor; empty or nil on the last page.
    public var cursor: String?
    /// The items of this page.
    public var items: [MarketPosition] { marketPositions ?? [] }
}

/// All open positions, every page gathered.
public struct Positions: Sendable, Hashable {
    /// Kalshi's `market`.
    public var market: [MarketPosition]
    /// Kalshi's `event`.
    public var event: [EventPosition]
}

/// One execution of one of our orders.
public struct Fill: Codable, Sendable, Hashable {
    /// Kalshi's `fill_id`.
    public var fillId: String?
    /// Kalshi's `trade_id`.
    public var tradeId: String?
    /// Kalshi's `order_id`.
    public var orderId: String
    /// Kalshi's `ticker`.
    public var ticker: String?
    /// Kalshi's `market_ticker`.
    public var marketTicker: String?
    /// Kalshi's `exchange_index`.
    public var exchangeIndex: Int?
    /// Kalshi's `outcome_side`.
    public var outcomeSide: OutcomeSide?
    /// Kalshi's `book_side`.
    public var bookSide: BookSide?
    /// Kalshi's `count_fp`, exact contract count.
    public var countFp: Contracts?
    /// Kalshi's `yes_price_dollars`, exact dollars.
    public var yesPriceDollars: Dollars?
    /// Kalshi's `no_price_dollars`, exact dollars.
    public var noPriceDollars: Dollars?
    /// Kalshi's `is_taker`.
    public var isTaker: Bool?
    /// Dollars, as a string.
    public var feeCost: Dollars?
    /// Kalshi's `created_time`, an RFC 3339 time.
    public var createdTime: Date?
    /// Unix seconds (legacy).
    public var ts: Int64?
}

/// One page of `GET /portfolio/fills`.
public struct FillsPage: CursorPage {
    /// Kalshi's `fills`.
    public var fills: [Fill]?
    /// The next page's cursor; empty or nil on the last page.
    public var cursor: String?
    /// The items of this page.
    public var items: [Fill] { fills ?? [] }
}

/// One settled market of ours. `revenue` and `value` are whole cents.
public struct Settlement: Codable, Sendable, Hashable {
    /// Kalshi's `ticker`.
    public var ticker: String
    /// Kalshi's `event_ticker`.
    public var eventTicker: String?
    /// Kalshi's `exchange_index`.
    public var exchangeIndex: Int?
    /// Kalshi's `market_result`.
    public var marketResult: MarketResult?
    /// Kalshi's `yes_count_fp`, exact contract count.
    public var yesCountFp: Contracts?
    /// Kalshi's `yes_total_cost_dollars`, exact dollars.
    public var yesTotalCostDollars: Dollars?
    /// Kalshi's `no_count_fp`, exact contract count.
    public var noCountFp: Contracts?
    /// Kalshi's `no_total_cost_dollars`, exact dollars.
    public var noTotalCostDollars: Dollars?
    /// Cents paid out.
    public var revenue: Int64?
    /// Cents per YES contract.
    public var value: Int64?
    /// Kalshi's `settled_time`, an RFC 3339 time.
    public var settledTime: Date?
    /// Kalshi's `fee_cost`, exact dollars.
    public var feeCost: Dollars?
}

/// One page of `GET /portfolio/settlements`.
public struct SettlementsPage: CursorPage {
    /// Kalshi's `settlements`.
    public var settlements: [Settlement]?
    /// The next page's cursor; empty or nil on the last page.
    public var cursor: String?
    /// The items of this page.
    public var items: [Settlement] { settlements ?? [] }
}
