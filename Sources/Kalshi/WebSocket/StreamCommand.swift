import Foundation

/// A WebSocket channel Kalshi streams.
public struct StreamChannel: WireEnum {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let orderbookDelta: Self = "orderbook_delta", ticker: Self = "ticker", trade: Self = "trade"
    public static let fill: Self = "fill", userOrders: Self = "user_orders", marketPositions: Self = "market_positions"
    public static let marketLifecycle: Self = "market_lifecycle_v2"
}

/// A command to Kalshi's WebSocket: `{"id": n, "cmd": "...", "params": {...}}`.
public struct StreamCommand: Encodable, Sendable, Hashable {
    public var id: Int
    public var cmd: String
    public var params: Params

    /// Parameters of any command; nil fields are left out.
    public struct Params: Encodable, Sendable, Hashable {
        public var channels: [StreamChannel]?
        public var marketTickers: [String]?
        public var sids: [Int]?
        public var sid: Int?
        public var action: String?
        public var sendInitialSnapshot: Bool?

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

    /// `subscribe` to `channels`, for `marketTickers` when given (required for `orderbook_delta`).
    public static func subscribe(id: Int, channels: [StreamChannel], marketTickers: [String]? = nil) -> StreamCommand {
        StreamCommand(id: id, cmd: "subscribe", params: Params(channels: channels, marketTickers: marketTickers))
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
