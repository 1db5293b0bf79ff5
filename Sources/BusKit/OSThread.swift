#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A plain OS thread for blocking libzmq loops, which must never run on Swift's cooperative pool.
/// Lighter than Foundation's `Thread`, so plugins need not load all of Foundation.
public final class OSThread: Sendable {
    private let done = Mutex<Bool>(false)
    private let handle: Mutex<pthread_t?> = Mutex(nil)

    /// Starts `body` on a new thread; `name` is for diagnostics.
    public init(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(name: name, body: body, owner: self) as AnyObject)
        var tid = pthread_t()
        let rc = pthread_create(&tid, nil, { raw in
            let box = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue() as! Box
            box.body()
            box.owner.done.withLock { $0 = true }
            return nil
        }, box.toOpaque())
        precondition(rc == 0, "pthread_create failed: \(rc)")
        handle.withLock { $0 = tid }
    }

    /// Waits for the thread to finish.
    public func join() {
        guard let tid = handle.withLock({ h -> pthread_t? in defer { h = nil }; return h }) else { return }
        pthread_join(tid, nil)
    }

    /// Lets the thread run on its own: its resources are freed when it ends, and it can no longer be joined.
    public func detach() {
        guard let tid = handle.withLock({ h -> pthread_t? in defer { h = nil }; return h }) else { return }
        pthread_detach(tid)
    }

    /// Whether the body has returned.
    public var isFinished: Bool { done.withLock { $0 } }

    private final class Box: Sendable {
        let name: String
        let body: @Sendable () -> Void
        let owner: OSThread
        init(name: String, body: @escaping @Sendable () -> Void, owner: OSThread) { self.name = name; self.body = body; self.owner = owner }
    }
}
