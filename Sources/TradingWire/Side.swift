/// A contract side. The system only ever buys: a position is closed by buying the opposite side.
public enum TradeSide: String, Codable, Sendable, Hashable, CaseIterable {
    case yes, no
    /// The other side: what a close of this side buys.
    public var opposite: TradeSide { self == .yes ? .no : .yes }
}

