import BusKit
import BusWire
import Hummingbird
import TradingWire

/// The account history routes: an ``AccountQuery`` to account-sync over the bus, a page at a time, newest first.
extension WebServer {
    func addAccountRoutes(_ router: Router<WebRequestContext>) {
        router.get("api/account/fills") { request, _ in await accountPage(.fills, request) }
        router.get("api/account/settlements") { request, _ in await accountPage(.settlements, request) }
    }

    /// One page of `kind` from account-sync: `{fills|settlements, next_cursor}`; 400 for a bad `limit` or cursor,
    /// 504 when account-sync does not answer within `query_timeout`, 503 while it is busy.
    func accountPage(_ kind: AccountQueryKind, _ request: Request) async -> Response {
        let q = request.uri.queryParameters
        var limit: Int?
        if let text = q["limit"] {
            guard let n = Int(String(text)), (1...1_000).contains(n) else { return JSON.error(.badRequest, "limit must be from 1 to 1000") }
            limit = n
        }
        let id = randomToken(bytes: 8)
        core.accountAnswers.expect(id)
        defer { core.accountAnswers.forget(id) }
        let query = AccountQuery(requester: "web", requestID: id, kind: kind, limit: limit, cursor: q["cursor"].map(String.init))
        guard core.publish(.accountQuery, query) else { return JSON.error(.serviceUnavailable, "the bus is closed") }
        guard let reply = await core.accountAnswers.wait(id, seconds: core.settings.queryTimeout, clock: core.clock) else {
            return JSON.error(.gatewayTimeout, "account-sync did not answer within \(core.settings.queryTimeout) s")
        }
        if let error = reply.error {
            return JSON.error(error.hasPrefix("busy") ? .serviceUnavailable : .badRequest, "account-sync: \(error)")
        }
        return JSON.encode(AccountPage(fills: kind == .fills ? reply.fills : nil,
                                       settlements: kind == .settlements ? reply.settlements : nil, nextCursor: reply.nextCursor))
    }
}

/// The answer of `GET /api/account/fills` and `/api/account/settlements`.
struct AccountPage: Encodable {
    var fills: [VenueFill]?
    var settlements: [VenueSettlement]?
    var nextCursor: String?
    enum CodingKeys: String, CodingKey { case fills, settlements, nextCursor = "next_cursor" }
}
