import BusWire
import Kalshi
import Money
import TradingWire

/// How intents become Kalshi V2 orders and how Kalshi's answers become ``OrderEvent``s. Pure.
public enum VenueOrders {
    /// One dollar: a NO price q is the YES-leg price 1 − q.
    static let oneDollar = Dollars(cents: 100)

    /// The `client_order_id` for `key`: the key itself when it is 1–64 characters of `[A-Za-z0-9_-]`, otherwise
    /// `k-` and a 128-bit FNV-1a hash of it, so the same key always names the same order.
    public static func clientOrderID(for key: String) -> String {
        let valid = !key.isEmpty && key.utf8.count <= 64 && key.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        }
        if valid { return key }
        return "k-" + hex(fnv1a(key.utf8, seed: 0xcbf2_9ce4_8422_2325)) + hex(fnv1a(key.utf8, seed: 0x8422_2325_cbf2_9ce4))
    }

    private static func fnv1a(_ bytes: String.UTF8View, seed: UInt64) -> UInt64 {
        var h = seed
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    private static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// The order the gate passed for `intent`: `count` contracts (a close's count is capped at what is held), and a
    /// close always immediate-or-cancel (Kalshi takes `reduce_only` with nothing else).
    public static func order(_ intent: OrderIntent, count: Contracts) -> OrderIntent {
        var order = intent
        order.count = count
        if intent.purpose == .close { order.timeInForce = .immediateOrCancel }
        return order
    }

    /// The V2 create for `intent`: a buy of the intent's side as Kalshi's book side (YES = `bid` at the cap, NO =
    /// `ask` at 1 − cap), always a limit at the intent's cap, IOC or FoK, never resting. A close is `reduce_only`
    /// and IOC, so the venue itself never lets it grow or flip a position.
    public static func request(for intent: OrderIntent, clientOrderID: String) -> CreateOrderRequest {
        let side: BookSide = intent.side == .yes ? .bid : .ask
        let price = intent.side == .yes ? intent.limitPrice : oneDollar - intent.limitPrice
        let close = intent.purpose == .close
        let tif: TimeInForce = intent.timeInForce == .fillOrKill && !close ? .fillOrKill : .immediateOrCancel
        var request = CreateOrderRequest(ticker: intent.ticker, side: side, count: intent.count, price: price, timeInForce: tif,
                                         selfTradePrevention: .takerAtCross, clientOrderId: clientOrderID)
        if close { request.reduceOnly = true }
        return request
    }

    /// An answer to `intent` with the given outcome and fills; the remaining fields come from the intent.
    public static func event(_ intent: OrderIntent, clientOrderID: String, outcome: OrderOutcome, orderID: String?,
                             filled: Contracts = .zero, averagePrice: Dollars? = nil, fees: Dollars? = nil,
                             reason: String? = nil, mode: String, now: BusTime) -> OrderEvent {
        OrderEvent(key: intent.key, source: intent.source, purpose: intent.purpose, tradeID: intent.tradeID, outcome: outcome,
                   orderID: orderID, clientOrderID: clientOrderID, ticker: intent.ticker, eventTicker: intent.eventTicker,
                   side: intent.side, requestedCount: intent.count, filledCount: filled, averagePrice: averagePrice, fees: fees,
                   limitPrice: intent.limitPrice, reason: reason, mode: mode, replayed: false, time: now.description)
    }

    /// The outcome of an IOC/FoK order that is done: all, some or none of `requested` filled.
    static func outcome(filled: Contracts, requested: Contracts) -> OrderOutcome {
        filled <= .zero ? .cancelled : filled >= requested ? .filled : .partiallyFilled
    }

    /// The answer from a V2 create response. Kalshi quotes `average_fill_price` on the YES leg, so a NO buy's
    /// price is 1 − it; the total fee is `average_fee_paid` × fills, rounded up to the cent as Kalshi charges.
    public static func event(_ intent: OrderIntent, clientOrderID: String, response: CreateOrderResponse, mode: String,
                             now: BusTime) -> OrderEvent {
        let filled = response.fillCount ?? .zero
        var average = response.averageFillPrice.map { intent.side == .yes ? $0 : oneDollar - $0 }
        var fees = response.averageFeePaid.map { ($0 * filled).roundedUpToCent }
        if filled <= .zero { average = nil; fees = nil }
        return event(intent, clientOrderID: clientOrderID, outcome: outcome(filled: filled, requested: intent.count),
                     orderID: response.orderId, filled: filled, averagePrice: average, fees: fees, mode: mode, now: now)
    }

    /// The answer from an order read back by `client_order_id`; nil while it still rests (never for IOC/FoK).
    /// Fill costs and fees are the leg's own dollars.
    public static func event(_ intent: OrderIntent, clientOrderID: String, order: Order, mode: String, now: BusTime) -> OrderEvent? {
        if order.status == .resting { return nil }
        let filled = order.fillCountFp ?? .zero
        let cost = (order.takerFillCostDollars ?? .zero) + (order.makerFillCostDollars ?? .zero)
        let fees = (order.takerFeesDollars ?? .zero) + (order.makerFeesDollars ?? .zero)
        let average = filled > .zero ? Dollars(micros: Int64(Int128(cost.micros) * 100 / Int128(filled.centis))) : nil
        return event(intent, clientOrderID: clientOrderID, outcome: outcome(filled: filled, requested: intent.count),
                     orderID: order.orderId, filled: filled, averagePrice: average, fees: filled > .zero ? fees : nil,
                     reason: "resolved by client_order_id", mode: mode, now: now)
    }

    /// What a failed create means: nil when the outcome is unknown (retryable failures after every retry,
    /// an undecodable answer) and must be resolved by `client_order_id`; otherwise the final answer — a refused
    /// fill-or-kill, or a reduce-only close with nothing to reduce ("nothing held"), is `cancelled`; any other 4xx or
    /// local failure `rejected` with the venue's message.
    public static func event(_ intent: OrderIntent, clientOrderID: String, error: any Error, mode: String, now: BusTime) -> OrderEvent? {
        guard let k = error as? KalshiError else { return nil }
        if k.isRetryable || k.kind == .decoding { return nil }
        let message = [k.code, k.message].compactMap { $0 }.joined(separator: ": ")
        if k.isNothingToReduce {
            return event(intent, clientOrderID: clientOrderID, outcome: .cancelled, orderID: nil,
                         reason: "nothing held: the venue found no position for this reduce-only close to reduce (\(message))", mode: mode, now: now)
        }
        if k.kind == .http, k.status == 409, k.code?.hasPrefix("fill_or_kill") == true {
            return event(intent, clientOrderID: clientOrderID, outcome: .cancelled, orderID: nil,
                         reason: "fill-or-kill not fillable at the cap: \(message)", mode: mode, now: now)
        }
        let status = k.status.map { "HTTP \($0) " } ?? ""
        return event(intent, clientOrderID: clientOrderID, outcome: .rejected, orderID: nil,
                     reason: "venue refused the order: \(status)\(message)", mode: mode, now: now)
    }
}
