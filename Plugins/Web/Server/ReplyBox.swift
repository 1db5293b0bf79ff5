import Logging
import Money
import BusKit
import Synchronization

/// Answers awaited by key: an order event for an intent's key, a query result for a request id.
///
/// `expect` before sending, `deliver` when the answer arrives (from the bus loop), `wait` for it with a time limit.
/// Each waiter is resumed exactly once.
final class ReplyBox<Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value?
        var waiter: CheckedContinuation<Value?, Never>?
        var generation = 0
        var timedOut = false
    }
    private let entries = Mutex<[String: Entry]>([:])

    /// Starts listening for `key`.
    func expect(_ key: String) { entries.withLock { if $0[key] == nil { $0[key] = Entry() } } }

    /// Stops listening for `key`, resuming a waiter with nil.
    func forget(_ key: String) {
        let waiter = entries.withLock { $0.removeValue(forKey: key)?.waiter }
        waiter?.resume(returning: nil)
    }

    /// An answer for `key`; ignored unless `key` is expected. Only the first answer is kept.
    func deliver(_ key: String, _ value: Value) {
        let waiter: CheckedContinuation<Value?, Never>? = entries.withLock { all in
            guard var e = all[key] else { return nil }
            if e.value == nil { e.value = value }
            let w = e.waiter
            e.waiter = nil
            all[key] = e
            return w
        }
        waiter?.resume(returning: value)
    }

    /// The answer for `key`, waiting at most `seconds` on `clock`; nil on timeout. One waiter per key at a time.
    func wait(_ key: String, seconds: Double, clock: any BusClock) async -> Value? {
        let generation: Int? = entries.withLock { all in
            guard var e = all[key], e.value == nil else { return nil }
            e.generation += 1
            e.timedOut = false
            all[key] = e
            return e.generation
        }
        guard let generation else { return entries.withLock { $0[key]?.value } }
        let timeout = Task {
            try? await clock.sleep(seconds: seconds)
            let w = self.entries.withLock { all -> CheckedContinuation<Value?, Never>? in
                guard var e = all[key], e.generation == generation else { return nil }
                let w = e.waiter
                e.waiter = nil
                e.timedOut = true
                all[key] = e
                return w
            }
            w?.resume(returning: nil)
        }
        defer { timeout.cancel() }
        return await withCheckedContinuation { (c: CheckedContinuation<Value?, Never>) in
            let ready: Value?? = entries.withLock { all in
                guard var e = all[key] else { return .some(nil) }
                if let v = e.value { return .some(v) }
                if e.timedOut { return .some(nil) }
                e.waiter = c
                all[key] = e
                return .none
            }
            if let ready { c.resume(returning: ready) }
        }
    }
}
