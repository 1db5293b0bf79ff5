import Foundation
import Hummingbird
import HummingbirdWebSocket
import SimExchange
import Synchronization

/// Kalshi's archive: fills created and orders finished (cancelled or executed) before the cutoff leave
/// `/portfolio/fills` and `/portfolio/orders` for `/historical/fills` and `/historical/orders`; resting orders
/// always stay live. The simulator archives nothing until ``KalshiSimServer/archive(before:)`` moves the cutoff.
extension KalshiSimServer {
    /// Moves the archive cutoff to `ms` (simulated epoch milliseconds); it never moves back.
    public func archive(before ms: Millis) { archiveCutoff.withLock { $0 = max($0, ms) } }

    /// The archive cutoff (0: nothing archived).
    var cutoffMs: Millis { archiveCutoff.withLock { $0 } }

    /// Whether a fill is in the archive.
    func archived(_ f: SimFill) -> Bool { f.createdMs < cutoffMs }

    /// Whether an order is in the archive.
    func archived(_ o: SimOrder) -> Bool { o.status != .resting && o.updatedMs < cutoffMs }

    func addHistoricalRoutes(_ api: RouterGroup<BasicWebSocketRequestContext>) {
        api.get("historical/cutoff") { request, _ -> Response in
            _ = try await self.gate(request, bucket: .read, signed: false)
            let t = JSON.time(self.cutoffMs)
            return self.respond(.object([("market_settled_ts", t), ("trades_created_ts", t), ("orders_updated_ts", t),
                                         ("market_positions_last_updated_ts", t)]))
        }
        api.get("historical/fills") { request, _ -> Response in
            let user = try await self.gate(request, bucket: .read, signed: true)!
            let q = request.uri.queryParameters
            let ticker = q.get("ticker")
            let minTs = q.get("min_ts").flatMap { Int64($0) }, maxTs = q.get("max_ts").flatMap { Int64($0) }
            let json: JSON = try self.exchange { ex in
                let all = ex.fills(user).reversed().filter { f in
                    self.archived(f) && (ticker == nil || f.ticker == ticker)
                        && (minTs.map { f.createdMs / 1000 >= $0 } ?? true) && (maxTs.map { f.createdMs / 1000 <= $0 } ?? true)
                }
                let page = try Page(Array(all), request: request, defaultLimit: 100, maxLimit: 1000)
                return .object([("fills", .array(page.items.map { PortfolioViews.fill($0, shard: ex.config.exchangeIndex) })), ("cursor", .string(page.cursor))])
            }
            return self.respond(json)
        }
        api.get("historical/orders") { request, _ -> Response in
            let user = try await self.gate(request, bucket: .read, signed: true)!
            let ticker = request.uri.queryParameters.get("ticker")
            let json: JSON = try self.exchange { ex in
                let all = ex.orders(user).reversed().filter { o in self.archived(o) && (ticker == nil || o.ticker == ticker) }
                let page = try Page(Array(all), request: request, defaultLimit: 100, maxLimit: 1000)
                return .object([("orders", .array(page.items.map { PortfolioViews.order($0, shard: ex.config.exchangeIndex) })), ("cursor", .string(page.cursor))])
            }
            return self.respond(json)
        }
    }
}
