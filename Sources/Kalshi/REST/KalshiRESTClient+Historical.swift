import Foundation

/// Kalshi's archive: fills created and orders cancelled or executed before the cutoff are only under `/historical`.
extension KalshiRESTClient {
    /// `GET /historical/cutoff`: where the archive starts.
    public func historicalCutoff() async throws -> HistoricalCutoff {
        try await get(HistoricalCutoff.self, Call(method: "GET", path: "/historical/cutoff"))
    }

    /// `GET /historical/fills`, every page: fills created before the cutoff.
    public func historicalFills(ticker: String? = nil, minTs: Int64? = nil, maxTs: Int64? = nil) async throws -> [Fill] {
        var q: [URLQueryItem] = []
        q.add("ticker", ticker)
        q.add("min_ts", minTs)
        q.add("max_ts", maxTs)
        return try await all(FillsPage.self, path: "/historical/fills", query: q)
    }

    /// `GET /historical/orders`, every page: orders cancelled or executed before the cutoff.
    public func historicalOrders(ticker: String? = nil) async throws -> [Order] {
        var q: [URLQueryItem] = []
        q.add("ticker", ticker)
        return try await all(OrdersPage.self, path: "/historical/orders", query: q)
    }

    /// Every fill, live and archived (archived first), each once (by fill id; fills without one are all kept).
    public func allFills() async throws -> [Fill] {
        let archived = try await historicalFills(), live = try await fills()
        var seen = Set<String>()
        return (archived + live).filter { f in
            guard let id = f.fillId ?? f.tradeId else { return true }
            return seen.insert(id).inserted
        }
    }

    /// Every order, live and archived (archived first), each once.
    public func allOrders() async throws -> [Order] {
        let archived = try await historicalOrders(), live = try await orders()
        var seen = Set<String>()
        return (archived + live).filter { seen.insert($0.orderId).inserted }
    }
}

/// `GET /historical/cutoff`: records before these times are only in the archive.
public struct HistoricalCutoff: Codable, Sendable, Hashable {
    /// Markets settled before this are under `/historical/markets`.
    public var marketSettledTs: Date?
    /// Fills created before this are under `/historical/fills`.
    public var tradesCreatedTs: Date?
    /// Orders cancelled or executed before this are under `/historical/orders`.
    public var ordersUpdatedTs: Date?
}
