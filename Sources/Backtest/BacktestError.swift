import BusKit

/// The backtest library's one error type: unreadable inputs, bad arguments, configuration problems.
public struct BacktestError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong, naming the file and line where there is one.
    public let message: String
    /// The problems of a file, each naming its file, line and key (empty for other errors).
    public let problems: [ConfigError]
    /// An error.
    public init(_ message: String) { self.message = message; problems = [] }
    /// Every problem of a file at once.
    public init(problems: [ConfigError]) { self.problems = problems; message = problems.map(\.description).joined(separator: "\n") }
    /// The message.
    public var description: String { message }
}
