import Synchronization

/// Admits at most `limit` jobs at once; one beyond it is refused at once rather than queued, so a plugin answering
/// queries off its loop never piles up reads.
public final class InFlightLimit: Sendable {
    /// The most jobs admitted at once.
    public let limit: Int
    private let count = Atomic<Int>(0)

    /// A limit of `limit` jobs.
    public init(_ limit: Int) { self.limit = limit }

    /// Admits a job (true; call ``leave()`` when it ends) or refuses it (false) when `limit` are running.
    public func enter() -> Bool {
        guard count.add(1, ordering: .acquiringAndReleasing).newValue <= limit else {
            count.subtract(1, ordering: .acquiringAndReleasing)
            return false
        }
        return true
    }

    /// Ends an admitted job.
    public func leave() { count.subtract(1, ordering: .acquiringAndReleasing) }
}
