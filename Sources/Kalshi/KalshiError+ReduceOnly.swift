import Foundation

extension KalshiError {
    /// The code of a `reduce_only` order refused because the member holds nothing in that market that it could
    /// reduce (flat, or holding the side the order would buy).
    ///
    /// Kalshi documents that `reduce_only` "caps the count by the current position" and is taken only with
    /// `immediate_or_cancel`, but not what it answers when there is nothing to cap to. This code (HTTP 400) is
    /// rec.io's choice, answered by `recio sim`; ``isNothingToReduce`` also recognises Kalshi's generic
    /// `invalid_order` when its message or details say so.
    public static let nothingToReduceCode = "reduce_only_no_position"

    /// True when Kalshi (or `recio sim`) refused a `reduce_only` order because there was no position in the market
    /// for it to reduce: a close that finds nothing to close. Nothing was placed.
    ///
    /// ```swift
    /// do { _ = try await rest.createOrder(close) } catch let e as KalshiError where e.isNothingToReduce {
    ///     // the position is already flat
    /// }
    /// ```
    public var isNothingToReduce: Bool {
        guard kind == .http, let status, (400..<500).contains(status) else { return false }
        if code == Self.nothingToReduceCode { return true }
        guard code == "invalid_order" else { return false }
        let text = (message + " " + (details ?? "")).lowercased().replacingOccurrences(of: "_", with: " ")
        return text.contains("reduce only") && (text.contains("no position") || text.contains("nothing to reduce"))
    }
}

extension CreateOrderRequest {
    /// The refusal of a `reduce_only` order whose time in force is not `immediate_or_cancel` (Kalshi rejects it);
    /// nil for any other order.
    func reduceOnlyRefusal(batchItem: Int? = nil) -> KalshiError? {
        guard reduceOnly == true, timeInForce != .immediateOrCancel else { return nil }
        return KalshiError(.invalidRequest, code: "reduce_only_requires_ioc",
                           message: (batchItem.map { "batch item \($0): " } ?? "")
                               + "reduce_only is allowed only with time_in_force immediate_or_cancel, not \(timeInForce.rawValue) (\(ticker))")
    }
}
