import Foundation
import Money

/// The kill switch's venue half: cancel every resting order, close every open position with reduce-only IOC orders,
/// and report what is left. Halting entries on the bus is the caller's job (it runs first).
public struct Flattener: Sendable {
    /// What to cancel and how far to go when closing.
    public struct Options: Sendable {
        /// The worst price paid for the closing leg (the side bought to close): $0.99 closes at any price.
        public var worstPrice: Dollars
        /// Cancel only the orders whose `client_order_id` rec.io made (one by one, routed by ticker) instead of
        /// Kalshi's cancel-all, which takes every subaccount, shard and manual order.
        public var onlyRecio: Bool
        /// Whether a `client_order_id` is rec.io's.
        public var isRecio: @Sendable (String?) -> Bool
        /// Stamps the closes' client order ids (epoch milliseconds).
        public var nowMs: Int64

        /// Options; `isRecio` defaults to ``RecioOrderIDs/isRecio(_:)``.
        public init(worstPrice: Dollars = Dollars(cents: 99), onlyRecio: Bool = false,
                    isRecio: @escaping @Sendable (String?) -> Bool = RecioOrderIDs.isRecio, nowMs: Int64) {
            self.worstPrice = worstPrice; self.onlyRecio = onlyRecio; self.isRecio = isRecio; self.nowMs = nowMs
        }
    }

    /// One line of the report.
    public struct Line: Codable, Sendable, Hashable {
        /// `cancelled`, `closed`, `close-failed`, `cancel-failed`, `resting`, `position`.
        public var kind: String
        /// The market (empty when Kalshi's cancel-all answer does not name it).
        public var ticker: String
        /// Order id for orders; empty for positions.
        public var orderID: String
        /// The order's `client_order_id`.
        public var clientOrderID: String?
        /// Contracts cancelled, filled by a close, or left (signed for positions: + YES, − NO).
        public var count: Contracts
        /// Whether rec.io placed the order (nil for positions).
        public var recio: Bool?
        /// An error message, or what a close asked for.
        public var note: String
    }

    /// What flatten did and what is left.
    public struct Report: Codable, Sendable, Hashable {
        /// Orders cancelled (or refused, `cancel-failed`).
        public var cancelled: [Line] = []
        /// Reduce-only IOC closes sent, one per open position.
        public var closes: [Line] = []
        /// Venue errors met on the way; flatten carries on past them.
        public var errors: [String] = []
        /// Orders still resting after the run.
        public var restingLeft: [Line] = []
        /// Positions still open after the run.
        public var positionsLeft: [Line] = []
        /// True when nothing rests (of rec.io's, with `onlyRecio`), no position is open and nothing failed.
        public var flat: Bool
    }

    let rest: KalshiRESTClient

    /// A flattener over `rest`.
    public init(rest: KalshiRESTClient) { self.rest = rest }

    /// Cancels, closes, then reads back what is left. Venue errors are reported, never thrown, so one refusal does
    /// not stop the rest; only the final read can throw.
    public func run(_ options: Options) async throws -> Report {
        var report = Report(flat: false)
        await cancel(options, into: &report)
        await close(options, into: &report)
        let resting = try await rest.orders(status: .resting)
        report.restingLeft = resting.map { o in
            Line(kind: "resting", ticker: o.ticker ?? "", orderID: o.orderId, clientOrderID: o.clientOrderId,
                 count: o.remainingCountFp ?? .zero, recio: options.isRecio(o.clientOrderId), note: "")
        }
        report.positionsLeft = try await rest.positions().market.filter { ($0.positionFp ?? .zero) != .zero }.map {
            Line(kind: "position", ticker: $0.ticker, orderID: "", clientOrderID: nil, count: $0.positionFp ?? .zero, recio: nil, note: "")
        }
        let blocking = options.onlyRecio ? report.restingLeft.filter { $0.recio == true } : report.restingLeft
        report.flat = blocking.isEmpty && report.positionsLeft.isEmpty && report.errors.isEmpty
        return report
    }

    private func cancel(_ options: Options, into report: inout Report) async {
        func line(_ item: BatchCancelItem, ticker: String, failed: Bool) -> Line {
            Line(kind: failed ? "cancel-failed" : "cancelled", ticker: ticker, orderID: item.orderId ?? "", clientOrderID: item.clientOrderId,
                 count: item.reducedBy ?? .zero, recio: options.isRecio(item.clientOrderId), note: item.error?.message ?? "")
        }
        do {
            guard options.onlyRecio else {
                for item in try await rest.cancelAllOrders() {
                    report.cancelled.append(line(item, ticker: "", failed: item.error != nil))
                    if let e = item.error { report.errors.append("cancel \(item.orderId ?? "?"): \(e.message ?? e.code ?? "refused")") }
                }
                return
            }
            let mine = try await rest.orders(status: .resting).filter { options.isRecio($0.clientOrderId) }
            let items = mine.map { BatchCancelItemRequest(orderId: $0.orderId, ticker: $0.ticker ?? "", exchangeIndex: $0.exchangeIndex) }
            for (request, item) in zip(items, try await rest.cancelOrdersInBatches(items)) {
                report.cancelled.append(line(item, ticker: request.marketTicker, failed: item.error != nil))
                if let e = item.error { report.errors.append("cancel \(request.orderId): \(e.message ?? e.code ?? "refused")") }
            }
        } catch {
            report.errors.append("cancel: \(error)")
        }
    }

    private func close(_ options: Options, into report: inout Report) async {
        let held: [MarketPosition]
        do { held = try await rest.positions().market.filter { ($0.positionFp ?? .zero) != .zero } } catch {
            report.errors.append("positions: \(error)")
            return
        }
        let oneDollar = Dollars(cents: 100)
        for p in held {
            let position = p.positionFp ?? .zero
            // Holding YES: buy NO (a YES ask) at 1 − worst; holding NO: buy YES (a YES bid) at worst.
            let yesHeld = position > .zero
            var request = CreateOrderRequest(ticker: p.ticker, side: yesHeld ? .ask : .bid, count: yesHeld ? position : -position,
                                             price: yesHeld ? oneDollar - options.worstPrice : options.worstPrice,
                                             timeInForce: .immediateOrCancel,
                                             clientOrderId: RecioOrderIDs.flattenID(ticker: p.ticker, ms: options.nowMs),
                                             exchangeIndex: p.exchangeIndex)
            request.reduceOnly = true
            do {
                let done = try await rest.createOrder(request)
                report.closes.append(Line(kind: "closed", ticker: p.ticker, orderID: done.orderId, clientOrderID: done.clientOrderId,
                                          count: done.fillCount ?? .zero, recio: true, note: "of \(request.count)"))
            } catch {
                report.closes.append(Line(kind: "close-failed", ticker: p.ticker, orderID: "", clientOrderID: request.clientOrderId,
                                          count: .zero, recio: true, note: "\(error)"))
                report.errors.append("close \(p.ticker): \(error)")
            }
        }
    }
}

/// rec.io's `client_order_id`s: intent keys (`ae-` auto-entry, `sv-` supervisor, `web-`/`webc-` dashboard), the
/// executor's hashed form of longer keys (`k-`), and flatten's closes (`fl-`). Anything else is someone else's.
public enum RecioOrderIDs {
    static let prefixes = ["ae-", "sv-", "web-", "webc-", "k-", "fl-"]

    /// Whether `clientOrderID` is one rec.io makes.
    @Sendable public static func isRecio(_ clientOrderID: String?) -> Bool {
        guard let id = clientOrderID else { return false }
        return prefixes.contains { id.hasPrefix($0) }
    }

    /// Flatten's close of `ticker` at `ms`: `fl-` and the ticker's letters, digits and dashes (others as `_`).
    public static func flattenID(ticker: String, ms: Int64) -> String {
        let safe = String(ticker.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "_" }.prefix(44))
        return "fl-\(safe)-\(ms)"
    }
}
