public import Foundation

/// Where Kalshi lives in each mode: the simulator (`recio sim` on port 7200) in `sim`, the demo environment in
/// `demo`, production in `paper` (market data only) and `prod`.
public enum KalshiEndpoints {
    /// The REST root, including `/trade-api/v2`.
    public static func rest(mode: String) -> URL {
        switch mode {
        case "sim": URL(string: "http://127.0.0.1:7200/trade-api/v2")!
        case "demo": URL(string: "https://external-api.demo.kalshi.co/trade-api/v2")!
        default: URL(string: "https://external-api.kalshi.com/trade-api/v2")!
        }
    }
    /// The WebSocket, ending in `/trade-api/ws/v2`.
    public static func webSocket(mode: String) -> URL {
        switch mode {
        case "sim": URL(string: "ws://127.0.0.1:7200/trade-api/ws/v2")!
        case "demo": URL(string: "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2")!
        default: URL(string: "wss://external-api-ws.kalshi.com/trade-api/ws/v2")!
        }
    }
}
