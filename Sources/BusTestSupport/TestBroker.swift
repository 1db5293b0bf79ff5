import Broker
import BusKit
import BusWire

/// A real broker in the test process on ephemeral loopback ports, for suites that must run over real sockets.
///
/// ```swift
/// let broker = try TestBroker()
/// defer { broker.stop() }
/// let bus = try broker.connect(as: "t@local")
/// ```
public final class TestBroker: Sendable {
    public let broker: Broker
    private let thread: OSThread

    /// Starts a broker on `tcp://127.0.0.1:*` (or the given endpoints) with fast statistics.
    public init(frontend: String = "tcp://127.0.0.1:*", backend: String = "tcp://127.0.0.1:*",
                configure: (inout BrokerOptions) -> Void = { _ in }) throws {
        var options = BrokerOptions(frontend: frontend, backend: backend)
        options.statsInterval = 0.2
        options.heartbeatInterval = 0.2
        configure(&options)
        let broker = try Broker(options: options)
        self.broker = broker
        thread = OSThread(name: "test-broker") { broker.run() }
    }

    /// A broker with identities on: PLAIN credentials in `store` (made when a name first connects), the built-in
    /// grants plus `grants` (what `[acl.<name>] publish` would add).
    public convenience init(identities store: IdentityStore, grants: [String: [String]] = [:]) throws {
        try self.init { $0.identities = IdentityPolicy(permissions: Permissions(granted: grants), store: store) }
    }

    /// Bus options pointing at this broker, authenticating as `identity` with its credentials in `store`.
    public func options(as identity: String, store: IdentityStore) throws -> ZMQBus.Options {
        var o = options
        o.plain = (identity, try store.password(for: identity))
        return o
    }

    /// Bus options pointing at this broker.
    public var options: ZMQBus.Options { ZMQBus.Options(frontend: broker.frontendEndpoint, backend: broker.backendEndpoint) }

    /// A new bus connection identified as `source`.
    public func connect(as source: String, clock: any BusClock = SystemClock()) throws -> ZMQBus {
        try ZMQBus(source: source, options: options, clock: clock)
    }

    /// Stops the broker and waits for its thread.
    public func stop() {
        broker.stop()
        thread.join()
    }
}

extension AsyncSequence where Self: Sendable, Element: Sendable {
    /// The first element satisfying `predicate`, or nil when the sequence ends or `seconds` pass first.
    /// The time limit only keeps a broken test from hanging; no test asserts on elapsed time.
    /// On timeout the iteration is cancelled, which ends an `AsyncStream`-backed sequence: call it once per
    /// subscription when it may time out.
    public func first(within seconds: Double, where predicate: @escaping @Sendable (Element) -> Bool) async -> Element? {
        await withTaskGroup(of: Element?.self) { group in
            group.addTask { try? await self.first(where: predicate) }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                return nil
            }
            let result = await group.next() ?? nil
            group.cancelAll()
            return result
        }
    }
}
