import BusKit
import BusWire
import HTTPTypes
import Hummingbird
import TradingWire

/// The history routes: a ``TradeQuery`` to the trade manager over the bus, a page at a time.
extension WebServer {
    /// The most pages `GET /api/trades.csv` follows (at 500 trades a page, 100,000 trades).
    static let maxCSVPages = 200

    func addHistoryRoutes(_ router: Router<WebRequestContext>) {
        // One page of trades and the trade manager's totals over the whole filter.
        router.get("api/trades") { request, _ in
            do throws(HistoryFailure) {
                let reply = try await ask(try Self.filter(request).get()).get()
                return JSON.encode(HistoryReply(trades: reply.trades, truncated: reply.truncated, nextCursor: reply.nextCursor,
                                                summary: reply.summary.map(HistorySummary.init)))
            } catch { return error.response }
        }
        // Every matching trade (all pages) as CSV, newest first.
        router.get("api/trades.csv") { request, _ in
            var trades: [TradeRecord] = []
            var complete = false
            do throws(HistoryFailure) {
                var filter = try Self.filter(request).get()
                for _ in 0..<Self.maxCSVPages {
                    let reply = try await ask(filter).get()
                    trades += reply.trades
                    filter.cursor = reply.nextCursor
                    if filter.cursor == nil { complete = true; break }
                }
            } catch { return error.response }
            return Response(status: .ok, headers: [
                .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"trades.csv\"",
                .cacheControl: "no-store", HTTPField.Name("X-Recio-Complete")!: complete ? "true" : "false",
            ], body: .init(byteBuffer: .init(string: HistoryCSV.render(trades))))
        }
    }

    /// The filter of the request's query string; a bad value is a 400.
    static func filter(_ request: Request) -> Result<HistoryFilter, HistoryFailure> {
        var q: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { q[String(k)] = String(v) }
        return HistoryFilter.parse(q).mapError { HistoryFailure(JSON.error(.badRequest, $0.description)) }
    }

    /// Asks the trade manager for one page; a failure is the response to send (504 without an answer, 400 for a
    /// filter the trade manager refuses, 503 while it is busy).
    func ask(_ filter: HistoryFilter) async -> Result<TradeQueryResult, HistoryFailure> {
        let id = randomToken(bytes: 8)
        core.queryAnswers.expect(id)
        defer { core.queryAnswers.forget(id) }
        guard core.publish(.tradeQuery, filter.query(requester: "web", requestID: id)) else {
            return .failure(HistoryFailure(JSON.error(.serviceUnavailable, "the bus is closed")))
        }
        guard let reply = await core.queryAnswers.wait(id, seconds: core.settings.queryTimeout, clock: core.clock) else {
            return .failure(HistoryFailure(JSON.error(.gatewayTimeout, "the trade manager did not answer within \(core.settings.queryTimeout) s")))
        }
        if let error = reply.error {
            return .failure(HistoryFailure(JSON.error(error.hasPrefix("busy") ? .serviceUnavailable : .badRequest, "trade manager: \(error)")))
        }
        return .success(reply)
    }
}

/// A history request that failed, with the response saying why.
struct HistoryFailure: Error {
    let response: Response
    init(_ response: Response) { self.response = response }
}

/// The answer of `GET /api/trades`.
struct HistoryReply: Encodable {
    var trades: [TradeRecord]
    var truncated: Bool
    var nextCursor: String?
    var summary: HistorySummary?
    enum CodingKeys: String, CodingKey { case trades, truncated, nextCursor = "next_cursor", summary }
}
