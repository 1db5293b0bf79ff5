import CZeroMQ

/// A CURVE key pair in Z85 text (40 characters each), as `zmq_curve_keypair` makes them.
public struct CurveKeyPair: Sendable, Hashable {
    public let publicKey: String
    public let secretKey: String

    public init(publicKey: String, secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// A fresh key pair from libzmq's CSPRNG.
    public static func generate() throws(ZMQError) -> CurveKeyPair {
        var pub = [CChar](repeating: 0, count: 41), sec = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&pub, &sec) == 0 else { throw ZMQError(operation: "curve_keypair") }
        return CurveKeyPair(publicKey: text(pub), secretKey: text(sec))
    }

    /// Whether `text` is a Z85 CURVE key (40 characters that decode to 32 bytes).
    public static func isKey(_ text: String) -> Bool { CurveKeyPair.decode(text) != nil }

    /// The 32 raw bytes of a Z85 key, nil when it is not one.
    public static func decode(_ text: String) -> [UInt8]? {
        guard text.utf8.count == 40 else { return nil }
        var out = [UInt8](repeating: 0, count: 32)
        return zmq_z85_decode(&out, text) == nil ? nil : out
    }

    /// The Z85 text of 32 raw key bytes.
    public static func encode(_ bytes: [UInt8]) -> String? {
        guard bytes.count == 32 else { return nil }
        var out = [CChar](repeating: 0, count: 41)
        return bytes.withUnsafeBufferPointer { zmq_z85_encode(&out, $0.baseAddress, 32) } == nil ? nil : text(out)
    }

    /// libzmq was built with CURVE.
    public static var isSupported: Bool { zmq_has("curve") != 0 }
}

extension Socket {
    /// Makes this socket a CURVE server with `secretKey` (Z85); clients must know its public key. Set before bind.
    public func makeCurveServer(secretKey: String, zapDomain: String = "recio") throws(ZMQError) {
        var on: Int32 = 1
        _ = try zmqCall("setsockopt CURVE_SERVER") { zmq_setsockopt(raw, ZMQ_CURVE_SERVER, &on, MemoryLayout<Int32>.size) }
        try setText(ZMQ_CURVE_SECRETKEY, secretKey, "CURVE_SECRETKEY")
        try setText(ZMQ_ZAP_DOMAIN, zapDomain, "ZAP_DOMAIN")
    }

    /// Makes this socket a CURVE client of the server with public key `serverKey`. Set before connect.
    public func makeCurveClient(_ keys: CurveKeyPair, serverKey: String) throws(ZMQError) {
        try setText(ZMQ_CURVE_SERVERKEY, serverKey, "CURVE_SERVERKEY")
        try setText(ZMQ_CURVE_PUBLICKEY, keys.publicKey, "CURVE_PUBLICKEY")
        try setText(ZMQ_CURVE_SECRETKEY, keys.secretKey, "CURVE_SECRETKEY")
    }

    private func setText(_ option: Int32, _ text: String, _ name: String) throws(ZMQError) {
        let bytes = Array(text.utf8)
        _ = try zmqCall("setsockopt \(name)") { bytes.withUnsafeBytes { zmq_setsockopt(raw, option, $0.baseAddress, $0.count) } }
    }
}

/// The text of a NUL-terminated C buffer.
private func text(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

extension Socket {
    /// Makes this socket a PLAIN server (RFC 24): clients give a user name and password, which the context's ZAP
    /// handler judges under `zapDomain`. Set before bind. PLAIN does not encrypt: use it on ipc or loopback only.
    public func makePlainServer(zapDomain: String = "recio") throws(ZMQError) {
        var on: Int32 = 1
        _ = try zmqCall("setsockopt PLAIN_SERVER") { zmq_setsockopt(raw, ZMQ_PLAIN_SERVER, &on, MemoryLayout<Int32>.size) }
        try setText(ZMQ_ZAP_DOMAIN, zapDomain, "ZAP_DOMAIN")
    }

    /// Makes this socket a PLAIN client with `username` and `password`. Set before connect.
    public func makePlainClient(username: String, password: String) throws(ZMQError) {
        try setText(ZMQ_PLAIN_USERNAME, username, "PLAIN_USERNAME")
        try setText(ZMQ_PLAIN_PASSWORD, password, "PLAIN_PASSWORD")
    }
}
