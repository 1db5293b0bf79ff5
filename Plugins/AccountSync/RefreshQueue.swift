import Synchronization

/// What a REST refresh reads.
enum RefreshKind: Hashable, Sendable, CaseIterable {
    case balance, positions, fills, settlements
    /// Resting orders, stored resting orders that moved on, and orders of new fills not yet stored.
    case orders
    /// Every order, every page (at start and after a reconnect).
    case allOrders

    /// A full catch-up.
    static let all: Set<RefreshKind> = Set(allCases)
    /// The periodic catch-up: everything, orders incrementally.
    static let periodic: Set<RefreshKind> = [.balance, .positions, .fills, .settlements, .orders]
}

/// Refresh requests gathered until the worker takes them: many pushes in a burst become one REST refresh.
final class RefreshQueue: Sendable {
    private let pending = Mutex<Set<RefreshKind>>([])
    /// One element per wake-up of the worker (at most one waits).
    let pokes: AsyncStream<Void>
    private let poke: AsyncStream<Void>.Continuation

    init() { (pokes, poke) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1)) }

    /// Asks for `kinds` to be read.
    func request(_ kinds: Set<RefreshKind>) {
        guard !kinds.isEmpty else { return }
        pending.withLock { $0.formUnion(kinds) }
        poke.yield()
    }

    /// Everything asked for since the last take.
    func take() -> Set<RefreshKind> {
        pending.withLock { p in
            defer { p = [] }
            return p
        }
    }

    /// Ends the worker's loop.
    func finish() { poke.finish() }
}
