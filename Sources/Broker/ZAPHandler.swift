import BusKit
import Logging
import Synchronization
import ZeroMQ

/// The broker's ZAP handler (RFC 27): libzmq asks it, for every CURVE connection, whether the client's public key
/// is on the allow-list. It answers on `inproc://zeromq.zap.01` in the broker's context, on its own thread.
final class ZAPHandler: Sendable {
    private let socket: Socket
    private let allowed: [String: String]
    private let logger: Logger
    private let stopping = Atomic<Bool>(false)
    private let counts = Mutex<(accepted: UInt64, refused: UInt64)>((0, 0))
    private let thread: Mutex<OSThread?> = Mutex(nil)

    /// Binds the handler; call before any CURVE server socket binds.
    init(context: Context, allowed: [String: String], logger: Logger) throws(ZMQError) {
        socket = try Socket(context, .rep)
        try socket.set(.linger, 0)
        try socket.set(.receiveTimeout, 200)
        try socket.bind("inproc://zeromq.zap.01")
        // Z85 text → name, to log who connected.
        var byKey: [String: String] = [:]
        for (name, key) in allowed { byKey[key] = name }
        self.allowed = byKey
        self.logger = logger
        thread.withLock { $0 = OSThread(name: "broker-zap") { [self] in serve() } }
    }

    /// Clients let in and refused so far.
    var accepted: UInt64 { counts.withLock { $0.accepted } }
    var refused: UInt64 { counts.withLock { $0.refused } }

    private func serve() {
        while !stopping.load(ordering: .relaxed) {
            guard let frames = try? socket.receiveFrames(), frames.count >= 6 else { continue }
            let requestID = frames[1], mechanism = String(decoding: frames[5], as: UTF8.self)
            var status = "400", text = "key not allowed", user = ""
            if mechanism == "CURVE", frames.count >= 7, let key = CurveKeyPair.encode(frames[6]), let name = allowed[key] {
                (status, text, user) = ("200", "OK", name)
                counts.withLock { $0.accepted += 1 }
                logger.info("client key accepted", metadata: ["client": "\(name)", "address": "\(String(decoding: frames[3], as: UTF8.self))"])
            } else {
                counts.withLock { $0.refused += 1 }
                logger.warning("client refused by the allow-list",
                               metadata: ["mechanism": "\(mechanism)", "address": "\(String(decoding: frames[3], as: UTF8.self))"])
            }
            _ = try? socket.send(frames: [Array("1.0".utf8), requestID, Array(status.utf8), Array(text.utf8), Array(user.utf8), []])
        }
        socket.close()
    }

    /// Stops answering and waits for the thread.
    func stop() {
        stopping.store(true, ordering: .relaxed)
        thread.withLock { $0?.join(); $0 = nil }
    }
}
