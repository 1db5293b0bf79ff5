import AsyncHTTPClient
import BusWire
import Logging
import NIOCore
import NIOHTTP1

/// Coinbase Exchange REST candles: `GET /products/<product>/candles?granularity=&start=&end=`, public.
///
/// A range is fetched in pages of at most 300 candles (Coinbase's limit), oldest first; 429 and 5xx answers and
/// transport errors are retried with exponential backoff (honouring `Retry-After`), other statuses fail at once.
///
/// ```swift
/// let client = CandlesClient(configuration: .init())
/// let day = try await client.candles(from: 1_735_689_600, to: 1_735_776_000)   // 1,440 one-minute candles
/// ```
public struct CandlesClient: Sendable {
    public struct Configuration: Sendable {
        /// `https://api.exchange.coinbase.com`, or a test server.
        public var baseURL: String
        public var productID: String
        /// Seconds per candle: 60, 300, 900, 3600, 21600 or 86400.
        public var granularity: Int64
        /// Candles per request (at most 300).
        public var pageSize: Int64
        /// Attempts per page before giving up.
        public var maxAttempts: Int
        /// Delay between attempts.
        public var backoff: ReconnectBackoff
        /// Coinbase refuses requests without a User-Agent.
        public var userAgent: String

        public init(baseURL: String = "https://api.exchange.coinbase.com", productID: String = "BTC-USD", granularity: Int64 = 60,
                    pageSize: Int64 = 300, maxAttempts: Int = 6, backoff: ReconnectBackoff = ReconnectBackoff(initial: 1, maximum: 30),
                    userAgent: String = "recio/1") {
            self.baseURL = baseURL; self.productID = productID; self.granularity = granularity; self.pageSize = min(pageSize, 300)
            self.maxAttempts = maxAttempts; self.backoff = backoff; self.userAgent = userAgent
        }
    }

    public let configuration: Configuration
    private let http: HTTPClient
    private let logger: Logger

    public init(configuration: Configuration, http: HTTPClient = .shared, logger: Logger = Logger(label: "recio.coinbase.candles")) {
        self.configuration = configuration; self.http = http; self.logger = logger
    }

    /// Every candle starting in `[from, to)` (Unix seconds), oldest first, without duplicates.
    public func candles(from: Int64, to: Int64) async throws(CoinbaseError) -> [CoinbaseCandle] {
        var all: [CoinbaseCandle] = []
        try await pages(from: from, to: to) { all += $0 }
        return all
    }

    /// Fetches `[from, to)` page by page, handing each page (oldest first, within its window) to `body`.
    public func pages(from: Int64, to: Int64, _ body: ([CoinbaseCandle]) async throws -> Void) async throws(CoinbaseError) {
        let g = configuration.granularity
        guard [60, 300, 900, 3600, 21600, 86400].contains(g) else { throw CoinbaseError(.invalidRequest, "granularity \(g) is not one Coinbase offers") }
        guard from < to else { throw CoinbaseError(.invalidRequest, "empty range: \(from) ..< \(to)") }
        var start = from - ((from % g) + g) % g  // align down to the candle grid
        let span = g * configuration.pageSize
        while start < to {
            let end = min(start + span, to)
            let page = try await page(start: start, end: end).filter { $0.start >= from && $0.start >= start && $0.start < end }
            var seen = Set<Int64>()
            let ordered = page.sorted { $0.start < $1.start }.filter { seen.insert($0.start).inserted }
            do { try await body(ordered) } catch { throw CoinbaseError(.invalidRequest, "page handler: \(error)") }
            start = end
        }
    }

    /// One request for candles in `[start, end)`, retried on 429, 5xx and transport errors.
    func page(start: Int64, end: Int64) async throws(CoinbaseError) -> [CoinbaseCandle] {
        let c = configuration
        // `end` is sent a second early so that an inclusive end never asks for one candle too many.
        let url = "\(c.baseURL)/products/\(c.productID)/candles?granularity=\(c.granularity)"
            + "&start=\(BusTime(seconds: start))&end=\(BusTime(seconds: end - 1))"
        var backoff = c.backoff
        var last = CoinbaseError(.exhausted, "no attempt made")
        for attempt in 1...max(1, c.maxAttempts) {
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "User-Agent", value: c.userAgent)
            request.headers.add(name: "Accept", value: "application/json")
            var retryAfter: Double?
            do {
                let response = try await http.execute(request, timeout: .seconds(30))
                let body = String(buffer: try await response.body.collect(upTo: 8 << 20))
                let status = Int(response.status.code)
                if status == 200 { return try CandlesBody.parse(body) }
                last = CoinbaseError(.server, "GET \(url): \(body.prefix(200))", status: status)
                guard status == 429 || status >= 500 else { throw last }
                retryAfter = response.headers.first(name: "Retry-After").flatMap(Double.init)
            } catch let error as CoinbaseError {
                if error.kind != .server || (error.status.map { $0 != 429 && $0 < 500 } ?? true) { throw error }
            } catch {
                last = CoinbaseError(.connection, "GET \(url): \(error)")
            }
            guard attempt < c.maxAttempts else { break }
            let delay = min(c.backoff.maximum, retryAfter ?? backoff.nextDelay(random: Double.random(in: 0..<1)))
            logger.info("coinbase candles retry", metadata: ["attempt": "\(attempt)", "delay": "\(delay)", "error": "\(last)"])
            try? await Task.sleep(for: .microseconds(Int64(delay * 1e6)))
        }
        throw CoinbaseError(.exhausted, "\(c.maxAttempts) attempts: \(last)", status: last.status)
    }
}
