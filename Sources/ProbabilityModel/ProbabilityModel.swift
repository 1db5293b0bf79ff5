/// What a probability model knows at one instant: the BTC price, the time left, the momentum and, optionally, the
/// current volatility and the part of the settlement average already observed.
public struct ModelInput: Sendable, Hashable {
    /// The BTC price now, in dollars.
    public var price: Double
    /// Seconds to the event's close (negative values are treated as 0).
    public var secondsToClose: Double
    /// REC.IO momentum × 100 (basis points of weighted change), when known.
    public var momentum: Int?
    /// Volatility of the log price per √second, when the caller estimated it (``VolatilityEstimator``).
    public var sigma: Double?
    /// Mean of the prices already inside the settlement window (the last 60 s before the close), when the close is
    /// less than 60 s away; nil means "assume the current price".
    public var averageSoFar: Double?

    /// An input.
    public init(price: Double, secondsToClose: Double, momentum: Int? = nil, sigma: Double? = nil, averageSoFar: Double? = nil) {
        self.price = price; self.secondsToClose = secondsToClose; self.momentum = momentum; self.sigma = sigma
        self.averageSoFar = averageSoFar
    }
}

/// A model of the chance that a KXBTCD market settles YES: the settlement value ends above `strike`.
public protocol ProbabilityModel: Sendable {
    /// The name used in settings and strike tables (`vol`, `fingerprint`).
    var name: String { get }
    /// P(settlement value > `strike`) in [0, 1].
    func probabilityAbove(strike: Double, input: ModelInput) -> Double
}

/// The probability library's one error type: unreadable or malformed files and bad arguments.
public struct ModelError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong, naming the file and line where there is one.
    public let message: String
    /// An error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
