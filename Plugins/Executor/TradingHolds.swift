import BusWire
import TradingWire

/// The executor's trading state: holds keyed by their owner, the most restrictive one wins. Pure: times are passed in.
///
/// Commands on `sys.control.trading` place holds (`reduce` → REDUCING, `halt` → HALTED, `halt_hard` → HALTED and
/// closes stopped too) under their holder and release them (`resume` releases the sender's own hold, nothing else:
/// the dashboard's Resume lifts the user's halt, never the failure detector's). The executor's own holds cannot be
/// placed or released by a command: ``reconciliationHolder`` (REDUCING from start until a reconciliation passes,
/// taken again when one fails) and ``riskHolder`` (REDUCING once the day's loss limit is reached, until the next
/// US Eastern day).
public struct TradingHolds: Sendable, Hashable {
    /// The holder of the built-in reconciliation hold.
    public static let reconciliationHolder = "reconciliation"
    /// The holder of the executor's daily-loss hold.
    public static let riskHolder = "risk"
    /// Holders only the executor itself places and releases.
    public static let ownHolders: Set<String> = [reconciliationHolder, riskHolder]
    /// Whether reconciliation reports move the state at all.
    public let requireReconciliation: Bool
    /// Every hold in place, by holder.
    public private(set) var holds: [String: TradingStatus.Hold] = [:]

    /// The state at start: the reconciliation hold when it is required, nothing else.
    public init(requireReconciliation: Bool, now: BusTime) {
        self.requireReconciliation = requireReconciliation
        if requireReconciliation {
            holds[Self.reconciliationHolder] = TradingStatus.Hold(
                holder: Self.reconciliationHolder, mode: .reducing, hard: false,
                reason: "waiting for the start-up reconciliation to pass", since: now.description)
        }
    }

    /// The effective mode: the most restrictive hold, ACTIVE without any.
    public var mode: TradingMode { holds.values.map(\.mode).max() ?? .active }
    /// True when a hard halt stops closes too.
    public var hard: Bool { holds.values.contains { $0.mode == .halted && $0.hard } }

    /// Whether an intent of `purpose` may trade now: entries only when ACTIVE, closes unless halted hard.
    public func allows(_ purpose: OrderPurpose) -> Bool {
        switch purpose {
        case .entry: mode == .active
        case .close: !hard
        }
    }

    /// The holders behind the state, for a rejection's reason.
    public var holderSummary: String {
        holds.values.sorted { $0.holder < $1.holder }.map { "\($0.holder): \($0.reason)" }.joined(separator: "; ")
    }

    /// Holds placed by commands (not the executor's own): what the journal keeps across restarts.
    public var commandHolds: [TradingStatus.Hold] {
        holds.values.filter { !Self.ownHolders.contains($0.holder) }.sorted { $0.holder < $1.holder }
    }

    /// Puts back holds kept in the journal.
    public mutating func restore(_ kept: [TradingStatus.Hold]) {
        for hold in kept where !Self.ownHolders.contains(hold.holder) { holds[hold.holder] = hold }
    }

    /// Whether a command from `holder` may place or release holds: letters, digits, `-`, `_` and `.` (never `*`),
    /// and not one of the executor's own holders.
    public static func mayCommand(_ holder: String) -> Bool {
        !holder.isEmpty && !ownHolders.contains(holder) && holder.utf8.count <= 64
            && holder.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }
    }

    /// Applies a command; true when the holds changed. A command whose holder may not command (``mayCommand(_:)``)
    /// changes nothing.
    @discardableResult
    public mutating func apply(_ command: TradingCommand, now: BusTime) -> Bool {
        let before = holds
        let holder = command.holder
        guard Self.mayCommand(holder) else { return false }
        let reason = command.reason.isEmpty ? command.action.rawValue : command.reason
        switch command.action {
        case .reduce: place(holder, .reducing, hard: false, reason: reason, now: now)
        case .halt: place(holder, .halted, hard: false, reason: reason, now: now)
        case .haltHard: place(holder, .halted, hard: true, reason: reason, now: now)
        case .resume: holds[holder] = nil
        }
        return holds != before
    }

    /// Applies a reconciliation report; true when the holds changed. Passed releases the reconciliation hold,
    /// failed takes it again (REDUCING), pending changes nothing.
    @discardableResult
    public mutating func apply(_ report: ReconciliationReport, now: BusTime) -> Bool {
        guard requireReconciliation else { return false }
        let before = holds
        switch report.status {
        case .passed: holds[Self.reconciliationHolder] = nil
        case .failed:
            let markets = report.mismatches.map(\.ticker).joined(separator: ", ")
            place(Self.reconciliationHolder, .reducing, hard: false,
                  reason: "reconciliation failed" + (markets.isEmpty ? "" : ": \(markets)"), now: now)
        case .pending: break
        }
        return holds != before
    }

    /// Places or releases the daily-loss hold; true when the holds changed.
    @discardableResult
    public mutating func setRisk(_ reason: String?, now: BusTime) -> Bool {
        let before = holds
        if let reason { place(Self.riskHolder, .reducing, hard: false, reason: reason, now: now) } else { holds[Self.riskHolder] = nil }
        return holds != before
    }

    private mutating func place(_ holder: String, _ mode: TradingMode, hard: Bool, reason: String, now: BusTime) {
        if let h = holds[holder], h.mode == mode, h.hard == hard, h.reason == reason { return }  // keeps `since`
        holds[holder] = TradingStatus.Hold(holder: holder, mode: mode, hard: hard, reason: reason, since: now.description)
    }

    /// The state as published on `sys.control.state.trading`.
    public func status(venueMode: String, now: BusTime) -> TradingStatus {
        TradingStatus(mode: mode, hard: hard, holds: holds.values.sorted { $0.holder < $1.holder }, venueMode: venueMode,
                      time: now.description)
    }
}
