public import AsyncHTTPClient
public import Foundation
public import Logging
import NIOCore
import Synchronization

/// Kalshi's REST API (Trade API v2): public market data, the portfolio, and V2 order writes.
///
/// Every request is signed when credentials are given, drawn from a client-side token bucket (reads and writes
/// apart), and retried with exponential backoff and jitter on 429, 5xx, timeouts and transport errors. Lists
/// follow the cursor through every page. Creates always carry a `client_order_id`, so a retried create is never
/// a second order (see ``createOrder(_:)``).
///
/// ```swift
/// let client = KalshiRESTClient(configuration: .demo, credentials: try Credentials.load(from: folder))
/// let events = try await client.events(seriesTicker: "KXBTCD", status: .open, withNestedMarkets: true)
/// ```
public final class KalshiRESTClient: Sendable {
    /// Waits for a duration; tests pass one that returns at once and records the waits.
    public typealias Sleeper = @Sendable (Duration) async throws -> Void

    /// Where and how this client talks to Kalshi.
    public let configuration: KalshiConfiguration
    let credentials: Credentials?
    let http: HTTPClient
    let sleeper: Sleeper
    let epochMilliseconds: @Sendable () -> Int64
    let jitter: @Sendable () -> Double
    let now: @Sendable () -> ContinuousClock.Instant
    let limiter: Mutex<RateLimiter>
    /// `/account/limits` once read (``writeBudget()``).
    let accountLimitsRead = Mutex<AccountLimits?>(nil)
    let logger: Logger

    /// A client for `configuration`.
    /// - Parameters:
    ///   - credentials: needed for `/portfolio` calls; public market data works without.
    ///   - httpClient: the AsyncHTTPClient to use (``sharedHTTPClient`` by default; the caller owns its lifetime).
    ///   - sleeper: how backoff and rate-limit waits sleep.
    ///   - epochMilliseconds: the clock for signature timestamps.
    ///   - jitter: a random number in [0, 1) for backoff jitter.
    ///   - now: the clock of the token buckets.
    public init(configuration: KalshiConfiguration, credentials: Credentials? = nil,
                httpClient: HTTPClient = KalshiRESTClient.sharedHTTPClient, logger: Logger = Logger(label: "kalshi.rest"),
                sleeper: @escaping Sleeper = { try await Task.sleep(for: $0) },
                epochMilliseconds: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) },
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.configuration = configuration
        self.credentials = credentials
        self.http = httpClient
        self.logger = logger
        self.sleeper = sleeper
        self.epochMilliseconds = epochMilliseconds
        self.jitter = jitter
        self.now = now
        self.limiter = Mutex(RateLimiter(limits: configuration.limits, now: now()))
    }

    /// The process-wide AsyncHTTPClient of Kalshi clients, never shut down: AsyncHTTPClient's own shared client
    /// keeps an idle connection ten minutes, longer than servers keep theirs open (an order would then go out on a
    /// connection the server closed and fail once); this one closes idle connections after a minute and gives a
    /// connection ten seconds to open.
    public static let sharedHTTPClient = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(timeout: .init(connect: .seconds(10)), connectionPool: .init(idleTimeout: .seconds(60))))

    /// One REST call, before signing.
    struct Call: Sendable {
        var method: String
        /// Relative to the base URL: `/portfolio/balance`.
        var path: String
        var query: [URLQueryItem] = []
        var body: Data? = nil
        var bucket: RateLimiter.Bucket = .read
        var cost: Int64 = RateLimiter.Cost.standard
    }

    /// Sends `call`, retrying retryable failures; returns the success body.
    func send(_ call: Call) async throws -> Data {
        var retries = 0
        return try await send(call, retries: &retries)
    }

    /// Sends `call` like ``send(_:)``, counting in `retries` the attempts repeated after a retryable failure (an
    /// attempt that timed out or answered 5xx may still have reached the exchange).
    func send(_ call: Call, retries: inout Int) async throws -> Data {
        var attempt = 1
        while true {
            let wait = limiter.withLock { $0.reserve(call.bucket, cost: call.cost, at: now()) }
            if wait > .zero { try await sleeper(wait) }
            do {
                let (status, body) = try await perform(call)
                guard (200..<300).contains(status) else { throw KalshiError.fromResponse(status: status, body: body) }
                return body
            } catch let error as KalshiError where error.isRetryable && attempt < configuration.retry.maxAttempts {
                let delay = configuration.retry.delay(afterAttempt: attempt, jitter: jitter())
                logger.info("retrying Kalshi request", metadata: [
                    "http.method": "\(call.method)", "http.path": "\(call.path)", "attempt": "\(attempt)", "error": "\(error)",
                ])
                try await sleeper(delay)
                attempt += 1
                retries += 1
            }
        }
    }

    /// Sends `call` and decodes the answer as `T`.
    func get<T: Decodable>(_ type: T.Type, _ call: Call) async throws -> T {
        try decode(type, from: try await send(call))
    }

    /// Sends `call` and decodes the answer as `T`, counting repeated attempts in `retries`.
    func get<T: Decodable>(_ type: T.Type, _ call: Call, retries: inout Int) async throws -> T {
        try decode(type, from: try await send(call, retries: &retries))
    }

    func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do { return try KalshiJSON.decoder().decode(type, from: data) } catch {
            let snippet = String(decoding: data.prefix(200), as: UTF8.self)
            throw KalshiError(.decoding, message: "cannot decode \(T.self): \(error)", details: snippet)
        }
    }

    func encode(_ value: some Encodable) throws -> Data {
        do { return try KalshiJSON.encoder().encode(value) } catch {
            throw KalshiError(.invalidRequest, message: "cannot encode request: \(error)")
        }
    }

    /// Every item of a cursor-paginated list: asks with `limit` and follows `cursor` until it is empty or missing.
    func allPages<P: CursorPage>(_ page: P.Type, path: String, query: [URLQueryItem]) async throws -> [P] {
        var pages: [P] = []
        var cursor: String?
        var seen: Set<String> = []
        repeat {
            var q = query + [URLQueryItem(name: "limit", value: String(Self.pageLimit(configuration.pageLimit, path: path)))]
            if let cursor { q.append(URLQueryItem(name: "cursor", value: cursor)) }
            let p = try await get(P.self, Call(method: "GET", path: path, query: q))
            pages.append(p)
            cursor = p.nextCursor
            if let c = cursor, !seen.insert(c).inserted {
                throw KalshiError(.decoding, message: "Kalshi repeated the cursor '\(c)' on \(path)")
            }
        } while cursor != nil
        return pages
    }

    /// `wanted` within Kalshi's bounds for `path`: `/events` takes 1–200, the other lists 1–1000 (a larger limit is
    /// a 400, not a bigger page).
    static func pageLimit(_ wanted: Int, path: String) -> Int {
        min(max(wanted, 1), path == "/events" ? 200 : 1000)
    }

    /// Items of every page.
    func all<P: CursorPage>(_ page: P.Type, path: String, query: [URLQueryItem]) async throws -> [P.Item] {
        try await allPages(page, path: path, query: query).flatMap(\.items)
    }
}

extension [URLQueryItem] {
    /// Adds `name=value` when `value` is not nil.
    mutating func add(_ name: String, _ value: (some CustomStringConvertible)?) {
        if let value { append(URLQueryItem(name: name, value: value.description)) }
    }
}
