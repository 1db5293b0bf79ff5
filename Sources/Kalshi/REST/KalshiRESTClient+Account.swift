import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

extension KalshiRESTClient {
    /// `GET /account/limits` (signed): the tier and the read and write buckets Kalshi applies to this account.
    public func accountLimits() async throws -> AccountLimits {
        try await get(AccountLimits.self, Call(method: "GET", path: "/account/limits"))
    }

    /// The tokens a full write bucket holds, from `/account/limits` (read once, then kept), else the configured
    /// tier's when Kalshi does not answer.
    public func writeBudget() async -> Int64 {
        if let read = accountLimitsRead.withLock({ $0 }) { return read.write.bucketCapacity }
        do {
            let limits = try await accountLimits()
            accountLimitsRead.withLock { $0 = limits }
            return limits.write.bucketCapacity
        } catch {
            logger.warning("/account/limits unreadable, assuming the configured write budget", metadata: ["error": "\(error)"])
            return configuration.limits.writeCapacity
        }
    }

    /// The most items one batch may hold at `itemCost` write tokens each: what a full write bucket pays for, so a
    /// batch never waits on more tokens than the bucket can hold (at least one).
    public func batchLimit(itemCost: Int64) async -> Int {
        Int(max(1, await writeBudget() / max(itemCost, 1)))
    }

    /// `GET /exchange/schedule`: maintenance windows (weekly hours are not decoded: KXBTCD trades around the clock).
    public func exchangeSchedule() async throws -> ExchangeSchedule {
        try await get(ExchangeScheduleResponse.self, Call(method: "GET", path: "/exchange/schedule")).schedule
    }

    /// The exchange's clock from the `Date` header of an unsigned `GET /exchange/status`, against this client's
    /// clock halfway through the request. Throws when the answer carries no readable `Date`.
    public func exchangeClock() async throws -> ExchangeClock {
        let root = configuration.baseURL.absoluteString.hasSuffix("/")
            ? String(configuration.baseURL.absoluteString.dropLast()) : configuration.baseURL.absoluteString
        let before = epochMilliseconds()
        let response: HTTPClientResponse
        do {
            response = try await http.execute(HTTPClientRequest(url: root + "/exchange/status"), timeout: .seconds(10), logger: logger)
            _ = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw Self.classify(error, method: "GET", path: "/exchange/status")
        }
        let after = epochMilliseconds()
        guard let header = response.headers.first(name: "Date"), let date = Self.httpDate(header) else {
            throw KalshiError(.decoding, status: Int(response.status.code), message: "GET /exchange/status: no readable Date header")
        }
        return ExchangeClock(serverMs: Int64((date.timeIntervalSince1970 * 1000).rounded()), localMs: before + (after - before) / 2)
    }

    /// An HTTP date (`Mon, 07 Dec 2026 23:45:27 GMT`).
    static func httpDate(_ text: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return f.date(from: text)
    }
}
