public import BusWire
public import Money

/// One strike of an event as the model sees it.
///
/// `probability_yes` is the model's chance that the market settles YES (BTC above the strike at the close);
/// fair values are that chance in dollars (a YES contract pays $1). Edges are fair value minus ask: positive means the
/// model thinks the contract is cheap. The *active side* is the side that wins if BTC stays where it is now: YES
/// for strikes below the price, NO for strikes above it.
public struct StrikeRow: Codable, Sendable, Hashable {
    /// The market ticker.
    public var ticker: String
    /// The floor strike (`106249.99`).
    public var strike: Dollars
    /// BTC price minus strike: positive when the price is above the strike.
    public var distance: Dollars
    /// `distance` in strike spacings (the original's misnamed `buffer_pct`), as a decimal string such as `"1.25"`.
    public var distanceSpacings: String?
    /// The model's P(YES) in [0, 1].
    public var probabilityYes: Double
    /// P(win) of the active side in [0, 1] (the original's "probability").
    public var winProbability: Double
    /// The model's fair value of YES, to the cent.
    public var fairYes: Dollars
    /// The model's fair value of NO, to the cent.
    public var fairNo: Dollars
    /// Best bids and asks, from `market.book`; nil where the book side is empty.
    public var yesBid: Dollars?, yesAsk: Dollars?, noBid: Dollars?, noAsk: Dollars?
    /// Contracts offered at the asks.
    public var yesAskSize: Contracts?, noAskSize: Contracts?
    /// Fair value minus ask per side; nil without an ask.
    public var edgeYes: Dollars?, edgeNo: Dollars?
    /// The side that wins if the price stays put.
    public var activeSide: TradeSide
    /// Contracts traded in the market so far.
    public var volume: Contracts?

    /// A row.
    public init(ticker: String, strike: Dollars, distance: Dollars, distanceSpacings: String?, probabilityYes: Double,
                winProbability: Double, fairYes: Dollars, fairNo: Dollars, yesBid: Dollars?, yesAsk: Dollars?, noBid: Dollars?,
                noAsk: Dollars?, yesAskSize: Contracts?, noAskSize: Contracts?, edgeYes: Dollars?, edgeNo: Dollars?,
                activeSide: TradeSide, volume: Contracts?) {
        self.ticker = ticker; self.strike = strike; self.distance = distance; self.distanceSpacings = distanceSpacings
        self.probabilityYes = probabilityYes; self.winProbability = winProbability; self.fairYes = fairYes; self.fairNo = fairNo
        self.yesBid = yesBid; self.yesAsk = yesAsk; self.noBid = noBid; self.noAsk = noAsk
        self.yesAskSize = yesAskSize; self.noAskSize = noAskSize; self.edgeYes = edgeYes; self.edgeNo = edgeNo
        self.activeSide = activeSide; self.volume = volume
    }

    /// The ask of `side`.
    public func ask(_ side: TradeSide) -> Dollars? { side == .yes ? yesAsk : noAsk }
    /// The edge of `side`.
    public func edge(_ side: TradeSide) -> Dollars? { side == .yes ? edgeYes : edgeNo }
    /// The model's P(win) of `side`.
    public func probability(_ side: TradeSide) -> Double { side == .yes ? probabilityYes : 1 - probabilityYes }

    enum CodingKeys: String, CodingKey {
        case ticker, strike, distance, distanceSpacings = "distance_spacings", probabilityYes = "probability_yes"
        case winProbability = "win_probability", fairYes = "fair_yes", fairNo = "fair_no", yesBid = "yes_bid", yesAsk = "yes_ask"
        case noBid = "no_bid", noAsk = "no_ask", yesAskSize = "yes_ask_size", noAskSize = "no_ask_size", edgeYes = "edge_yes"
        case edgeNo = "edge_no", activeSide = "active_side", volume
    }
}

/// `model.strikes.<event_ticker>`: the strike table of one open event, recomputed on every tick (state).
public struct StrikeTable: BusMessage, Hashable {
    public static let typeName = "model.strikes"
    /// `KXBTCD`.
    public var series: String
    public var eventTicker: String
    /// The model that produced the probabilities (`fingerprint`, `vol`).
    public var model: String
    /// The BTC price the table was computed from.
    public var btcPrice: Dollars
    /// REC.IO momentum × 100 at that price, when known.
    public var momentum: Int?
    /// Seconds to the event's close, floored at 0.
    public var ttcSeconds: Int64
    /// The event's close, Unix seconds.
    public var closeTs: Int64
    /// The gap between strikes.
    public var strikeSpacing: Dollars?
    /// The rows, by ascending strike.
    public var rows: [StrikeRow]
    /// When the table was computed (the bus clock), RFC 3339 UTC.
    public var time: String

    /// A table.
    public init(series: String, eventTicker: String, model: String, btcPrice: Dollars, momentum: Int?, ttcSeconds: Int64,
                closeTs: Int64, strikeSpacing: Dollars?, rows: [StrikeRow], time: String) {
        self.series = series; self.eventTicker = eventTicker; self.model = model; self.btcPrice = btcPrice
        self.momentum = momentum; self.ttcSeconds = ttcSeconds; self.closeTs = closeTs; self.strikeSpacing = strikeSpacing
        self.rows = rows; self.time = time
    }

    enum CodingKeys: String, CodingKey {
        case series, eventTicker = "event_ticker", model, btcPrice = "btc_price", momentum, ttcSeconds = "ttc_seconds"
        case closeTs = "close_ts", strikeSpacing = "strike_spacing", rows, time
    }
}

/// `model.watchlist.<event_ticker>`: the rows of the strike table that pass the watchlist filters, highest win
/// probability first (state). The filters are REC.IO's (volume, probability, maximum ask, edge), configurable.
public struct Watchlist: BusMessage, Hashable {
    public static let typeName = "model.watchlist"
    public var eventTicker: String
    public var model: String
    public var btcPrice: Dollars
    public var momentum: Int?
    public var ttcSeconds: Int64
    public var closeTs: Int64
    public var rows: [StrikeRow]
    public var time: String

    /// A watchlist.
    public init(eventTicker: String, model: String, btcPrice: Dollars, momentum: Int?, ttcSeconds: Int64, closeTs: Int64,
                rows: [StrikeRow], time: String) {
        self.eventTicker = eventTicker; self.model = model; self.btcPrice = btcPrice; self.momentum = momentum
        self.ttcSeconds = ttcSeconds; self.closeTs = closeTs; self.rows = rows; self.time = time
    }

    enum CodingKeys: String, CodingKey {
        case eventTicker = "event_ticker", model, btcPrice = "btc_price", momentum, ttcSeconds = "ttc_seconds"
        case closeTs = "close_ts", rows, time
    }
}
