import CZeroMQ

/// A libzmq context. Contexts are thread-safe, which is what makes this type `Sendable`.
public final class Context: @unchecked Sendable {
    @usableFromInline let handle: UnsafeMutableRawPointer

    /// Creates a context with `ioThreads` background I/O threads.
    public init(ioThreads: Int32 = 1) {
        guard let ctx = zmq_ctx_new() else { preconditionFailure("zmq_ctx_new failed: out of memory") }
        zmq_ctx_set(ctx, ZMQ_IO_THREADS, ioThreads)
        handle = ctx
    }

    /// Makes every blocking call on this context's sockets return `ETERM`; sockets must then be closed.
    public func shutdown() { zmq_ctx_shutdown(handle) }

    deinit {
        // zmq_ctx_term blocks until every socket is closed and, with linger, flushed.
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }

    /// The libzmq version as `(major, minor, patch)`.
    public static var version: (Int32, Int32, Int32) {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return (major, minor, patch)
    }
}
