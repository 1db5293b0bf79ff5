import CZeroMQ

#if canImport(Glibc)
import Glibc
#endif

/// An error reported by libzmq, with its errno and the call that failed.
public struct ZMQError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The errno value libzmq reported (`zmq_errno()`).
    public let code: Int32
    /// What we were doing when it failed, such as `bind tcp://127.0.0.1:7100`.
    public let operation: String

    /// Builds an error from the calling thread's current `zmq_errno()`.
    public init(operation: String, code: Int32 = zmq_errno()) {
        self.code = code
        self.operation = operation
    }

    /// libzmq's own text for the code.
    public var message: String { String(cString: zmq_strerror(code)) }

    public var description: String { "\(operation): \(message) (errno \(code))" }

    /// True when the context was terminated; loops stop on it.
    public var isTerminated: Bool { code == ETERM }
}

/// Outcome of a non-blocking libzmq call.
@usableFromInline
enum CallResult {
    case done(Int32)
    case wouldBlock
}

/// The single funnel for libzmq calls: retries on `EINTR`, turns `EAGAIN` into ``CallResult/wouldBlock``,
/// throws ``ZMQError`` for everything else and stops on programmer errors (`ENOTSOCK`, `EFAULT`).
@inlinable
func zmqCall(_ operation: @autoclosure () -> String, _ body: () -> Int32) throws(ZMQError) -> CallResult {
    while true {
        let rc = body()
        if rc >= 0 { return .done(rc) }
        let err = zmq_errno()
        switch err {
        case EINTR: continue
        case EAGAIN: return .wouldBlock
        case ENOTSOCK, EFAULT: preconditionFailure("libzmq misuse in \(operation()): \(String(cString: zmq_strerror(err)))")
        default: throw ZMQError(operation: operation(), code: err)
        }
    }
}
