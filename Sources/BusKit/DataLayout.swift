/// Which world rec.io runs in (`[bus] mode`): where orders go and whose money moves.
///
/// Named `RunMode`, not `TradingMode`: that name is the executor's ACTIVE / REDUCING / HALTED state in TradingWire.
public enum RunMode: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The local simulator (`recio sim`) with fake money. The default.
    case sim
    /// Kalshi's real market data, orders filled locally against the live book, a simulated balance.
    case paper
    /// Kalshi's demo environment.
    case demo
    /// Kalshi with real money; needs credentials and an explicit confirmation.
    case prod

    /// `sim`, `paper`, `demo` or `prod`.
    public var description: String { rawValue }

    /// Parses `[bus] mode`; the error names every accepted value.
    public static func parse(_ text: String) -> Result<RunMode, ConfigValueError> {
        if let m = RunMode(rawValue: text) { return .success(m) }
        return .failure(ConfigValueError("must be one of \(allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'"))
    }
}

/// Why one configuration value was refused (the caller adds file, line and key).
public struct ConfigValueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the value.
    public let message: String
    /// An error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// Where every file of one mode lives: `$RECIO_HOME/<mode>/`, so nothing made in one mode can be read in another.
///
/// ```
/// $RECIO_HOME/
///   sim/  paper/  demo/  prod/        one world per mode (``folder``):
///     trades.sqlite                   trade-manager's trade store
///     executor.sqlite                 executor's idempotency journal (and holds)
///     account.sqlite                  account-sync's store (paper: the simulated account)
///     price-feed.sqlite               price-feed's 1-second history
///     <plugin>/settings.json          runtime settings saved from the bus (auto-entry, trade-supervisor...)
///     keys/                           bus identity keys of this mode
///     clock.json                      the simulator's clock (sim only)
///   credentials/<mode>/               Kalshi API keys, per mode (unchanged: `recio credentials add --mode`)
///   model/fingerprints.json           fitted tables: market data, shared by every mode
///   logs/  run/  tapes/  web/  keys/  shared: logs, launcher state, recordings, dashboard login, CURVE transport keys
/// ```
public struct DataLayout: Sendable, Hashable {
    /// The data folder (`RECIO_HOME`).
    public let home: String
    /// The mode whose files these are.
    public let mode: RunMode

    /// The layout of `mode` under `home`.
    public init(home: String = ProcInfo.recioHome, mode: RunMode) { self.home = home; self.mode = mode }

    /// `$RECIO_HOME/<mode>`: every file of this mode.
    public var folder: String { "\(home)/\(mode.rawValue)" }
    /// The trade manager's SQLite trade store.
    public var tradeStore: String { folder + "/" + Self.tradeStoreName }
    /// The executor's journal (orders by idempotency key, and its holds).
    public var executorJournal: String { folder + "/" + Self.executorJournalName }
    /// Account sync's store of venue balance, positions, fills, orders and settlements.
    public var accountStore: String { folder + "/" + Self.accountStoreName }
    /// The price feed's 1-second BTC history.
    public var priceHistory: String { folder + "/" + Self.priceHistoryName }
    /// A plugin's runtime settings, saved when they change over the bus.
    public func runtimeSettings(plugin: String) -> String { "\(folder)/\(plugin)/settings.json" }
    /// This mode's bus identity keys.
    public var identityKeys: String { folder + "/keys" }
    /// The simulator clock file (`recio sim` writes it; `[bus] clock = simulator` reads it): `$RECIO_HOME/sim/clock.json`.
    public var simulatorClock: String { "\(home)/\(RunMode.sim.rawValue)/clock.json" }
    /// The Kalshi credentials of this mode (`key_id`, `private_key.pem`): `$RECIO_HOME/credentials/<mode>`.
    public var credentials: String { "\(home)/credentials/\(mode.rawValue)" }
    /// The fitted fingerprint tables, shared by every mode (they describe the market, not an account).
    public var modelTables: String { home + "/model/fingerprints.json" }

    static let tradeStoreName = "trades.sqlite"
    static let executorJournalName = "executor.sqlite"
    static let accountStoreName = "account.sqlite"
    static let priceHistoryName = "price-feed.sqlite"
    /// The SQLite files a mode owns, by name: what a migration from the old flat layout moves.
    static let databaseNames = [tradeStoreName, executorJournalName, accountStoreName, priceHistoryName]
}
