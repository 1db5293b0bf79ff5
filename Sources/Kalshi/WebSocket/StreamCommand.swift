import Foundation

/// A WebSocket channel Kalshi streams.
public struct StreamChannel: WireEnum {
    /// The string Kalshi sends.
    public var rawValue: String
    /// Wraps any raw value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Known values.
    public static let orderbookDelta: Self = "orderbook_delta", ticker: Self = "ticker", trade: Self = "trade"
    /// Known values.
    public static let fill: Self = "fill", userOrders: Self = "user_orders", marketPositions: Self = "market_positions"
    /// Known values.
    public static let marketLifecycle: Self = "market_lifecycle_v2"
}

/// A command to Kalshi's WebSocket: `{"id": n, "cmd": "...", "params": {...}}`.
public struct StreamCommand: Encodable, Sendable, Hashable {
    /// Unique per session, chosen by the client; echoed in the answer.
    public var id: Int
    /// `subscribe`, `unsubscribe`, `update_subscription`...
    public var cmd: String
    /// The command's parameters.
    public var params: Params

    /// Parameters of any command; nil fields are left out.
    public struct Params: Encodable, Sendable, Hashable {
        /// Kalshi's `channels`.
        public var channels: [StreamChannel]?
        /// Kalshi's `market_tickers`.
        public var marketTickers: [String]?
        /// Kalshi's `sids`.
        public var sids: [Int]?
        /// Kalshi's `sid`.
        public var sid: Int?
        /// Kalshi's `action`.
        public var action: String?
        /// Kalshi's `send_initial_snapshot`.
        public var sendInitialSnapshot: Bool?
        /// Kalshi's `use_yes_price`: `orderbook_delta` quotes NO-side levels on the YES leg (1 − the NO price).
        public var useYesPrice: Bool?

        /// Parameters; leave out what the command does not take.
        public init(channels: [StreamChannel]? = nil, marketTickers: [String]? = nil, sids: [Int]? = nil, sid: Int? = nil,
                    action: String? = nil, sendInitialSnapshot: Bool? = nil) {
            self.channels = channels
            self.marketTickers = marketTickers
            self.sids = sids
            self.sid = sid
            self.action = action
            self.sendInitialSnapshot = sendInitialSnapshot
        }
    }

    /// `subscribe` to `channels`, for `marketTickers` when given (required for `orderbook_delta`), with
    /// `use_yes_price` set explicitly when given.
    public static func subscribe(id: Int, channels: [StreamChannel], marketTickers: [String]? = nil, useYesPrice: Bool? = nil) -> StreamCommand {
        var params = Params(channels: channels, marketTickers: marketTickers)
        params.useYesPrice = useYesPrice
        return StreamCommand(id: id, cmd: "subscribe", params: params)
    }

    /// `unsubscribe` from subscriptions.
    public static func unsubscribe(id: Int, sids: [Int]) -> StreamCommand {
        StreamCommand(id: id, cmd: "unsubscribe", params: Params(sids: sids))
    }

    /// `update_subscription` with `add_markets`, `delete_markets` or `get_snapshot`.
    public static func updateSubscription(id: Int, sid: Int, action: String, marketTickers: [String]) -> StreamCommand {
        StreamCommand(id: id, cmd: "update_subscription", params: Params(marketTickers: marketTickers, sid: sid, action: action))
    }

    /// The JSON text frame.
    public func text() throws -> String {
        String(decoding: try KalshiJSON.encoder().encode(self), as: UTF8.self)
    }
}
