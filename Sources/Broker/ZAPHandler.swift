import BusKit
import Logging
import Synchronization
import ZeroMQ

/// The broker's ZAP handler (RFC 27): libzmq asks it about every connection to a CURVE or PLAIN server socket.
/// CURVE: the client's public key must be on the allow-list; PLAIN: the user name and password must match a
/// credential file. The answer's user id (the key's name, or the PLAIN user name) travels with every message from
/// that connection as its `User-Id` property. It answers on `inproc://zeromq.zap.01` in the broker's context, on
/// its own thread.
final class ZAPHandler: Sendable {
    private let socket: Socket
    private let allowed: [String: String]
    private let store: IdentityStore?
    private let passwords: Mutex<[String: String]>
    private let logger: Logger
    private let stopping = Atomic<Bool>(false)
    private let counts = Mutex<(accepted: UInt64, refused: UInt64)>((0, 0))
    private let thread: Mutex<OSThread?> = Mutex(nil)

    /// Binds the handler; call before any CURVE or PLAIN server socket binds.
    init(context: Context, allowed: [String: String], identities: IdentityPolicy?, logger: Logger) throws(ZMQError) {
        socket = try Socket(context, .rep)
        try socket.set(.linger, 0)
        try socket.set(.receiveTimeout, 200)
        try socket.bind("inproc://zeromq.zap.01")
        // Z85 text → name, to log who connected.
        var byKey: [String: String] = [:]
        for (name, key) in allowed { byKey[key] = name }
        self.allowed = byKey
        store = identities?.store
        passwords = Mutex((identities?.passwords ?? [:]).merging(identities?.store?.all() ?? [:]) { a, _ in a })
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
            let address = String(decoding: frames[3], as: UTF8.self)
            var user: String?
            switch mechanism {
            case "CURVE":
                if frames.count >= 7, let key = CurveKeyPair.encode(frames[6]) { user = allowed[key] }
            case "PLAIN" where frames.count >= 8:
                let name = String(decoding: frames[6], as: UTF8.self)
                if !check(name, frames[7]), let store {
                    // A credential made after the broker started (a plugin run by hand): read the folder again. Every
                    // time: libzmq does not retry a connection its ZAP handler refused, so a refusal must be final.
                    let fresh = store.all()
                    passwords.withLock { $0.merge(fresh) { _, new in new } }
                }
                if check(name, frames[7]) { user = name }
            default: break
            }
            if let user {
                counts.withLock { $0.accepted += 1 }
                logger.info("client accepted", metadata: ["client": "\(user)", "mechanism": "\(mechanism)", "address": "\(address)"])
            } else {
                let first = counts.withLock { c in c.refused += 1; return c.refused == 1 }
                // A stranger may open many connections: log the first refusal, then only count.
                if first { logger.warning("client refused (logged once; see sys.broker.stats authFailures)", metadata: ["mechanism": "\(mechanism)", "address": "\(address)"]) }
            }
            let status = user == nil ? "400" : "200", text = user == nil ? "not allowed" : "OK"
            _ = try? socket.send(frames: [Array("1.0".utf8), requestID, Array(status.utf8), Array(text.utf8), Array((user ?? "").utf8), []])
        }
        socket.close()
    }

    /// Whether `password` is `name`'s, compared in constant time.
    private func check(_ name: String, _ password: [UInt8]) -> Bool {
        guard let known = passwords.withLock({ $0[name] }) else { return false }
        let k = Array(known.utf8)
        guard k.count == password.count else { return false }
        var diff: UInt8 = 0
        for i in k.indices { diff |= k[i] ^ password[i] }
        return diff == 0
    }

    /// Stops answering and waits for the thread.
    func stop() {
        stopping.store(true, ordering: .relaxed)
        thread.withLock { $0?.join(); $0 = nil }
    }
}
