/// The backtest library's one error type: unreadable inputs, bad arguments, configuration problems.
public struct BacktestError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong, naming the file and line where there is one.
    public let message: String
    /// An error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
