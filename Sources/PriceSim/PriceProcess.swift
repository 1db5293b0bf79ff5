import Money

/// A BTC index: one price per second of simulated time.
///
/// Implementations are deterministic: the same process asked for the same second always answers the same price,
/// whoever asks and in whatever order. Seconds are Unix seconds (UTC).
public protocol PriceProcess: Sendable {
    /// The index at `second`, on the cent grid; nil where the process has no value (before its start, past the
    /// end of a replay).
    func value(atSecond second: Int64) -> Dollars?
}

/// The one error type of the simulator's price side.
public struct PriceSimError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for people.
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

extension Dollars {
    /// The nearest whole cent to `value` dollars (the random walk's internal Double becomes money only here).
    static func nearestCent(_ value: Double) -> Dollars {
        Dollars(cents: Int64((value * 100).rounded()))
    }
}

extension PriceProcess {
    /// Kalshi's settlement input for a close at `close` (Unix seconds): the simple average of the index's 60
    /// one-second values in `[close − 60, close)`, to the micro (half away from zero); nil when any is missing.
    public func settlementValue(closingAt close: Int64) -> Dollars? {
        var sum: Int64 = 0
        for second in (close - 60)..<close {
            guard let v = value(atSecond: second) else { return nil }
            sum += v.micros
        }
        let q = sum / 60, r = sum % 60
        return Dollars(micros: q + (2 * abs(r) >= 60 ? (sum < 0 ? -1 : 1) : 0))
    }
}
